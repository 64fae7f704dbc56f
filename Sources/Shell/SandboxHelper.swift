import CSandbox

#if canImport(Glibc)
import Glibc
#endif

/// The launcher process, `terrarium-sandbox` (Sources/ShellHelper): started once per
/// process, it keeps each episode's pod (cs_pod_*) and runs its commands on the
/// supervisor's behalf, one connection per episode.
///
/// Why a process: cs_spawn clones its caller and the sandbox's init forks the command from
/// that clone, so both copy the caller's page tables — the cost of a command grows with the
/// caller's memory (2.8 ms from an empty process, 5.5 ms with 30 MB touched, 14 ms with
/// 100 MB; docs/SHELL.md). A Terrarium process keeps its worlds in memory; the launcher
/// stays small. It dies with this process (PR_SET_PDEATHSIG), and its sandboxes die with it.
/// When the binary is not found, commands are launched in-process (same layers, slower).
final class SandboxHelper: @unchecked Sendable {
    static let variable = "TERRARIUM_SANDBOX_HELPER"
    let pid: pid_t
    private let control: Int32
    private let lock = ProcessLock()

    private init(pid: pid_t, control: Int32) {
        self.pid = pid
        self.control = control
    }

    deinit { close(control) }

    nonisolated(unsafe) private static var current: SandboxHelper?
    nonisolated(unsafe) private static var searched = false
    private static let lock = ProcessLock()

    /// The running launcher, started at the first call (from a sandbox thread, which
    /// never exits: the launcher's PDEATHSIG is tied to the thread that started it);
    /// nil when no binary was found. A launcher that died is started again.
    static func shared(policyPath: String) throws(ShellError) -> SandboxHelper? {
        let result: Result<SandboxHelper?, ShellError> = lock.withLock {
            if let h = current {
                // 0: still running. Its pid: it exited (reaped now). -1: someone else reaped it.
                var status: Int32 = 0
                if waitpid(h.pid, &status, WNOHANG) == 0 { return .success(h) }
                current = nil  // its socket closes when the last command using it lets go
            }
            guard let path = locate() else { return .success(nil) }
            do throws(ShellError) {
                current = try start(path, policyPath: policyPath)
                return .success(current)
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The launcher's process id, when one runs (its sandboxes' cgroups are named after it).
    static var processID: pid_t? { lock.withLock { current?.pid } }

    static func locate() -> String? {
        if let v = getenv(variable) {
            let p = String(cString: v)
            return access(p, X_OK) == 0 ? p : nil
        }
        guard let exe = SandboxDirectory.executablePath() else { return nil }
        let beside = SandboxDirectory.parent(exe) + "/terrarium-sandbox"
        return access(beside, X_OK) == 0 ? beside : nil
    }

    private static func start(_ path: String, policyPath: String) throws(ShellError) -> SandboxHelper {
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw .system("helper", "socketpair", path)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pair[1], 3)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let args = [path, policyPath, String(getpid())]
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, &argv, &envp)
        close(pair[1])
        guard rc == 0 else {
            close(pair[0])
            throw .system("helper", "posix_spawn", path, rc)
        }
        return SandboxHelper(pid: pid, control: pair[0])
    }

