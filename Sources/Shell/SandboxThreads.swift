#if canImport(Glibc)
import Glibc
#endif

/// Dedicated OS threads for sandboxed commands. A command blocks its thread for as long
/// as it runs (`cs_run` polls), and the sandbox's PDEATHSIG is tied to the thread that
/// spawned it, so commands never run on the Swift cooperative pool (two threads on this
/// machine) and the thread outlives the command. Threads are kept for reuse; a new one is
/// started only when every existing thread is busy, so concurrency is unbounded and the
/// pool is as large as the peak number of simultaneous commands.
final class SandboxThreads: @unchecked Sendable {
    static let shared = SandboxThreads()

    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [@Sendable () -> Void] = []
    private var idle = 0
    private(set) var started = 0

    private init() {
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wake, nil)
    }

    /// Runs `body` on a sandbox thread and returns its value to the caller's task.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            submit { continuation.resume(returning: body()) }
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(lock)
        jobs.append(job)
        // More queued jobs than threads waiting for one (a woken thread may not have taken
        // its job yet): start another thread, so no command waits behind a running one.
        let spawn = jobs.count > idle
        if spawn { started += 1 } else { pthread_cond_signal(wake) }
        pthread_mutex_unlock(lock)
        if spawn { startThread() }
    }

    private func startThread() {
        let box = Unmanaged.passRetained(self).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let rc = pthread_create(&thread, &attributes, { raw in
            let pool = Unmanaged<SandboxThreads>.fromOpaque(raw!).takeRetainedValue()
            pool.work()
            return nil
        }, box)
        pthread_attr_destroy(&attributes)
        if rc != 0 {
            // No thread: run the job here rather than lose it (it still completes).
            Unmanaged<SandboxThreads>.fromOpaque(box).release()
            pthread_mutex_lock(lock)
            let job = jobs.isEmpty ? nil : jobs.removeFirst()
            pthread_mutex_unlock(lock)
            job?()
        }
    }

    private func work() {
        pthread_mutex_lock(lock)
        while true {
            while jobs.isEmpty {
                idle += 1
                pthread_cond_wait(wake, lock)
                idle -= 1
            }
            let job = jobs.removeFirst()
            pthread_mutex_unlock(lock)
            job()
            pthread_mutex_lock(lock)
        }
    }
}
