import TerrariumBase

#if canImport(Glibc)
import Glibc
#endif

/// An open directory. Every operation is relative to it and never follows a symbolic link
/// in the last component (`O_NOFOLLOW`, `AT_SYMLINK_NOFOLLOW`), so a link the agent left
/// can never lead the supervisor (root) out of the tree.
final class DirectoryHandle {
    let fd: Int32
    /// For error messages only.
    let path: String

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    static func open(_ path: String, layer: String = "workspace") throws(ShellError) -> DirectoryHandle {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .system(layer, "open", path) }
        return DirectoryHandle(fd: fd, path: path)
    }

    func child(_ name: String) -> String { path + "/" + name }

    /// A sub-directory (not a link to one).
    func openDirectory(_ name: String) throws(ShellError) -> DirectoryHandle {
        let fd = openat(self.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .system("workspace", "open", child(name)) }
        return DirectoryHandle(fd: fd, path: child(name))
    }

    /// `lstat` of an entry; nil when it does not exist.
    func status(_ name: String) throws(ShellError) -> stat? {
        var st = stat()
        if fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 { return st }
        if errno == ENOENT { return nil }
        throw .system("workspace", "lstat", child(name))
    }

    func status(bytes name: [UInt8]) -> stat? {
        var st = stat()
        let ok = withCName(name) { fstatat(fd, $0, &st, AT_SYMLINK_NOFOLLOW) } == 0
        return ok ? st : nil
    }

    /// The entry names, as raw bytes (a name need not be UTF-8), unsorted.
    func entries() throws(ShellError) -> [[UInt8]] {
        let copy = dup(fd)
        guard copy >= 0, let dir = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            throw .system("workspace", "opendir", path)
        }
        defer { closedir(dir) }
        rewinddir(dir)
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> [UInt8] in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        return names
    }

    /// The bytes of a regular file: opened without following links and without blocking
    /// (a FIFO swapped in would not hang the supervisor), checked to be a regular file.
    func readRegularFile(_ name: String, limit: Int) throws(ShellError) -> [UInt8] {
        let fd = openat(self.fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw .system("workspace", "open", child(name)) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw ShellError(layer: "workspace", "\(child(name)) is no longer a regular file")
        }
        guard Int(st.st_size) <= limit else {
            throw ShellError(layer: "workspace", "\(child(name)) is \(st.st_size) bytes, over the \(limit)-byte limit")
        }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        // The file cannot change under us (no sandbox process is alive); be exact anyway.
        if done < bytes.count { bytes.removeLast(bytes.count - done) }
        return bytes
    }

    func readLink(_ name: String) throws(ShellError) -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlinkat(fd, name, &buffer, buffer.count)
        guard n >= 0 else { throw .system("workspace", "readlink", child(name)) }
        return buffer[0..<n].map { UInt8(bitPattern: $0) }
    }

    /// Creates a new file (it must not exist) with exactly these bytes, owner, mode and
    /// time, and returns its status afterwards.
    func createFile(_ name: String, _ bytes: [UInt8], mode: UInt32, owner: Owner, modified: VirtualTime)
        throws(ShellError) -> stat
    {
        let fd = openat(self.fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .system("workspace", "create", child(name)) }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .system("workspace", "write", child(name)) }
            done += n
        }
        guard fchown(fd, owner.uid, owner.gid) == 0 else { throw .system("workspace", "chown", child(name)) }
        guard fchmod(fd, mode_t(mode & 0o7777)) == 0 else { throw .system("workspace", "chmod", child(name)) }
        var times = [modified.timespec, modified.timespec]
        guard futimens(fd, &times) == 0 else { throw .system("workspace", "utimens", child(name)) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .system("workspace", "fstat", child(name)) }
        return st
    }

    func makeDirectory(_ name: String, mode: UInt32, owner: Owner) throws(ShellError) {
        guard mkdirat(fd, name, 0o700) == 0 else { throw .system("workspace", "mkdir", child(name)) }
        let sub = try openDirectory(name)
        guard fchown(sub.fd, owner.uid, owner.gid) == 0 else { throw .system("workspace", "chown", child(name)) }
        guard fchmod(sub.fd, mode_t(mode & 0o7777)) == 0 else { throw .system("workspace", "chmod", child(name)) }
    }

    func makeSymlink(_ name: String, target: String, owner: Owner, modified: VirtualTime) throws(ShellError) -> stat {
        guard symlinkat(target, fd, name) == 0 else { throw .system("workspace", "symlink", child(name)) }
        guard fchownat(fd, name, owner.uid, owner.gid, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw .system("workspace", "chown", child(name))
        }
        try setTime(name, modified)
        guard let st = try status(name) else { throw .system("workspace", "lstat", child(name), ENOENT) }
        return st
    }

    /// Sets an entry's access and modification time (a link's own time, not its target's).
    func setTime(_ name: String, _ time: VirtualTime) throws(ShellError) {
        var times = [time.timespec, time.timespec]
        guard utimensat(fd, name, &times, AT_SYMLINK_NOFOLLOW) == 0 else { throw .system("workspace", "utimens", child(name)) }
    }

    func setOwnTime(_ time: VirtualTime) throws(ShellError) {
        var times = [time.timespec, time.timespec]
        guard futimens(fd, &times) == 0 else { throw .system("workspace", "utimens", path) }
    }

    func setOwnMode(_ mode: UInt32) throws(ShellError) {
        guard fchmod(fd, mode_t(mode & 0o7777)) == 0 else { throw .system("workspace", "chmod", path) }
    }

    func rename(_ from: String, to: String) throws(ShellError) {
        guard renameat(fd, from, fd, to) == 0 else { throw .system("workspace", "rename", child(from)) }
    }

    /// Removes an entry and, for a directory, everything beneath it; links are removed,
    /// never followed. A missing entry is not an error.
    func removeTree(_ name: String) throws(ShellError) {
        try withCName(Array(name.utf8)) { (p) throws(ShellError) in try removeTree(cName: p, shown: name) }
    }

    func removeTree(bytes name: [UInt8]) throws(ShellError) {
        try withCName(name) { (p) throws(ShellError) in try removeTree(cName: p, shown: String(decoding: name, as: UTF8.self)) }
    }

    private func removeTree(cName: UnsafePointer<CChar>, shown: String) throws(ShellError) {
        if unlinkat(fd, cName, 0) == 0 || errno == ENOENT { return }
        guard errno == EISDIR || errno == EPERM else { throw .system("workspace", "unlink", child(shown)) }
        let sub = openat(fd, cName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard sub >= 0 else { throw .system("workspace", "open", child(shown)) }
        let handle = DirectoryHandle(fd: sub, path: child(shown))
        for entry in try handle.entries() { try handle.removeTree(bytes: entry) }
        guard unlinkat(fd, cName, AT_REMOVEDIR) == 0 || errno == ENOENT else { throw .system("workspace", "rmdir", child(shown)) }
    }
}

