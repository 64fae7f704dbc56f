#if canImport(Glibc)
import Glibc
#endif

/// How commands are confined and what is kept of their output. One value per episode; the
/// defaults are what `run_shell` uses.
public struct ShellConfiguration: Sendable {
    /// The agent's ids inside the sandbox (never 0).
    public var uid: UInt32 = 1000
    public var gid: UInt32 = 1000
    /// Bytes of stdout and of stderr kept (and shown); the rest is counted and marked.
    public var outputCap = 48 * 1024
    public var defaultTimeoutSeconds = 30
    public var maxTimeoutSeconds = 300
    /// RLIMIT_FSIZE: the largest file a command can write.
    public var fileSizeLimit = 64 << 20
    public var openFiles = 1024
    public var tmpBytes = 64 << 20
    /// cgroup v1 limits for every command (processes, memory). nil: no cgroups (fork
    /// bombs then meet only the wall clock and RLIMIT_CPU; the benchmark's comparison).
    public var cgroups: CgroupLimits? = CgroupLimits()
    /// Where per-episode folders (the home on disk, the rendered /etc) are made. Its path
    /// is visible inside in /proc/self/mountinfo, so it is kept neutral.
    public var baseDirectory = ShellConfiguration.defaultBase
    /// The resolver named in /etc/resolv.conf (the network namespace is empty anyway).
    public var nameserver = "10.0.0.2"
    /// At most this many refused attempts are kept per command; the rest are counted.
    public var maxRecordedAttempts = 1000
    /// Bytes of new or changed files one command may hand the world; files past it are
    /// removed (new) or restored (changed) and reported (the home has no disk quota yet).
    public var scanBudgetBytes = 256 << 20
    /// New files, folders and links one command may add to the world; entries past it
    /// are removed and counted in one `file.skipped` report (a million tiny files would
    /// otherwise become a million events).
    public var maxNewEntries = 10_000

    public struct CgroupLimits: Sendable {
        public var root = "/sys/fs/cgroup"
        public var pidsMax = 256
        public var memoryBytes = 1 << 30
        public init() {}
    }

    public init() {}

    public static let baseVariable = "TERRARIUM_SHELL_DIR"
    public static var defaultBase: String {
        if let v = getenv(baseVariable) { return String(cString: v) }
        return "/srv/ws"
    }
}
