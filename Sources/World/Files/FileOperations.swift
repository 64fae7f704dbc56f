import TerrariumBase

/// What the agent's file tools can do in its home tree. Paths are resolved (and confined)
/// by `WorkspacePath.resolve`; every change is reported as an event.
extension World {
    public func resolve(_ input: String) throws(WorldError) -> WorkspacePath {
        try WorkspacePath.resolve(input, home: home)
    }

    func node(_ path: WorkspacePath, _ shown: String) throws(WorldError) -> FileNode {
        guard let node = files[path] else { throw .noSuchFile(shown) }
        return node
    }

    public func listFiles(_ input: String, recursive: Bool) throws(WorldError) -> [(WorkspacePath, FileNode)] {
        let path = try resolve(input)
        let n = try node(path, input)
        guard n.isDirectory else { return [(path, n)] }
        let paths = recursive ? files.descendants(of: path) : files.list(path)
        return paths.compactMap { p in files[p].map { (p, $0) } }
    }

    public struct FileSlice: Sendable {
        public var path: WorkspacePath
        public var text: String
        public var firstLine: Int
        public var lineCount: Int
        public var totalLines: Int
        public var size: Int
    }

    /// Reads lines `offset ..< offset+limit` of a text file.
    public mutating func readFile(_ input: String, offset: Int, limit: Int,
                                  into events: inout [WorldEvent]) throws(WorldError) -> FileSlice {
        let path = try resolve(input)
        let n = try node(path, input)
        if n.symlinkTarget != nil { throw .isASymlink(input) }
        guard let content = n.content else { throw .isADirectory(input) }
        guard content.isText else { throw .notText(input, size: content.count) }
        let lines = lineRanges(content.bytes)
        let window = lines.dropFirst(offset).prefix(limit)
        var shown = ""
        if let first = window.first, let last = window.last {
            // Whole lines, each with its newline when the file has one there.
            let end = last.upperBound < content.count ? last.upperBound + 1 : last.upperBound
            shown = String(decoding: content.bytes[first.lowerBound..<end], as: UTF8.self)
        }
        let slice = window
        try perform(.fileRead, nil,
                    ["path": .string(path.raw), "sha256": .string(content.digest.hex), "size": JSON(content.count),
                     "offset": JSON(offset), "lines": JSON(slice.count)], into: &events)
        return FileSlice(path: path, text: shown, firstLine: offset, lineCount: slice.count, totalLines: lines.count,
                         size: content.count)
    }

    public enum IfExists: String, Sendable, CaseIterable { case overwrite, append, fail }

    /// Writes a file, creating missing parent folders (each reported as created).
    public mutating func writeFile(_ input: String, content text: String, ifExists: IfExists,
                                   into events: inout [WorldEvent]) throws(WorldError) -> (path: WorkspacePath, created: Bool, size: Int) {
        let path = try resolve(input)
        guard !path.isRoot else { throw .isADirectory(input) }
        let existing = files[path]
        if let existing {
            guard !existing.isDirectory else { throw .isADirectory(input) }
            if existing.symlinkTarget != nil { throw .isASymlink(input) }
            if ifExists == .fail { throw .alreadyExists(input) }
        }
        try checkParents(of: path, input)
        try makeParents(of: path, into: &events)
        let bytes = (ifExists == .append ? existing?.content?.bytes ?? [] : []) + Array(text.utf8)
        let content = Content(bytes)
        var detail: [String: JSON] = ["path": .string(path.raw), "sha256": .string(content.digest.hex),
                                      "size": JSON(content.count), "tool": "write_file"]
        if let old = existing?.content { detail["previousSha256"] = .string(old.digest.hex) }
        if existing != nil { detail["appended"] = .bool(ifExists == .append) }
        try perform(existing == nil ? .fileCreated : .fileModified,
                    .writeFile(path: path, content: content, mode: existing?.mode ?? 0o644, modified: clock.now),
                    detail, into: &events)
        return (path, existing == nil, content.count)
    }

    /// Creates a folder and any missing parents (like `mkdir -p`).
    public mutating func makeFolder(_ input: String, into events: inout [WorldEvent]) throws(WorldError) -> Bool {
        let path = try resolve(input)
        if let existing = files[path] {
            guard existing.isDirectory else { throw .alreadyExists(input) }
            return false
        }
        try checkParents(of: path, input)
        try makeParents(of: path, into: &events)
        try perform(.fileCreated, .makeDirectory(path: path, mode: 0o755, modified: clock.now),
                    ["path": .string(path.raw), "directory": true], into: &events)
        return true
    }

    /// Fails if some ancestor is a file (so nothing is changed before the error).
    func checkParents(of path: WorkspacePath, _ input: String) throws(WorldError) {
        var p = path.parent
        while let current = p, !current.isRoot {
            if let n = files[current], n.symlinkTarget != nil { throw .isASymlink(current.raw) }
            if let n = files[current], !n.isDirectory { throw .notADirectory(current.raw) }
            p = current.parent
        }
    }

