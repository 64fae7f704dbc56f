import TerrariumBase
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#endif

/// Reading back what a command did: an lstat walk of the workspace against the world's
/// tree. A file whose size, mode, mtime (the world's virtual time) and stamp (inode and
/// ctime from when we last wrote or read it) are unchanged is unchanged; any other file is
/// read and hashed. The choice is measured in docs/SHELL.md: the walk costs a few
/// microseconds per entry, hashing is only paid for candidates.
///
/// Runs only after every process of the sandbox is gone (the pid namespace died with its
/// init), so nothing changes under the walk; it still never follows a link.
struct ChangeScan {
    let mirror: WorkspaceMirror
    let now: VirtualTime
    let sizeBudget: Int
    /// The world as the changes so far leave it: each effect is applied here first, so a
    /// change the world would refuse is caught now, and the result is the new tree.
    var world: World
    var changes: [WorkspaceChange] = []
    var skipped: [SkippedEntry] = []
    /// Folders whose mode the command changed: the world has no such effect, so the mode
    /// was put back (reported in `shell.executed`).
    var reverted: [String] = []
    var statistics = ScanStatistics()
    /// With `false`, every file is hashed (the benchmark's baseline).
    var useFastPath = true
    var maxNewEntries = Int.max
    private var newEntries = 0
    /// New entries removed because they were over `maxNewEntries`, and the first of them.
    private var overflow = (count: 0, first: "")

    init(mirror: WorkspaceMirror, world: World, sizeBudget: Int) {
        self.mirror = mirror
        self.world = world
        self.now = world.clock.now
        self.sizeBudget = sizeBudget
    }

    mutating func run() throws(ShellError) {
        let start = monotonicSeconds()
        let dir = try DirectoryHandle.open(mirror.root)
        var st = stat()
        guard fstat(dir.fd, &st) == 0 else { throw .system("workspace", "fstat", mirror.root) }
        if let rootNode = world.files[.root], mode(st) != rootNode.mode {
            try dir.setOwnMode(rootNode.mode)
            reverted.append(".")
        }
        let removedSomething = try walk(dir, .root)
        if overflow.count > 0 {
            skipped.append(SkippedEntry(path: overflow.first, kind: "over the new-entry budget (\(maxNewEntries))",
                                        action: "removed \(overflow.count) new entr\(overflow.count == 1 ? "y" : "ies") from here on"))
        }
        if let rootNode = world.files[.root], removedSomething || !rootNode.modified.matches(st.st_mtim) {
            try dir.setOwnTime(rootNode.modified)
        }
        mirror.tree = world.files
        statistics.seconds = monotonicSeconds() - start
    }

    func mode(_ st: stat) -> UInt32 { UInt32(st.st_mode) & 0o7777 }

    /// Scans one folder; returns whether entries were removed from it (its time then needs
    /// resetting again).
    mutating func walk(_ dir: DirectoryHandle, _ folder: WorkspacePath) throws(ShellError) -> Bool {
        var removedSomething = false
        var present: [(name: String, path: WorkspacePath)] = []
        for raw in try dir.entries().sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            guard let name = String(validating: raw, as: UTF8.self) else {
                try dir.removeTree(bytes: raw)
                skipped.append(SkippedEntry(path: SkippedEntry.printable(folder, raw), kind: "name not UTF-8", action: "removed"))
                removedSomething = true
                continue
            }
            present.append((name, folder.appending(name)))
        }
        let onDisk = Set(present.map(\.path))
        for gone in world.files.list(folder) where !onDisk.contains(gone) { try delete(gone) }

