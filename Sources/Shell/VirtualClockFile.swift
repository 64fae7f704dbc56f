import TerrariumBase

#if canImport(Glibc)
import Glibc
#endif

/// The world's time inside the shell. Debian's libfaketime is preloaded into every
/// dynamically linked program through the sandbox's own `/etc/ld.so.preload` (so
/// `env -i` cannot shed it, and no `LD_PRELOAD` shows in `env`), and reads its offset
/// from `/etc/faketimerc`, which the supervisor rewrites before each command: whole
/// seconds, rounded up, so a command starting at the virtual instant T sees T (plus the
/// real time it has been running). `TZ` and `/etc/localtime` name the world's zone, and
/// file times on disk are the world's virtual times. Static binaries see the host clock.
final class VirtualClockFile {
    static let name = "faketimerc"
    static let libraryVariable = "TERRARIUM_FAKETIME_LIB"
    static let candidates = [
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/faketime/libfaketime.so.1",
        "/usr/lib64/faketime/libfaketime.so.1",
    ]

    /// The library's path (it must lie under /usr, the only host tree the sandbox sees).
    static let library: Result<String, ShellError> = {
        if let v = getenv(libraryVariable) {
            let path = String(cString: v)
            guard path.hasPrefix("/usr/"), access(path, R_OK) == 0 else {
                return .failure(ShellError(layer: "time", "$\(libraryVariable)=\(path) is not a readable file under /usr"))
            }
            return .success(path)
        }
        if let found = candidates.first(where: { access($0, R_OK) == 0 }) { return .success(found) }
        return .failure(ShellError(layer: "time", "libfaketime is not installed (apt-get install libfaketime): "
                                   + "the shell's clock could not follow the world's"))
    }()

    /// The offset libfaketime applies, for a command starting now at virtual time `now`.
    static func offset(for now: VirtualTime) -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let real = Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
        let difference = now.milliseconds - real
        // Ceiling division: the shell never sees a time before the world's.
        let seconds = difference >= 0 ? (difference + 999) / 1000 : -((-difference) / 1000)
        return (seconds >= 0 ? "+" : "") + String(seconds)
    }

    /// The open `<etc>/faketimerc` of one episode (rendered with the skeleton).
    let fd: Int32
    let path: String

    init(etc: String) throws(ShellError) {
        path = etc + "/" + VirtualClockFile.name
        fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .system("time", "open", path) }
    }

    deinit { close(fd) }

    /// Rewrites the offset in place (no sandbox process runs while it is written): cheaper
    /// than a new file and a rename, which costs a journal commit on ext4.
    func set(_ now: VirtualTime) throws(ShellError) {
        let bytes = Array((VirtualClockFile.offset(for: now) + "\n").utf8)
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard n == bytes.count, ftruncate(fd, off_t(bytes.count)) == 0 else { throw .system("time", "write", path) }
    }
}
