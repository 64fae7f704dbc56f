import CSandbox

#if canImport(Glibc)
import Glibc
#endif

/// Everything one `cs_spawn` + `cs_run` needs, as Swift values.
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
    var cpuSeconds: Int
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
    var spawnSeconds: Double
    var runSeconds: Double
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

extension SandboxLaunch {
    /// Spawns and supervises the command. Blocks: call it on a `SandboxThreads` thread.
    /// A layer that cannot be built is a `ShellError` naming it; the command never ran.
    func run(policy: SandboxPolicy) -> Result<SandboxOutput, ShellError> {
        let strings = CStrings()
        var cfg = cs_config()
        cfg.argv = UnsafePointer(strings.array(argv))
        cfg.envp = UnsafePointer(strings.array(environment))
        cfg.workspace = strings.make(workspace)
        cfg.home = strings.make(home)
        cfg.rootfs = strings.make(rootfs)
        let bindArray = UnsafeMutablePointer<cs_bind>.allocate(capacity: max(1, binds.count))
        defer { bindArray.deallocate() }
        for (i, b) in binds.enumerated() {
            bindArray[i] = cs_bind(src: strings.make(b.0), dst: strings.make(b.1), writable: 0)
        }
        cfg.binds = UnsafePointer(bindArray)
        cfg.nbinds = binds.count
        cfg.uid = uid
        cfg.gid = gid
        cfg.hostname = strings.make(hostname)
        cfg.policy = policy.pointer
        cfg.limits.nofile = openFiles
        cfg.limits.fsize_bytes = fileSizeLimit
        cfg.limits.cpu_seconds = cpuSeconds
        cfg.limits.tmp_bytes = tmpBytes
        if let cg = cgroups {
            cfg.limits.cgroup_pids_parent = strings.make(cg.root + "/pids")
            cfg.limits.pids_max = cg.pidsMax
            cfg.limits.cgroup_memory_parent = strings.make(cg.root + "/memory")
            cfg.limits.memory_max_bytes = cg.memoryBytes
        }
        cfg.flags = 0

        var child = cs_child()
        var err = [CChar](repeating: 0, count: 512)
        let t0 = monotonicSeconds()
        guard cs_spawn(&cfg, &child, &err, err.count) == 0 else {
            let layer = child.failed_layer != 0 ? String(cString: cs_layer_name(child.failed_layer)) : "spawn"
            return .failure(ShellError(layer: layer, cBufferString(err)))
        }
        let t1 = monotonicSeconds()

        let out = UnsafeMutablePointer<CChar>.allocate(capacity: outputCap + 1)
        let errBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: outputCap + 1)
        defer { out.deallocate(); errBuffer.deallocate() }
        var opts = cs_run_opts(timeout_ms: Int32(clamping: timeoutMilliseconds), out: out, out_cap: outputCap,
                               err: errBuffer, err_cap: outputCap)
        let collector = AttemptCollector(max: maxAttempts)
        let context = Unmanaged.passUnretained(collector).toOpaque()
        var res = cs_result()
        let rc = cs_run(&child, policy.pointer, &opts, { ctx, ev in
            guard let ctx, let ev else { return }
            let c = Unmanaged<AttemptCollector>.fromOpaque(ctx).takeUnretainedValue()
            if SandboxAttempt.isLocal(ev.pointee) { c.local += 1; return }
            if c.attempts.count < c.max { c.attempts.append(SandboxAttempt(ev.pointee)) } else { c.dropped += 1 }
        }, context, &res)
        let t2 = monotonicSeconds()
        withExtendedLifetime(collector) {}
        guard rc == 0 else {
            return .failure(ShellError(layer: "supervise", "cs_run: \(errnoText(-rc))"))
        }
        func bytes(_ p: UnsafeMutablePointer<CChar>, _ n: Int) -> [UInt8] {
            Array(UnsafeRawBufferPointer(start: p, count: min(n, outputCap)))
        }
        return .success(SandboxOutput(
            exitCode: res.exited != 0 ? res.exit_code : nil, signal: res.signaled != 0 ? res.signal : nil,
            timedOut: res.timed_out != 0, execErrno: res.exec_errno,
            stdout: bytes(out, res.out_len), stderr: bytes(errBuffer, res.err_len),
            stdoutTotal: res.out_total, stderrTotal: res.err_total,
            attempts: collector.attempts, droppedAttempts: collector.dropped, localCalls: collector.local,
            pidsLimitHits: max(0, res.pids_max_events), oomKills: max(0, res.oom_kills),
            spawnSeconds: t1 - t0, runSeconds: t2 - t1))
    }
}
