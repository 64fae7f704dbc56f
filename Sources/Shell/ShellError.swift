#if canImport(Glibc)
import Glibc
#endif

/// The shell could not be provided: a layer of the sandbox (or of the workspace that backs
/// it) could not be set up. Always a failure of the environment, never of the agent, and
/// never turned into a command's output. `layer` names what failed (`policy`, `mount`,
/// `landlock`, `cgroup`, `time`, `workspace`, `self-test`, ...).
public struct ShellError: Error, Sendable, Equatable, CustomStringConvertible {
    public var layer: String
    public var message: String

    public init(layer: String, _ message: String) {
        self.layer = layer
        self.message = message
    }

    public var description: String { "shell sandbox: \(layer): \(message)" }

    /// A failed system call on a path, with the errno's name and text.
    static func system(_ layer: String, _ operation: String, _ path: String, _ code: Int32 = errno) -> ShellError {
        ShellError(layer: layer, "\(operation) \(path): \(errnoText(code))")
    }
}

/// `Read-only file system (EROFS)`.
func errnoText(_ code: Int32) -> String {
    let name = errnoName(code)
    return String(cString: strerror(code)) + (name.isEmpty ? " (errno \(code))" : " (\(name))")
}

/// The symbolic name of an errno (`ENETUNREACH`), or "" for one not listed.
func errnoName(_ code: Int32) -> String { errnoNames[code] ?? "" }

private let errnoNames: [Int32: String] = [
    EPERM: "EPERM", ENOENT: "ENOENT", ESRCH: "ESRCH", EINTR: "EINTR", EIO: "EIO", ENXIO: "ENXIO", E2BIG: "E2BIG",
    ENOEXEC: "ENOEXEC", EBADF: "EBADF", ECHILD: "ECHILD", EAGAIN: "EAGAIN", ENOMEM: "ENOMEM", EACCES: "EACCES",
    EFAULT: "EFAULT", EBUSY: "EBUSY", EEXIST: "EEXIST", EXDEV: "EXDEV", ENODEV: "ENODEV", ENOTDIR: "ENOTDIR",
    EISDIR: "EISDIR", EINVAL: "EINVAL", ENFILE: "ENFILE", EMFILE: "EMFILE", ENOTTY: "ENOTTY", ETXTBSY: "ETXTBSY",
    EFBIG: "EFBIG", ENOSPC: "ENOSPC", ESPIPE: "ESPIPE", EROFS: "EROFS", EMLINK: "EMLINK", EPIPE: "EPIPE",
    ERANGE: "ERANGE", ENAMETOOLONG: "ENAMETOOLONG", ENOSYS: "ENOSYS", ENOTEMPTY: "ENOTEMPTY", ELOOP: "ELOOP",
    EAFNOSUPPORT: "EAFNOSUPPORT", EADDRINUSE: "EADDRINUSE", EADDRNOTAVAIL: "EADDRNOTAVAIL",
    ENETDOWN: "ENETDOWN", ENETUNREACH: "ENETUNREACH", ECONNREFUSED: "ECONNREFUSED", EHOSTUNREACH: "EHOSTUNREACH",
    ETIMEDOUT: "ETIMEDOUT", EPROTONOSUPPORT: "EPROTONOSUPPORT", EOPNOTSUPP: "EOPNOTSUPP", ENOTSOCK: "ENOTSOCK",
    EDQUOT: "EDQUOT", ECANCELED: "ECANCELED", EOVERFLOW: "EOVERFLOW",
]