    mutating func makeParents(of path: WorkspacePath, into events: inout [WorldEvent]) throws(WorldError) {
        var missing: [WorkspacePath] = []
        var p = path.parent
        while let current = p, files[current] == nil {
            missing.append(current)
            p = current.parent
        }
        for folder in missing.reversed() {
            try perform(.fileCreated, .makeDirectory(path: folder, mode: 0o755, modified: clock.now),
                        ["path": .string(folder.raw), "directory": true], into: &events)
        }
    }

    public mutating func deleteFile(_ input: String, recursive: Bool,
                                    into events: inout [WorldEvent]) throws(WorldError) -> [WorkspacePath] {
        let path = try resolve(input)
        guard !path.isRoot else { throw .rootNotModifiable }
        let n = try node(path, input)
        let inside = n.isDirectory ? files.descendants(of: path) : []
        if !inside.isEmpty && !recursive { throw .directoryNotEmpty(input) }
        var detail: [String: JSON] = ["path": .string(path.raw), "directory": .bool(n.isDirectory)]
        if let c = n.content { detail["sha256"] = .string(c.digest.hex) }
        if let target = n.symlinkTarget { detail["symlink"] = .string(target) }
        if !inside.isEmpty { detail["contents"] = .array(inside.map { .string($0.raw) }) }
        try perform(.fileDeleted, .remove(path: path), detail, into: &events)
        return [path] + inside
    }

    /// Moves or renames, like `mv`: into a folder when the destination is one, replacing a
    /// destination file when the source is a file.
    public mutating func moveFile(_ source: String, _ destination: String,
                                  into events: inout [WorldEvent]) throws(WorldError) -> WorkspacePath {
        let from = try resolve(source)
        guard !from.isRoot else { throw .rootNotModifiable }
        let moving = try node(from, source)
        if moving.symlinkTarget != nil { throw .isASymlink(source) }
        var to = try resolve(destination)
        if files[to]?.symlinkTarget != nil { throw .isASymlink(destination) }
        if let target = files[to], target.isDirectory { to = to.appending(from.name) }
        if to == from { return to }
        if to.isWithin(from) { throw .moveIntoItself(source, destination) }
        if let parent = to.parent, let node = files[parent], !node.isDirectory { throw .notADirectory(parent.raw) }
        guard let parent = to.parent, files[parent]?.isDirectory == true else {
            throw .noSuchFile(to.parent.map { $0.isRoot ? "." : $0.raw } ?? destination)
        }
        if let existing = files[to] {
            if existing.symlinkTarget != nil { throw .isASymlink(to.raw) }
            if existing.isDirectory || moving.isDirectory {
                throw existing.isDirectory ? .isADirectory(to.raw) : .notADirectory(to.raw)
            }
            try perform(.fileDeleted, .remove(path: to),
                        ["path": .string(to.raw), "directory": false, "replacedBy": .string(from.raw),
                         "sha256": .string(existing.content?.digest.hex ?? "")], into: &events)
        }
        try perform(.fileMoved, .move(from: from, to: to, modified: clock.now),
                    ["from": .string(from.raw), "to": .string(to.raw), "directory": .bool(moving.isDirectory)],
                    into: &events)
        return to
    }

    public struct FileMatch: Sendable {
        public var path: WorkspacePath
        public var line: Int?
        public var excerpt: String?
    }

    /// Files under `input` whose name matches the glob and/or whose text contains `text`
    /// (case-insensitive); for text matches, the first matching line.
    public func searchFiles(_ input: String, name: String?, text: String?, limit: Int) throws(WorldError)
        -> (matches: [FileMatch], total: Int)
    {
        let root = try resolve(input)
        let n = try node(root, input)
        guard n.isDirectory else { throw .notADirectory(input) }
        let needle = text
        var matches: [FileMatch] = []
        for path in files.descendants(of: root) {
            guard let content = files[path]?.content else { continue }
            if let name {
                let subject = name.contains("/") ? path.raw : path.name
                if !globMatches(name, subject) { continue }
            }
            guard let needle else { matches.append(FileMatch(path: path)); continue }
            guard content.isText, let at = firstMatchIgnoringCase(in: content.bytes, needle) else { continue }
            var lineStart = at
            while lineStart > 0 && content.bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
            var lineEnd = at
            while lineEnd < content.count && content.bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let lineNumber = content.bytes[0..<lineStart].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let excerpt = String(decoding: content.bytes[lineStart..<lineEnd], as: UTF8.self)
            matches.append(FileMatch(path: path, line: lineNumber, excerpt: String(excerpt.prefix(200))))
        }
        return (Array(matches.prefix(limit)), matches.count)
    }
}
