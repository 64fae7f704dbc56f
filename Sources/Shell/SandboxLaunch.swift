import CSandbox

#if canImport(Glibc)
import Glibc
#endif

/// Everything one command needs (and its pod, when one must be started), as Swift values.
struct SandboxLaunch: Sendable {
    var argv: [String]
    var environment: [String]
    var workspace: String
    var home: String
    var rootfs: String
    /// Read-only host → inside binds, after the skeleton's.
    var binds: [(String, String)]
    var uid: UInt32
    var gid: UInt32
    var hostname: String
    var timeoutMilliseconds: Int
    var outputCap: Int
    var maxAttempts: Int
    var fileSizeLimit: Int
    var openFiles: Int
    /// RLIMIT_CPU of this command.
    var cpuSeconds: Int
    /// The most any command of the episode may get: init's own hard limit (a command's
    /// limit can only be lowered from it).
    var podCpuSeconds: Int
    var tmpBytes: Int
    var cgroups: ShellConfiguration.CgroupLimits?
}

/// What the kernel and `cs_run` reported.
struct SandboxOutput: Sendable {
    var exitCode: Int32?
    var signal: Int32?
    var timedOut: Bool
    var execErrno: Int32
    var stdout: [UInt8]
    var stderr: [UInt8]
    var stdoutTotal: Int
    var stderrTotal: Int
    var attempts: [SandboxAttempt]
    var droppedAttempts: Int
    /// Notifications that were local IPC (not attempts).
    var localCalls: Int
    var pidsLimitHits: Int
    var oomKills: Int
    /// Starting the episode's pod, when this command started one (0 when it was running).
    var spawnSeconds: Double
    var runSeconds: Double
    var pod: PodFacts
}

/// The episode's confined environment as this command found and left it.
struct PodFacts: Sendable {
    /// init's pid on the host: the same for every command the pod served.
    var initPid: Int32
    /// This command started the pod (the episode's first, or the one after a retirement).
    var started: Bool
    /// Why the pod was stopped after this command (`timeout`, `left files in /tmp`, …);
    /// nil when it stays for the next.
    var retired: String?
}

/// Collects decoded notifications on the sandbox thread (cs_run calls back synchronously).
final class AttemptCollector {
    var attempts: [SandboxAttempt] = []
    var dropped = 0
    var local = 0
    let max: Int
    init(max: Int) { self.max = max }
}

