import TerrariumBase
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#endif

/// One episode's shell: its folder on the host (the home on disk and the rendered /etc),
/// made at the first command and removed by `close()` or when the session is released.
///
/// Commands of one session must not overlap (an episode runs one call at a time); all the
/// work of a command — syncing the world to disk, spawning, supervising, scanning — runs on
/// a dedicated sandbox thread, never on the cooperative pool.
public final class ShellSession: @unchecked Sendable {
    public let configuration: ShellConfiguration
    /// Written on the sandbox thread, read by anyone: under `lock`.
    private var folderPath: String?
    private let lock = ProcessLock()
    private var folder: String? {
        get { lock.withLock { folderPath } }
        set { lock.withLock { folderPath = newValue } }
    }
    private var identity: SandboxIdentity?
    private var mirror: WorkspaceMirror?
    private var clockFile: VirtualClockFile?
    private var closed = false
    /// The episode's pod — its confined environment, kept between commands — held by a
    /// launcher thread at the other end of this connection, or in this process.
    private var connection: HelperConnection?
    private var inProcessPod: InProcessPod?
    /// With `false`, the change scan hashes every file (a benchmark baseline).
    public var useFastPath = true
    /// With `false`, the change scan walks the whole tree after every command instead of
    /// examining what inotify saw touched (a benchmark baseline).
    public var useChangeEvents = true

    /// The launcher process's id once it runs (sandboxes are its children, and their
    /// cgroups are named `terrarium-<its pid>-N`); nil while commands run in-process.
    public static var launcherProcessID: Int32? { SandboxHelper.processID }

    public init(configuration: ShellConfiguration = ShellConfiguration()) {
        self.configuration = configuration
    }

    deinit { close() }

    /// The host folder holding the home on disk (`<folder>/home`) and `/etc` (`<folder>/root`).
    public var hostFolder: String? { folder }

    /// Runs a command over `world`'s home tree (already advanced to the call's time). The
    /// first use in a process runs the self-test first.
    public func run(_ command: ShellCommand, in world: World) async throws(ShellError) -> ShellResult {
        try await ShellSelfTest.check(configuration)
        return try await runWithoutSelfTest(command, in: world)
    }

    func runWithoutSelfTest(_ command: ShellCommand, in world: World) async throws(ShellError) -> ShellResult {
        let result = await SandboxThreads.shared.run { self.execute(command, world) }
        return try result.get()
    }

    /// The caller recorded the result's changes: `world` is the world after them. Sharing
    /// its tree makes the next command's "what changed since" check O(1).
    public func didApply(_ world: World) {
        guard let mirror, mirror.tree == world.files else { return }
        mirror.tree = world.files
    }

    /// Removes the session's folder (idempotent). The session cannot run commands after.
    public func close() {
        closed = true
        // The pod first (its init holds the home as a mount): init, namespaces, cgroups.
        connection?.close()
        connection = nil
        inProcessPod?.stop()
        inProcessPod = nil
        guard let folder else { return }
        self.folder = nil
        mirror = nil
        clockFile = nil
        try? removeTree(folder)
    }

    private func execute(_ command: ShellCommand, _ world: World) -> Result<ShellResult, ShellError> {
        do throws(ShellError) {
            return .success(try executeOrThrow(command, world))
        } catch { return .failure(error) }
    }

