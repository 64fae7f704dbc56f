#if canImport(Glibc)
import Glibc
#endif

/// Per-process bookkeeping on the host: the per-episode folders under the base directory
/// (`<base>/<pid>.<n>`), and the sweep that removes folders left by dead processes.
enum ShellHost {
    private static let lock = ProcessLock()
    nonisolated(unsafe) private static var counter = 0
    nonisolated(unsafe) private static var swept: Set<String> = []

    /// A new, empty, root-only folder for one episode.
    static func newEpisodeDirectory(base: String) throws(ShellError) -> String {
        let (n, sweep) = lock.withLock { () -> (Int, Bool) in
            counter += 1
            return (counter, swept.insert(base).inserted)
        }
        try makeDirectories(base)
        if sweep { sweepStale(base) }
        let dir = base + "/\(getpid()).\(n)"
        if access(dir, F_OK) == 0 { try removeTree(dir) }
        guard mkdir(dir, 0o711) == 0 else { throw .system("workspace", "mkdir", dir) }
        return dir
    }

    /// Folders of processes that no longer exist (killed before they could clean up).
    static func sweepStale(_ base: String) {
        guard let dir = try? DirectoryHandle.open(base) else { return }
        for raw in (try? dir.entries()) ?? [] {
            let name = String(decoding: raw, as: UTF8.self)
            guard let dot = name.firstIndex(of: "."), let pid = Int32(name[..<dot]), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? dir.removeTree(name) }
        }
    }
}

/// A pthread mutex for the little shared state the shell keeps per process.
final class ProcessLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(mutex, nil) }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
