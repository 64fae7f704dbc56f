import TerrariumWorld

#if canImport(Glibc)
import Glibc
#endif

/// inotify on every folder of a workspace, so that after a command only the entries it
/// touched are examined (the rest of the tree costs nothing). The kernel queues an event
/// for every name created, deleted, moved, written, closed after writing (this covers
/// writes through mmap, reported when the last reference goes, which is before the
/// sandbox's init is reaped), truncated or chmod'ed — through the bind mount as well, since
/// watches belong to inodes. What events cannot show is handled apart: a file with hard
/// links is re-examined under all its names (ChangeScan), and a full lstat walk replaces
/// the events whenever they may be incomplete (queue overflow, a watch that could not be
/// added, a name that is not UTF-8).
final class ChangeWatch {
    let fd: Int32
    private var folders: [Int32: WorkspacePath] = [:]
    private var descriptors: [WorkspacePath: Int32] = [:]
    /// Set for good when a folder could not be watched: every scan then walks.
    private(set) var failed = false

    static let mask: UInt32 = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM
                                     | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF) | UInt32(IN_ONLYDIR) | UInt32(IN_DONT_FOLLOW)

    /// nil when the kernel gives no inotify instance (limits): the scans then walk.
    init?() {
        let fd = inotify_init1(Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Watches one folder (its host path). A failure leaves the record incomplete.
    func watch(_ folder: WorkspacePath, at hostPath: String) {
        let wd = inotify_add_watch(fd, hostPath, ChangeWatch.mask)
        guard wd >= 0 else { failed = true; return }
        if let old = folders[wd], old != folder { descriptors[old] = nil }
        folders[wd] = folder
        descriptors[folder] = wd
    }

    func isWatched(_ folder: WorkspacePath) -> Bool { descriptors[folder] != nil }

    /// Forgets a folder and everything beneath it (deleted or moved away; the kernel drops
    /// a deleted folder's watch itself, and a moved one is watched again at its new path).
    func forget(under folder: WorkspacePath) {
        for (path, wd) in descriptors where path.isWithin(folder) {
            descriptors[path] = nil
            folders[wd] = nil
        }
    }

    /// Discards what is queued (the supervisor's own writes), right before a command.
    func drain() {
        _ = read(nameBytes: false)
    }

    /// What the command touched: names (a folder's child) and folders whose own
    /// attributes changed. nil when the record is incomplete.
    struct Touched {
        var names: Set<WorkspacePath> = []
        var folders: Set<WorkspacePath> = []
        /// Names written to, truncated, created or moved in: read and hashed whatever
        /// their stamp says (no reliance on ctime granularity).
        var written: Set<WorkspacePath> = []
    }

    static let contentEvents = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO)

    func touched() -> Touched? {
        guard let t = read(nameBytes: true), !failed else { return nil }
        return t
    }

    private func read(nameBytes: Bool) -> Touched? {
        var touched = Touched()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var complete = true
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            var offset = 0
            buffer.withUnsafeBytes { raw in
                while offset + MemoryLayout<inotify_event>.size <= n {
                    let wd = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    defer { offset = nameStart + length }
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 { complete = false; continue }
                    if mask & UInt32(IN_IGNORED) != 0 {
                        if let f = folders[wd] { descriptors[f] = nil; folders[wd] = nil }
                        continue
                    }
                    guard nameBytes, let folder = folders[wd] else { continue }
                    let name = raw[nameStart..<min(nameStart + length, n)].prefix { $0 != 0 }
                    if name.isEmpty {
                        touched.folders.insert(folder)
                    } else if let s = String(validating: name, as: UTF8.self) {
                        let path = folder.appending(s)
                        touched.names.insert(path)
                        touched.folders.insert(folder)
                        if mask & ChangeWatch.contentEvents != 0 { touched.written.insert(path) }
                    } else {
                        complete = false
                    }
                }
            }
        }
        return complete ? touched : nil
    }
}