    private func executeOrThrow(_ command: ShellCommand, _ world: World) throws(ShellError) -> ShellResult {
        guard !closed else { throw ShellError(layer: "session", "the shell of this episode was closed") }
        let start = monotonicSeconds()
        let policy = try SandboxPolicy.shared()
        var timing = ShellTiming()
        let (identity, mirror, folder) = try prepared(world)
        let syncStart = monotonicSeconds()
        let synced = try mirror.sync(to: world.files)
        let syncSeconds = monotonicSeconds() - syncStart
        try clockFile!.set(world.clock.now)

        let timeout = max(1, min(command.timeoutSeconds, configuration.maxTimeoutSeconds))
        var binds: [(String, String)] = []
        for path in ["/etc/alternatives", "/etc/ld.so.cache"] where access(path, F_OK) == 0 { binds.append((path, path)) }
        let launch = SandboxLaunch(
            argv: ["/bin/sh", "-c", command.command], environment: environment(identity), workspace: mirror.root,
            home: identity.home, rootfs: folder + "/root", binds: binds, uid: identity.uid, gid: identity.gid,
            hostname: identity.hostname, timeoutMilliseconds: timeout * 1000, outputCap: configuration.outputCap,
            maxAttempts: configuration.maxRecordedAttempts, fileSizeLimit: configuration.fileSizeLimit,
            openFiles: configuration.openFiles, cpuSeconds: timeout + 1,
            podCpuSeconds: configuration.maxTimeoutSeconds + 1, tmpBytes: configuration.tmpBytes,
            cgroups: configuration.cgroups)
        // What the supervisor itself just wrote is not the command's doing.
        mirror.watch?.drain()
        let output: SandboxOutput
        if configuration.launcherProcess, let helper = try SandboxHelper.shared(policyPath: policy.path) {
            if let c = connection, !c.isUsable || c.helper !== helper {
                c.close()   // its launcher died: that pod died with it
                connection = nil
            }
            let c: HelperConnection
            if let existing = connection { c = existing } else { c = try helper.connect().get() }
            connection = c
            let result = c.run(launch)
            if case .failure(let e) = result, e.layer == "helper" { connection = nil }
            output = try result.get()
            timing.launcher = "helper"
        } else {
            let pod = inProcessPod ?? InProcessPod()
            inProcessPod = pod
            output = try pod.run(launch, policy: policy).get()
            timing.launcher = "in-process"
        }
        timing.initPid = output.pod.initPid
        timing.podStarted = output.pod.started
        timing.podRetired = output.pod.retired
        if output.execErrno != 0 {
            throw ShellError(layer: "exec", "/bin/sh could not be started inside: \(errnoText(output.execErrno))")
        }
        timing.spawnSeconds = output.spawnSeconds
        timing.runSeconds = output.runSeconds
        timing.localCalls = output.localCalls

        var scan = ChangeScan(mirror: mirror, world: world, sizeBudget: configuration.scanBudgetBytes)
        scan.useFastPath = useFastPath
        scan.useEvents = useChangeEvents
        scan.maxNewEntries = configuration.maxNewEntries
        try scan.run()
        timing.scan = scan.statistics
        timing.scan.synced = synced
        timing.scan.syncSeconds = syncSeconds
        timing.totalSeconds = monotonicSeconds() - start

        var limits: [String] = []
        if output.timedOut { limits.append("timeout") }
        if output.pidsLimitHits > 0 { limits.append("pids") }
        if output.oomKills > 0 { limits.append("memory") }
        if output.signal == SIGXFSZ { limits.append("fileSize") }
        if output.signal == SIGXCPU { limits.append("cpu") }
        return ShellResult(
            exitCode: output.exitCode, signal: output.signal, timedOut: output.timedOut, stdout: output.stdout,
            stderr: output.stderr, stdoutTotal: output.stdoutTotal, stderrTotal: output.stderrTotal, limitsHit: limits,
            attempts: output.attempts, unrecordedAttempts: output.droppedAttempts, changes: scan.changes,
            skipped: scan.skipped, revertedModes: scan.reverted, timing: timing)
    }

    /// The episode's folder, /etc and home on disk, made at the first command.
    private func prepared(_ world: World) throws(ShellError) -> (SandboxIdentity, WorkspaceMirror, String) {
        if let identity, let mirror, let folder { return (identity, mirror, folder) }
        let identity = try SandboxIdentity(world: world, configuration: configuration)
        let preload = configuration.virtualClock ? try VirtualClockFile.library.get() : nil
        let folder = try ShellHost.newEpisodeDirectory(base: configuration.baseDirectory)
        self.folder = folder
        guard mkdir(folder + "/root", 0o755) == 0 else { throw .system("etc", "mkdir", folder + "/root") }
        try EtcSkeleton.render(into: folder + "/root", identity: identity, nameserver: configuration.nameserver,
                               preload: preload)
        clockFile = try VirtualClockFile(etc: folder + "/root/etc")
        let mirror = WorkspaceMirror(root: folder + "/home", owner: Owner.forAgent(uid: identity.uid, gid: identity.gid))
        try mirror.materialise(world.files)
        self.identity = identity
        self.mirror = mirror
        return (identity, mirror, folder)
    }

    /// The command's whole environment (nothing is inherited from the host).
    func environment(_ id: SandboxIdentity) -> [String] {
        ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=\(id.home)", "USER=\(id.user)", "LOGNAME=\(id.user)",
         "SHELL=/bin/bash", "LANG=C.UTF-8", "TZ=\(id.tz)", "EMAIL=\(id.email)",
         // libfaketime shifts the wall clock only: monotonic clocks stay real (timeouts
         // work), and file times are not shifted (they already are the world's times).
         "FAKETIME_DONT_FAKE_MONOTONIC=1", "NO_FAKE_STAT=1"]
    }
}