    /// Opens one episode's connection: a launcher thread that keeps the episode's pod
    /// (its confined environment with init) alive between the connection's commands.
    func connect() -> Result<HelperConnection, ShellError> {
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            return .failure(.system("helper", "socketpair", "terrarium-sandbox"))
        }
        let sent = lock.withLock { send(fd: pair[1]) }
        close(pair[1])
        guard sent else {
            close(pair[0])
            return .failure(ShellError(layer: "helper", "the launcher process \(pid) is gone: \(errnoText(errno))"))
        }
        return .success(HelperConnection(helper: self, fd: pair[0]))
    }

    private func send(fd: Int32) -> Bool {
        var byte: UInt8 = 1
        let space = MemoryLayout<cmsghdr>.stride + MemoryLayout<Int32>.stride + 8
        let control = UnsafeMutableRawPointer.allocate(byteCount: space, alignment: 8)
        defer { control.deallocate() }
        control.initializeMemory(as: UInt8.self, repeating: 0, count: space)
        return withUnsafeMutablePointer(to: &byte) { b -> Bool in
            var iov = iovec(iov_base: b, iov_len: 1)
            return withUnsafeMutablePointer(to: &iov) { iovp -> Bool in
                var msg = msghdr()
                msg.msg_iov = iovp
                msg.msg_iovlen = 1
                msg.msg_control = control
                let cmsgLength = MemoryLayout<cmsghdr>.stride + MemoryLayout<Int32>.size
                msg.msg_controllen = cmsgLength
                let header = control.assumingMemoryBound(to: cmsghdr.self)
                header.pointee.cmsg_len = cmsgLength
                header.pointee.cmsg_level = SOL_SOCKET
                header.pointee.cmsg_type = Int32(SCM_RIGHTS)
                (control + MemoryLayout<cmsghdr>.stride).storeBytes(of: fd, as: Int32.self)
                return sendmsg(self.control, &msg, Int32(MSG_NOSIGNAL)) == 1
            }
        }
    }
}

/// One episode's connection to the launcher. Its launcher thread keeps the episode's pod
/// between commands; closing the connection stops the pod (init, its namespaces, its
/// cgroups) and `close()` waits until the launcher says it is gone.
final class HelperConnection: @unchecked Sendable {
    let helper: SandboxHelper
    private let fd: Int32
    private var closed = false

    init(helper: SandboxHelper, fd: Int32) {
        self.helper = helper
        self.fd = fd
    }

    deinit { close() }

    /// False once the launcher's end is gone (it died): a new connection is needed.
    var isUsable: Bool {
        guard !closed else { return false }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        // Between commands the launcher never writes: readable means EOF or an error.
        return poll(&p, 1, 0) == 0
    }

    /// Runs one command in the episode's pod (the launcher starts one when there is none).
    /// Blocks: call it on a sandbox thread.
    func run(_ launch: SandboxLaunch) -> Result<SandboxOutput, ShellError> {
        let pid = helper.pid
        let request = launch.encoded()
        var length = UInt32(request.count)
        guard writeAll(fd, &length, 4), request.withUnsafeBytes({ writeAll(fd, $0.baseAddress!, $0.count) }) else {
            return .failure(ShellError(layer: "helper", "the launcher process \(pid) did not take the command: \(errnoText(errno))"))
        }
        var size: UInt32 = 0
        guard readAll(fd, &size, 4) else {
            return .failure(ShellError(layer: "helper", "the launcher process \(pid) died during the command"))
        }
        var response = [UInt8](repeating: 0, count: Int(size))
        guard response.withUnsafeMutableBytes({ readAll(fd, $0.baseAddress!, $0.count) }) else {
            return .failure(ShellError(layer: "helper", "the launcher process \(pid) died during the command"))
        }
        return SandboxOutput.decode(response, cap: launch.outputCap)
    }

    /// Stops the episode's pod and waits (at most 5 s) until the launcher confirms.
    func close() {
        guard !closed else { return }
        closed = true
        shutdown(fd, Int32(SHUT_WR))
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var byte: UInt8 = 0
        let deadline = monotonicSeconds() + 5
        while monotonicSeconds() < deadline {
            let n = poll(&p, 1, 100)
            if n < 0 && errno == EINTR { continue }
            if n > 0 && read(fd, &byte, 1) <= 0 { break }   // EOF: the pod is gone
        }
        Glibc.close(fd)
    }
}

