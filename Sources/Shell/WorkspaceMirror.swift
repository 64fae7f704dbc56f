import TerrariumBase
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#endif

/// The world's home tree on disk: the folder bound read-write at the agent's home in the
/// sandbox. The world stays the truth; the mirror writes it to disk before a command
/// (everything at the first command, then only what other tools changed) and reads back
/// what the command changed (ChangeScan.swift). Every path is opened relative to its
/// parent's descriptor without following links.
final class WorkspaceMirror {
    let root: String
    let owner: Owner
    /// What the disk holds, as a world tree; nil until materialised.
    var tree: FileTree?
    /// For each file and link: its inode and ctime when the supervisor last wrote or read
    /// it. A write, a chmod, a rename or a utimensat all change ctime, which no process can
    /// set, so an equal stamp proves the content is the one the world knows.
    private(set) var stamps: [WorkspacePath: DiskStamp] = [:]
    /// inode → the paths stamped with it, to find every name of a hard-linked file.
    private(set) var inodes: [UInt64: Set<WorkspacePath>] = [:]
    /// inotify on every folder (nil: every scan walks the whole tree).
    let watch: ChangeWatch?
    private var tempCounter = 0

    init(root: String, owner: Owner, watchChanges: Bool = true) {
        self.root = root
        self.owner = owner
        self.watch = watchChanges ? ChangeWatch() : nil
    }

    func setStamp(_ path: WorkspacePath, _ st: stat) {
        let stamp = DiskStamp(st)
        if let old = stamps.updateValue(stamp, forKey: path), old.inode != stamp.inode {
            inodes[old.inode]?.remove(path)
            if inodes[old.inode]?.isEmpty == true { inodes[old.inode] = nil }
        }
        inodes[stamp.inode, default: []].insert(path)
    }

    func removeStamp(_ path: WorkspacePath) {
        guard let old = stamps.removeValue(forKey: path) else { return }
        inodes[old.inode]?.remove(path)
        if inodes[old.inode]?.isEmpty == true { inodes[old.inode] = nil }
    }

    /// Every other path stamped with the same inode (hard links).
    func otherNames(of path: WorkspacePath, inode: UInt64? = nil) -> Set<WorkspacePath> {
        guard let ino = inode ?? stamps[path]?.inode, var all = inodes[ino] else { return [] }
        all.remove(path)
        return all
    }

    func hostPath(_ path: WorkspacePath) -> String { path.isRoot ? root : root + "/" + path.raw }

    /// Watches every folder of `files` not watched yet.
    func watchFolders(_ files: FileTree) {
        guard let watch else { return }
        for (path, node) in files.nodes where node.isDirectory && !watch.isWatched(path) {
            watch.watch(path, at: hostPath(path))
        }
    }

    /// Creates the home folder and writes the whole tree into it.
    func materialise(_ files: FileTree) throws(ShellError) {
        guard let rootNode = files[.root] else { throw ShellError(layer: "workspace", "the world has no home folder") }
        guard mkdir(root, 0o700) == 0 else { throw .system("workspace", "mkdir", root) }
        let dir = try DirectoryHandle.open(root)
        guard fchown(dir.fd, owner.uid, owner.gid) == 0 else { throw .system("workspace", "chown", root) }
        try write(files, .root, into: dir)
        try dir.setOwnMode(rootNode.mode)
        try dir.setOwnTime(rootNode.modified)
        tree = files
        watchFolders(files)
    }

    private func write(_ files: FileTree, _ folder: WorkspacePath, into dir: DirectoryHandle) throws(ShellError) {
        for path in files.list(folder) {
            guard let node = files[path] else { continue }
            try create(path, node, in: dir, files: files)
        }
    }

    /// Creates one node (a folder with everything beneath it) under a fresh name.
    private func create(_ path: WorkspacePath, _ node: FileNode, in dir: DirectoryHandle, as name: String? = nil,
                        files: FileTree) throws(ShellError) {
        let name = name ?? path.name
        switch node.kind {
        case .directory:
            try dir.makeDirectory(name, mode: node.mode, owner: owner)
            let sub = try dir.openDirectory(name)
            try write(files, path, into: sub)
            try sub.setOwnTime(node.modified)
        case .file(let content):
            let st = try dir.createFile(name, content.bytes, mode: node.mode, owner: owner, modified: node.modified)
            setStamp(path, st)
        case .symlink(let target):
            let st = try dir.makeSymlink(name, target: target, owner: owner, modified: node.modified)
            setStamp(path, st)
        }
    }

