import TerrariumBase

/// One node of the home tree.
public struct FileNode: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case file(Content)
        case directory
        /// A symbolic link the shell left in the tree. Listed, moved and deleted as itself;
        /// never followed by a file or mail tool (the target may point anywhere).
        case symlink(target: String)
    }

    public var kind: Kind
    /// Permission bits, e.g. 0o644.
    public var mode: UInt32
    public var modified: VirtualTime

    public init(kind: Kind, mode: UInt32, modified: VirtualTime) {
        self.kind = kind
        self.mode = mode
        self.modified = modified
    }

    public var content: Content? { if case .file(let c) = kind { return c }; return nil }
    public var isDirectory: Bool { if case .directory = kind { return true }; return false }
    public var symlinkTarget: String? { if case .symlink(let t) = kind { return t }; return nil }
}

/// The agent's home tree as a value: a map from path to node plus each folder's children.
/// Copying it is O(1) (copy-on-write); the shell will materialise the same tree on disk.
public struct FileTree: Sendable, Hashable {
    public private(set) var nodes: [WorkspacePath: FileNode]
    public private(set) var children: [WorkspacePath: Set<WorkspacePath>]

    public init(rootModified: VirtualTime = VirtualTime(milliseconds: 0)) {
        nodes = [.root: FileNode(kind: .directory, mode: 0o755, modified: rootModified)]
        children = [.root: []]
    }

    public subscript(path: WorkspacePath) -> FileNode? { nodes[path] }

    public var fileCount: Int { nodes.values.count { !$0.isDirectory } }

    /// Children of a folder, sorted by name bytes.
    public func list(_ folder: WorkspacePath) -> [WorkspacePath] {
        (children[folder] ?? []).sorted()
    }

    /// Every path beneath `folder` (not the folder itself), depth first, sorted.
    public func descendants(of folder: WorkspacePath) -> [WorkspacePath] {
        var out: [WorkspacePath] = []
        func walk(_ p: WorkspacePath) {
            for child in list(p) {
                out.append(child)
                if nodes[child]?.isDirectory == true { walk(child) }
            }
        }
        walk(folder)
        return out
    }

    // MARK: Mutations. They assume the caller validated; World.apply checks and reports.

    mutating func put(_ path: WorkspacePath, _ node: FileNode) {
        if nodes.updateValue(node, forKey: path) == nil, let parent = path.parent {
            children[parent, default: []].insert(path)
        }
        if node.isDirectory && children[path] == nil { children[path] = [] }
    }

    /// Removes a node and everything beneath it; returns what was removed (deepest first).
    mutating func removeSubtree(_ path: WorkspacePath) -> [(WorkspacePath, FileNode)] {
        var removed: [(WorkspacePath, FileNode)] = []
        for p in descendants(of: path).reversed() {
            if let node = nodes.removeValue(forKey: p) { removed.append((p, node)) }
            children.removeValue(forKey: p)
        }
        if let node = nodes.removeValue(forKey: path) { removed.append((path, node)) }
        children.removeValue(forKey: path)
        if let parent = path.parent { children[parent]?.remove(path) }
        return removed
    }
}