/// C strings that live as long as this object (for the duration of one launch).
final class CStrings {
    private var owned: [UnsafeMutablePointer<CChar>] = []
    func make(_ s: String) -> UnsafePointer<CChar> {
        let p = strdup(s)!
        owned.append(p)
        return UnsafePointer(p)
    }
    func array(_ list: [String]) -> UnsafeMutablePointer<UnsafePointer<CChar>?> {
        let a = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: list.count + 1)
        for (i, s) in list.enumerated() { a[i] = make(s) }
        a[list.count] = nil
        arrays.append(a)
        return a
    }
    private var arrays: [UnsafeMutablePointer<UnsafePointer<CChar>?>] = []
    deinit {
        for p in owned { free(p) }
        for a in arrays { a.deallocate() }
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// An episode's pod run from this process (when the launcher binary is absent). Its init
/// is started from a `SandboxThreads` thread, which never exits (PR_SET_PDEATHSIG).
final class InProcessPod: @unchecked Sendable {
    private let pod = UnsafeMutablePointer<cs_pod>.allocate(capacity: 1)

    init() {
        pod.initialize(to: cs_pod())
        pod.pointee.c.pidfd = -1
    }

    deinit {
        stop()
        pod.deallocate()
    }

    func stop() { cs_pod_stop(pod) }

    /// Runs one command, starting the pod first when none is live. Blocks: call it on a
    /// `SandboxThreads` thread. A layer that cannot be built is a `ShellError` naming it.
    func run(_ launch: SandboxLaunch, policy: SandboxPolicy) -> Result<SandboxOutput, ShellError> {
        let strings = CStrings()
        var err = [CChar](repeating: 0, count: 512)
        var spawnSeconds = 0.0
        var started = false
        if pod.pointee.live == 0 {
            var cfg = cs_config()
            let empty: [String] = []
            cfg.argv = UnsafePointer(strings.array(empty))
            cfg.envp = UnsafePointer(strings.array(empty))
            cfg.workspace = strings.make(launch.workspace)
            cfg.home = strings.make(launch.home)
            cfg.rootfs = strings.make(launch.rootfs)
            let bindArray = UnsafeMutablePointer<cs_bind>.allocate(capacity: max(1, launch.binds.count))
            defer { bindArray.deallocate() }
            for (i, b) in launch.binds.enumerated() {
                bindArray[i] = cs_bind(src: strings.make(b.0), dst: strings.make(b.1), writable: 0)
            }
            cfg.binds = UnsafePointer(bindArray)
            cfg.nbinds = launch.binds.count
            cfg.uid = launch.uid
            cfg.gid = launch.gid
            cfg.hostname = strings.make(launch.hostname)
            cfg.policy = policy.pointer
            cfg.limits.nofile = launch.openFiles
            cfg.limits.fsize_bytes = launch.fileSizeLimit
            cfg.limits.cpu_seconds = launch.podCpuSeconds
            cfg.limits.tmp_bytes = launch.tmpBytes
            if let cg = launch.cgroups {
                cfg.limits.cgroup_pids_parent = strings.make(cg.root + "/pids")
                cfg.limits.pids_max = cg.pidsMax
                cfg.limits.cgroup_memory_parent = strings.make(cg.root + "/memory")
                cfg.limits.memory_max_bytes = cg.memoryBytes
            }
            let t0 = monotonicSeconds()
            guard cs_pod_start(&cfg, pod, &err, err.count) == 0 else {
                let failed = pod.pointee.c.failed_layer
                let layer = failed != 0 ? String(cString: cs_layer_name(failed)) : "spawn"
                return .failure(ShellError(layer: layer, cBufferString(err)))
            }
            spawnSeconds = monotonicSeconds() - t0
            started = true
        }

        let cap = launch.outputCap
        let out = UnsafeMutablePointer<CChar>.allocate(capacity: cap + 1)
        let errBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: cap + 1)
        defer { out.deallocate(); errBuffer.deallocate() }
        var opts = cs_run_opts(timeout_ms: Int32(clamping: launch.timeoutMilliseconds), out: out, out_cap: cap,
                               err: errBuffer, err_cap: cap)
        var command = cs_command(argv: UnsafePointer(strings.array(launch.argv)),
                                 envp: UnsafePointer(strings.array(launch.environment)), cpu_seconds: launch.cpuSeconds)
        let collector = AttemptCollector(max: launch.maxAttempts)
        let context = Unmanaged.passUnretained(collector).toOpaque()
        var res = cs_result()
        var facts = cs_pod_facts()
        let t1 = monotonicSeconds()
        let rc = cs_pod_run(pod, &command, policy.pointer, &opts, { ctx, ev in
            guard let ctx, let ev else { return }
            let c = Unmanaged<AttemptCollector>.fromOpaque(ctx).takeUnretainedValue()
            if SandboxAttempt.isLocal(ev.pointee) { c.local += 1; return }
            if c.attempts.count < c.max { c.attempts.append(SandboxAttempt(ev.pointee)) } else { c.dropped += 1 }
        }, context, &res, &facts, &err, err.count)
        let t2 = monotonicSeconds()
        withExtendedLifetime(collector) {}
        guard rc == 0 else {
            let layer = facts.failed_layer != 0 ? String(cString: cs_layer_name(facts.failed_layer)) : "spawn"
            return .failure(ShellError(layer: layer, cBufferString(err)))
        }
        func bytes(_ p: UnsafeMutablePointer<CChar>, _ n: Int) -> [UInt8] {
            Array(UnsafeRawBufferPointer(start: p, count: min(n, cap)))
        }
        let why = withUnsafeBytes(of: facts.why) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return .success(SandboxOutput(
            exitCode: res.exited != 0 ? res.exit_code : nil, signal: res.signaled != 0 ? res.signal : nil,
            timedOut: res.timed_out != 0, execErrno: res.exec_errno,
            stdout: bytes(out, res.out_len), stderr: bytes(errBuffer, res.err_len),
            stdoutTotal: res.out_total, stderrTotal: res.err_total,
            attempts: collector.attempts, droppedAttempts: collector.dropped, localCalls: collector.local,
            pidsLimitHits: max(0, res.pids_max_events), oomKills: max(0, res.oom_kills),
            spawnSeconds: spawnSeconds, runSeconds: t2 - t1,
            pod: PodFacts(initPid: facts.init_pid, started: started, retired: facts.retired != 0 ? why : nil)))
    }
}
