import TerrariumBase
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#endif

/// Reading back what a command did, as world effects. Candidates come from the inotify
/// record of the command (ChangeWatch) or, when that record may be incomplete, from an
/// lstat walk of the whole tree. A candidate file whose size, mode, mtime (the world's
/// virtual time) and stamp (inode and ctime from when the supervisor last wrote or read
/// it) are unchanged is unchanged; any other is read and hashed. The choice is measured in
/// docs/SHELL.md.
///
/// Runs only after every process of the sandbox is gone (the pid namespace died with its
/// init), so nothing changes under it; it still never follows a link.
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
    /// With `false`, the whole tree is walked even when inotify has a complete record.
    var useEvents = true
    var maxNewEntries = Int.max
    private var newEntries = 0
    /// New entries removed because they were over `maxNewEntries`, and the first of them.
    private var overflow = (count: 0, first: "")
    /// Paths already examined in this scan (hard links bring some twice).
    private var examined: Set<WorkspacePath> = []
    /// Files the event record says were written: always read (with their other names).
    private var mustRead: Set<WorkspacePath> = []

    init(mirror: WorkspaceMirror, world: World, sizeBudget: Int) {
        self.mirror = mirror
        self.world = world
        self.now = world.clock.now
        self.sizeBudget = sizeBudget
    }

    mutating func run() throws(ShellError) {
        let start = monotonicSeconds()
        if useEvents, let watch = mirror.watch, let touched = watch.touched() {
            statistics.method = "events"
            try runCandidates(touched)
        } else {
            statistics.method = "walk"
            try runWalk()
        }
        if overflow.count > 0 {
            skipped.append(SkippedEntry(path: overflow.first, kind: "over the new-entry budget (\(maxNewEntries))",
                                        action: "removed \(overflow.count) new entr\(overflow.count == 1 ? "y" : "ies") from here on"))
        }
        mirror.tree = world.files
        statistics.seconds = monotonicSeconds() - start
    }

    func mode(_ st: stat) -> UInt32 { UInt32(st.st_mode) & 0o7777 }

    // MARK: The whole tree

    mutating func runWalk() throws(ShellError) {
        let dir = try DirectoryHandle.open(mirror.root)
        try walk(dir, .root)
    }

    /// Examines every entry of a folder and, recursively, of its folders; then puts the
    /// folder's own mode and time back to the world's.
    mutating func walk(_ dir: DirectoryHandle, _ folder: WorkspacePath) throws(ShellError) {
        var present: [(name: String, path: WorkspacePath)] = []
        for raw in try dir.entries().sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            guard let name = String(validating: raw, as: UTF8.self) else {
                try dir.removeTree(bytes: raw)
                skipped.append(SkippedEntry(path: SkippedEntry.printable(folder, raw), kind: "name not UTF-8", action: "removed"))
                continue
            }
            present.append((name, folder.appending(name)))
        }
        let known = world.files.children[folder] ?? []
        if known.count > 0 {
            let onDisk = Set(present.map(\.path))
            for gone in known.sorted() where !onDisk.contains(gone) { try delete(gone) }
        }
        for (name, path) in present { try examine(dir, name, path, walkFolders: true) }
        try settleFolder(dir, folder)
    }

    // MARK: Only what the command touched

    mutating func runCandidates(_ touched: ChangeWatch.Touched) throws(ShellError) {
        var byFolder: [WorkspacePath: Set<WorkspacePath>] = [:]
        for path in touched.written { mustRead.formUnion([path] + mirror.otherNames(of: path)) }
        for path in touched.names {
            // A file with other names changed under all of them.
            for p in [path] + mirror.otherNames(of: path) { if let parent = p.parent { byFolder[parent, default: []].insert(p) } }
        }
        let folders = Set(byFolder.keys).union(touched.folders)
        // Shallow first: a folder that is gone is handled by its parent's entry.
        for folder in folders.sorted() {
            guard world.files[folder]?.isDirectory == true, let dir = try open(folder) else { continue }
            for path in (byFolder[folder] ?? []).sorted() where !examined.contains(path) {
                guard world.files[folder]?.isDirectory == true else { break }
                if try dir.status(path.name) == nil {
                    try delete(path)
                } else {
                    try examine(dir, path.name, path, walkFolders: false)
                }
            }
            try settleFolder(dir, folder)
        }
    }

    /// Opens a folder of the tree from the home, component by component, never through a
    /// link; nil when it is no longer a folder on disk.
    func open(_ folder: WorkspacePath) throws(ShellError) -> DirectoryHandle? {
        var dir = try DirectoryHandle.open(mirror.root)
        for part in folder.components {
            let fd = openat(dir.fd, String(part), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            dir = DirectoryHandle(fd: fd, path: dir.child(String(part)))
        }
        return dir
    }

    // MARK: One entry

    /// Compares one entry on disk with the world and records the difference. A new folder
    /// is walked whole; an existing one only with `walkFolders` (a full walk).
    mutating func examine(_ dir: DirectoryHandle, _ name: String, _ path: WorkspacePath, walkFolders: Bool) throws(ShellError) {
        guard examined.insert(path).inserted, let st = try dir.status(name) else { return }
        statistics.examined += 1
        let before = world.files[path]
        if before == nil {
            newEntries += 1
            if newEntries > maxNewEntries {
                try dir.removeTree(name)
                if overflow.count == 0 { overflow.first = path.raw }
                overflow.count += 1
                return
            }
        }
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            if let before, !before.isDirectory { try delete(path) }
            let isNew = world.files[path] == nil
            if isNew {
                try apply(.created, path, .makeDirectory(path: path, mode: mode(st), modified: now), previous: nil)
            }
            if isNew || walkFolders {
                let sub = try dir.openDirectory(name)
                mirror.watch?.watch(path, at: mirror.hostPath(path))
                try walk(sub, path)
            }
        case S_IFREG:
            try file(dir, name, path, st, before)
        case S_IFLNK:
            try link(dir, name, path, st, before)
        default:
            // Never opened: unlink only removes the name.
            try dir.removeTree(name)
            if before != nil { try delete(path) }
            skipped.append(SkippedEntry(path: path.raw, kind: kindName(st), action: "removed"))
        }
    }

    /// Puts a folder's mode (the world has no folder-mode effect) and time back.
    mutating func settleFolder(_ dir: DirectoryHandle, _ folder: WorkspacePath) throws(ShellError) {
        guard let node = world.files[folder] else { return }
        var st = stat()
        guard fstat(dir.fd, &st) == 0 else { throw .system("workspace", "fstat", dir.path) }
        if mode(st) != node.mode {
            try dir.setOwnMode(node.mode)
            reverted.append(folder.isRoot ? "." : folder.raw)
        }
        if !node.modified.matches(st.st_mtim) {
            try dir.setOwnTime(node.modified)
            statistics.restamped += 1
        }
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

    /// A regular file.
    mutating func file(_ dir: DirectoryHandle, _ name: String, _ path: WorkspacePath, _ st: stat,
                       _ before: FileNode?) throws(ShellError) {
        if st.st_nlink > 1 {
            // Its other names changed with it: examine them too (a full walk reaches them anyway).
            for other in mirror.otherNames(of: path, inode: UInt64(st.st_ino)) where !examined.contains(other) {
                if let parent = other.parent, world.files[parent]?.isDirectory == true, let d = try open(parent),
                    try d.status(other.name) != nil {
                    try examine(d, other.name, other, walkFolders: false)
                }
            }
        }
        if useFastPath, !mustRead.contains(path), let before, let content = before.content, Int(st.st_size) == content.count,
            mode(st) == before.mode, before.modified.matches(st.st_mtim), mirror.stamps[path] == DiskStamp(st) {
            return
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
        if let after = try dir.status(name) { mirror.setStamp(path, after) }
    }

    /// A symbolic link: recorded as itself (its target is just text).
    mutating func link(_ dir: DirectoryHandle, _ name: String, _ path: WorkspacePath, _ st: stat,
                       _ before: FileNode?) throws(ShellError) {
        let raw = try dir.readLink(name)
        guard let target = String(validating: raw, as: UTF8.self) else {
            try dir.removeTree(name)
            if before != nil { try delete(path) }
            skipped.append(SkippedEntry(path: path.raw, kind: "link target not UTF-8", action: "removed"))
            return
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
        if let after = try dir.status(name) { mirror.setStamp(path, after) }
    }

    /// More changed bytes than one command may hand the world: a new file is removed, a
    /// changed one gets the world's bytes back. Both are reported.
    mutating func overBudget(_ dir: DirectoryHandle, _ name: String, _ path: WorkspacePath,
                             _ before: FileNode?) throws(ShellError) {
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
                if let after = try dir.status(name) { mirror.setStamp(path, after) }
            }
        }
        skipped.append(SkippedEntry(path: path.raw, kind: "over the size budget",
                                    action: before == nil || before!.isDirectory ? "removed" : "restored"))
    }

    mutating func delete(_ path: WorkspacePath) throws(ShellError) {
        guard let node = world.files[path] else { return }
        let inside = node.isDirectory ? world.files.descendants(of: path) : []
        mirror.forgetStamps(under: path, in: world.files)
        if node.isDirectory { mirror.watch?.forget(under: path) }
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
