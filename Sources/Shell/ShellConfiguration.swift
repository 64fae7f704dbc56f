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
    /// is visible inside in /proc/self/mountinfo, so it is kept neutral. By default a
    /// folder on the /dev/shm tmpfs when it has room (writing a 1,000-file tree there takes
    /// a few ms, against hundreds on this machine's ext4), else /srv/ws.
    public var baseDirectory = ShellConfiguration.defaultBase
    /// Launch commands from the small `terrarium-sandbox` process (when its binary is
    /// found) rather than from this one, whose memory every cs_spawn would copy.
    public var launcherProcess = true
    /// Preload libfaketime so the shell's clock is the world's. Off only to measure what
    /// the time layer costs (`date` then shows the host's time).
    public var virtualClock = true
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
        var fs = statvfs()
        if isTmpfs("/dev/shm"), statvfs("/dev/shm", &fs) == 0, UInt64(fs.f_bavail) * UInt64(fs.f_frsize) >= 1 << 30 {
            return "/dev/shm/ws"
        }
        return "/srv/ws"
    }

    static func isTmpfs(_ mountPoint: String) -> Bool {
        // /proc/self/mounts: "tmpfs /dev/shm tmpfs rw,... 0 0"; the last line for a mount point wins.
        var found = false
        let fd = open("/proc/self/mounts", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 2 && fields[1] == mountPoint { found = fields[2] == "tmpfs" }
        }
        return found
    }
}