/// Host owner of everything in a workspace: the agent's uid when we are root; our own
/// uid otherwise (the user namespace maps it to the agent's).
struct Owner: Sendable {
    var uid: uid_t
    var gid: gid_t

    static func forAgent(uid: UInt32, gid: UInt32) -> Owner {
        geteuid() == 0 ? Owner(uid: uid, gid: gid) : Owner(uid: geteuid(), gid: getegid())
    }
}

func withCName<T, E: Error>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) throws(E) -> T) throws(E) -> T {
    var z = bytes.map { CChar(bitPattern: $0) }
    z.append(0)
    let result: Result<T, E> = z.withUnsafeBufferPointer { buffer in
        do throws(E) { return .success(try body(buffer.baseAddress!)) } catch { return .failure(error) }
    }
    return try result.get()
}

/// Removes a folder and everything in it without following links (a no-op when missing).
func removeTree(_ path: String) throws(ShellError) {
    let parent = SandboxDirectory.parent(path)
    let name = String(path[path.index(after: path.lastIndex(of: "/")!)...])
    let dir = try DirectoryHandle.open(parent.isEmpty ? "/" : parent)
    try dir.removeTree(name)
}

/// `mkdir -p` for supervisor-owned folders (root, mode 0711: nobody else lists them).
func makeDirectories(_ path: String, mode: mode_t = 0o711) throws(ShellError) {
    var current = ""
    for part in path.split(separator: "/") {
        current += "/" + part
        if mkdir(current, mode) != 0 && errno != EEXIST { throw .system("workspace", "mkdir", current) }
    }
}

extension VirtualTime {
    var timespec: Glibc.timespec {
        let (s, ms) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        return ms < 0 ? Glibc.timespec(tv_sec: Int(s - 1), tv_nsec: Int((ms + 1000) * 1_000_000))
            : Glibc.timespec(tv_sec: Int(s), tv_nsec: Int(ms * 1_000_000))
    }

    func matches(_ t: Glibc.timespec) -> Bool {
        let mine = timespec
        return mine.tv_sec == t.tv_sec && mine.tv_nsec == t.tv_nsec
    }
}