    /// Brings the disk to `files` (what other tools changed since the last command).
    /// Returns how many paths were written or removed.
    func sync(to files: FileTree) throws(ShellError) -> Int {
        guard let old = tree else { try materialise(files); return files.nodes.count }
        if old == files { return 0 }
        var handles: [WorkspacePath: DirectoryHandle] = [.root: try DirectoryHandle.open(root)]
        func handle(_ folder: WorkspacePath) throws(ShellError) -> DirectoryHandle {
            if let h = handles[folder] { return h }
            guard let parent = folder.parent else { return handles[.root]! }
            let h = try handle(parent).openDirectory(folder.name)
            handles[folder] = h
            return h
        }
        var count = 0
        // 1. Remove what is gone, or changed between folder and non-folder (top-most only).
        var removals: [WorkspacePath] = []
        for (path, before) in old.nodes where !path.isRoot {
            if let now = files[path], now.isDirectory == before.isDirectory { continue }
            removals.append(path)
        }
        let removed = Set(removals)
        for path in removals.sorted() where !hasAncestor(path, in: removed) {
            try handle(path.parent!).removeTree(path.name)
            forgetStamps(under: path, in: old)
            watch?.forget(under: path)
            handles[path] = nil
            count += 1
        }
        // 2. Create or replace, parents first; remember folders whose time must be reset.
        var touched = Set<WorkspacePath>()
        for path in files.nodes.keys.sorted() where !path.isRoot {
            guard let node = files[path] else { continue }
            let before = removed.contains(path) || hasAncestor(path, in: removed) ? nil : old[path]
            if before == node { continue }
            let dir = try handle(path.parent!)
            touched.insert(path.parent!)
            count += 1
            switch (node.kind, before?.kind) {
            case (.directory, .directory?):
                let sub = try handle(path)
                if before?.mode != node.mode { try sub.setOwnMode(node.mode) }
                touched.insert(path)
            case (.directory, _):
                try dir.makeDirectory(path.name, mode: node.mode, owner: owner)
                touched.insert(path)
            default:
                // A file or link, new or replacing one: written under a temporary name and
                // renamed over, so a hard link the agent made to the old file keeps the old
                // bytes (as the world says: two names are two files).
                let temp = nextTempName(in: dir)
                try create(path, node, in: dir, as: temp, files: files)
                try dir.rename(temp, to: path.name)
                if let st = try dir.status(path.name) { setStamp(path, st) }
            }
        }
        // 3. Folder times and the home's own mode and time, deepest first.
        if old[.root] != files[.root] { touched.insert(.root) }
        for folder in touched.sorted(by: >) {
            guard let node = files[folder], node.isDirectory else { continue }
            let h = try handle(folder)
            if folder.isRoot && old[.root]?.mode != node.mode { try h.setOwnMode(node.mode) }
            try h.setOwnTime(node.modified)
        }
        tree = files
        watchFolders(files)
        return count
    }

    func nextTempName(in dir: DirectoryHandle) -> String {
        while true {
            tempCounter += 1
            let name = ".terrarium-new-\(tempCounter)"
            if (try? dir.status(name)) == nil { return name }
        }
    }

    func forgetStamps(under path: WorkspacePath, in files: FileTree) {
        removeStamp(path)
        for p in files.descendants(of: path) { removeStamp(p) }
    }

    func hasAncestor(_ path: WorkspacePath, in set: Set<WorkspacePath>) -> Bool {
        var p = path.parent
        while let current = p, !current.isRoot {
            if set.contains(current) { return true }
            p = current.parent
        }
        return false
    }
}

/// Inode and ctime of an entry as the supervisor last saw it.
struct DiskStamp: Equatable {
    var inode: UInt64
    var ctimeSeconds: Int
    var ctimeNanoseconds: Int

    init(_ st: stat) {
        inode = UInt64(st.st_ino)
        ctimeSeconds = st.st_ctim.tv_sec
        ctimeNanoseconds = st.st_ctim.tv_nsec
    }
}