func writeAll(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Bool {
    var done = 0
    while done < n {
        let k = write(fd, p + done, n - done)
        if k < 0 && errno == EINTR { continue }
        if k <= 0 { return false }
        done += k
    }
    return true
}

func readAll(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Bool {
    var done = 0
    while done < n {
        let k = read(fd, p + done, n - done)
        if k < 0 && errno == EINTR { continue }
        if k <= 0 { return false }
        done += k
    }
    return true
}

// MARK: The wire format (native byte order; Sources/ShellHelper/main.c reads and writes it)

extension SandboxLaunch {
    func encoded() -> [UInt8] {
        var b: [UInt8] = []
        func i32(_ v: Int) { withUnsafeBytes(of: Int32(truncatingIfNeeded: v)) { b += $0 } }
        func i64(_ v: Int) { withUnsafeBytes(of: Int64(v)) { b += $0 } }
        func str(_ s: String) { i32(s.utf8.count); b += s.utf8 }
        i32(Int(uid)); i32(Int(gid)); i32(timeoutMilliseconds); i32(outputCap); i32(maxAttempts); i32(0)
        i64(openFiles); i64(fileSizeLimit); i64(cpuSeconds); i64(tmpBytes)
        i64(cgroups?.pidsMax ?? 0); i64(cgroups?.memoryBytes ?? 0)
        str(workspace); str(home); str(rootfs); str(hostname)
        str(cgroups.map { $0.root + "/pids" } ?? ""); str(cgroups.map { $0.root + "/memory" } ?? "")
        i32(argv.count); argv.forEach(str)
        i32(environment.count); environment.forEach(str)
        i32(binds.count)
        for (src, dst) in binds { str(src); str(dst) }
        i64(podCpuSeconds)
        return b
    }
}

extension SandboxOutput {
    static func decode(_ bytes: [UInt8], cap: Int) -> Result<SandboxOutput, ShellError> {
        var at = 0
        var bad = false
        func take<T>(_: T.Type) -> T? {
            guard !bad, at + MemoryLayout<T>.size <= bytes.count else { bad = true; return nil }
            defer { at += MemoryLayout<T>.size }
            return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: T.self) }
        }
        func data() -> [UInt8] {
            guard let n = take(UInt32.self), !bad, at + Int(n) <= bytes.count else { bad = true; return [] }
            defer { at += Int(n) }
            return Array(bytes[at..<at + Int(n)])
        }
        let status = take(Int32.self) ?? 1, layer = take(Int32.self) ?? 0, code = take(Int32.self) ?? 0
        let message = String(decoding: data(), as: UTF8.self)
        if bad { return .failure(ShellError(layer: "helper", "a malformed answer from the launcher process")) }
        guard status == 0 else {
            let name = layer != 0 ? String(cString: cs_layer_name(layer)) : (message.hasPrefix("cs_run") ? "supervise" : "spawn")
            _ = code
            return .failure(ShellError(layer: name, message))
        }
        guard let res = take(cs_result.self), let count = take(UInt32.self) else {
            return .failure(ShellError(layer: "helper", "a malformed answer from the launcher process"))
        }
        var attempts: [SandboxAttempt] = []
        for _ in 0..<count {
            guard let ev = take(cs_event.self) else { break }
            attempts.append(SandboxAttempt(ev))
        }
        let dropped = take(UInt32.self) ?? 0, local = take(UInt32.self) ?? 0
        let spawnMs = take(Double.self) ?? 0, runMs = take(Double.self) ?? 0
        let out = data(), err = data()
        let initPid = take(Int32.self) ?? 0, started = take(Int32.self) ?? 0, retired = take(Int32.self) ?? 0
        let why = String(decoding: data(), as: UTF8.self)
        if bad { return .failure(ShellError(layer: "helper", "a malformed answer from the launcher process")) }
        return .success(SandboxOutput(
            exitCode: res.exited != 0 ? res.exit_code : nil, signal: res.signaled != 0 ? res.signal : nil,
            timedOut: res.timed_out != 0, execErrno: res.exec_errno, stdout: Array(out.prefix(cap)), stderr: Array(err.prefix(cap)),
            stdoutTotal: res.out_total, stderrTotal: res.err_total, attempts: attempts, droppedAttempts: Int(dropped),
            localCalls: Int(local), pidsLimitHits: max(0, res.pids_max_events), oomKills: max(0, res.oom_kills),
            spawnSeconds: spawnMs / 1e3, runSeconds: runMs / 1e3,
            pod: PodFacts(initPid: initPid, started: started != 0, retired: retired != 0 ? why : nil)))
    }
}