        for (name, path) in present {
            guard let st = try dir.status(name) else { continue }
            statistics.examined += 1
            let before = world.files[path]
            if before == nil {
                newEntries += 1
                if newEntries > maxNewEntries {
                    try dir.removeTree(name)
                    if overflow.count == 0 { overflow.first = path.raw }
                    overflow.count += 1
                    removedSomething = true
                    continue
                }
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                if let before, !before.isDirectory { try delete(path) }
                if world.files[path] == nil {
                    try apply(.created, path, .makeDirectory(path: path, mode: mode(st), modified: now), previous: nil)
                }
                let sub = try dir.openDirectory(name)
                let node = world.files[path]!
                if mode(st) != node.mode {
                    try sub.setOwnMode(node.mode)
                    reverted.append(path.raw)
                }
                let removedInside = try walk(sub, path)
                if removedInside || !node.modified.matches(st.st_mtim) {
                    try sub.setOwnTime(node.modified)
                    statistics.restamped += 1
                }
            case S_IFREG:
                removedSomething = try file(dir, name, path, st, before) || removedSomething
            case S_IFLNK:
                removedSomething = try link(dir, name, path, st, before) || removedSomething
            default:
                // Never opened: unlink only removes the name.
                try dir.removeTree(name)
                if before != nil { try delete(path) }
                skipped.append(SkippedEntry(path: path.raw, kind: kindName(st), action: "removed"))
                removedSomething = true
            }
        }
        return removedSomething
    }

    func kindName(_ st: stat) -> String {
        switch st.st_mode & S_IFMT {
        case S_IFIFO: return "fifo"
        case S_IFSOCK: return "socket"
        case S_IFCHR: return "character device"
        case S_IFBLK: return "block device"
        default: return "unknown file type"
        }
    }

    /// A regular file; returns true when it was removed from disk.
    mutating func file(_ dir: DirectoryHandle, _ name: String, _ path: WorkspacePath, _ st: stat,
                       _ before: FileNode?) throws(ShellError) -> Bool {
        if useFastPath, let before, let content = before.content, Int(st.st_size) == content.count,
            mode(st) == before.mode, before.modified.matches(st.st_mtim), mirror.stamps[path] == DiskStamp(st) {
            return false
        }
        guard statistics.hashedBytes + Int(st.st_size) <= sizeBudget else {
            return try overBudget(dir, name, path, before)
        }
        let content = Content(try dir.readRegularFile(name, limit: sizeBudget))
        statistics.hashed += 1
        statistics.hashedBytes += content.count
        let newMode = mode(st)
        var stampTime: VirtualTime
        switch before?.kind {
        case .file(let old)? where old == content:
            let node = before!
            if newMode != node.mode {
                try apply(.modified, path, .writeFile(path: path, content: content, mode: newMode, modified: node.modified),
                          previous: node)
            }
            stampTime = node.modified
        case .file?:
            try apply(.modified, path, .writeFile(path: path, content: content, mode: newMode, modified: now), previous: before)
            stampTime = now
        default:
            if before != nil { try delete(path) }
            try apply(.created, path, .writeFile(path: path, content: content, mode: newMode, modified: now), previous: nil)
            stampTime = now
        }
        if !stampTime.matches(st.st_mtim) {
            try dir.setTime(name, stampTime)
            statistics.restamped += 1
        }
        if let after = try dir.status(name) { mirror.stamps[path] = DiskStamp(after) }
        return false
    }

    /// A symbolic link: recorded as itself (its target is just text); returns true when removed.
    mutating func link(_ dir: DirectoryHandle, _ name: String, _ path: WorkspacePath, _ st: stat,
                       _ before: FileNode?) throws(ShellError) -> Bool {
        let raw = try dir.readLink(name)
        guard let target = String(validating: raw, as: UTF8.self) else {
            try dir.removeTree(name)
            if before != nil { try delete(path) }
            skipped.append(SkippedEntry(path: path.raw, kind: "link target not UTF-8", action: "removed"))
            return true
        }
        var stampTime = now
        switch before?.kind {
        case .symlink(let old)? where old == target:
            stampTime = before!.modified
        case .symlink?:
            try apply(.modified, path, .writeSymlink(path: path, target: target, modified: now), previous: before)
        default:
            if before != nil { try delete(path) }
            try apply(.created, path, .writeSymlink(path: path, target: target, modified: now), previous: nil)
        }
        if !stampTime.matches(st.st_mtim) {
            try dir.setTime(name, stampTime)
            statistics.restamped += 1
        }
        if let after = try dir.status(name) { mirror.stamps[path] = DiskStamp(after) }
        return false
    }

    /// More changed bytes than one command may hand the world: a new file is removed, a
    /// changed one gets the world's bytes back. Both are reported.
    mutating func overBudget(_ dir: DirectoryHandle, _ name: String, _ path: WorkspacePath,
                             _ before: FileNode?) throws(ShellError) -> Bool {
        try dir.removeTree(name)
        if let before {
            if before.isDirectory { try delete(path) } else {
                let temp = mirror.nextTempName(in: dir)
                switch before.kind {
                case .file(let c):
                    _ = try dir.createFile(temp, c.bytes, mode: before.mode, owner: mirror.owner, modified: before.modified)
                case .symlink(let t):
                    _ = try dir.makeSymlink(temp, target: t, owner: mirror.owner, modified: before.modified)
                case .directory: break
                }
                try dir.rename(temp, to: name)
                if let after = try dir.status(name) { mirror.stamps[path] = DiskStamp(after) }
            }
        }
        skipped.append(SkippedEntry(path: path.raw, kind: "over the size budget",
                                    action: before == nil || before!.isDirectory ? "removed" : "restored"))
        return true
    }

    mutating func delete(_ path: WorkspacePath) throws(ShellError) {
        guard let node = world.files[path] else { return }
        let inside = node.isDirectory ? world.files.descendants(of: path) : []
        mirror.forgetStamps(under: path, in: world.files)
        try apply(.deleted, path, .remove(path: path), previous: node, contents: inside)
    }

    mutating func apply(_ kind: WorkspaceChange.Kind, _ path: WorkspacePath, _ effect: WorldEffect, previous: FileNode?,
                        contents: [WorkspacePath] = []) throws(ShellError) {
        do { try world.apply(effect) } catch {
            throw ShellError(layer: "workspace", "the world refused a change read from disk (\(path)): \(error.message)")
        }
        changes.append(WorkspaceChange(kind: kind, path: path, effect: effect, previous: previous, contents: contents))
    }
}
