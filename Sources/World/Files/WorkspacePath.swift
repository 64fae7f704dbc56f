/// A normalised path inside the agent's home tree, such as `notes/todo.md` (the home itself
/// is the empty path). Equality and order are by UTF-8 bytes, as on Linux: `café` written
/// precomposed and decomposed are two different files, exactly as the shell will see them.
public struct WorkspacePath: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let raw: String

    public static let root = WorkspacePath(unchecked: "")
    public static let maxComponentBytes = 255
    public static let maxPathBytes = 4095

    init(unchecked raw: String) { self.raw = raw }

    public var isRoot: Bool { raw.isEmpty }
    public var description: String { isRoot ? "." : raw }
    public var components: [Substring] { splitOnSlash(Substring(raw)) }
    public var name: String { components.last.map(String.init) ?? "" }

    public var parent: WorkspacePath? {
        guard !isRoot else { return nil }
        guard let slash = raw.utf8.lastIndex(of: UInt8(ascii: "/")) else { return .root }
        return WorkspacePath(unchecked: String(raw[raw.startIndex..<slash]))
    }

    public func appending(_ name: String) -> WorkspacePath {
        WorkspacePath(unchecked: isRoot ? name : raw + "/" + name)
    }

    /// True when `self` is `other` or lies beneath it.
    public func isWithin(_ other: WorkspacePath) -> Bool {
        if other.isRoot || self == other { return true }
        let prefix = other.raw.utf8
        let mine = raw.utf8
        return mine.count > prefix.count && mine.starts(with: prefix)
            && mine[mine.index(mine.startIndex, offsetBy: prefix.count)] == UInt8(ascii: "/")
    }

    /// `self` with the prefix `from` replaced by `to` (for moves of whole folders).
    public func rebased(from: WorkspacePath, to: WorkspacePath) -> WorkspacePath {
        if self == from { return to }
        let rest = String(decoding: raw.utf8.dropFirst(from.isRoot ? 0 : from.raw.utf8.count + 1), as: UTF8.self)
        return to.isRoot ? WorkspacePath(unchecked: rest) : WorkspacePath(unchecked: to.raw + "/" + rest)
    }

    public static func == (a: WorkspacePath, b: WorkspacePath) -> Bool { a.raw.utf8.elementsEqual(b.raw.utf8) }
    public func hash(into hasher: inout Hasher) {
        raw.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            ?? hasher.combine(Array(raw.utf8).count)
    }
    public static func < (a: WorkspacePath, b: WorkspacePath) -> Bool { a.raw.utf8.lexicographicallyPrecedes(b.raw.utf8) }

    /// Resolves what the agent typed against its home. Relative paths start at the home;
    /// `~` and `~/…` name it; absolute paths must lie inside `home`. `.` and `..` are
    /// resolved lexically, and `..` above the home is refused rather than clamped, so the
    /// agent learns the path was outside instead of silently getting another file.
    public static func resolve(_ input: String, home: String) throws(WorldError) -> WorkspacePath {
        if input.utf8.contains(0) { throw .invalidPath(printable(input), reason: "contains a NUL byte") }
        if input.utf8.count > maxPathBytes { throw .invalidPath(printable(input), reason: "path too long (over \(maxPathBytes) bytes)") }
        // Everything here works on the "/" byte, never on Characters: a combining mark
        // after a slash must not glue the slash to the next name (and hide a "..").
        let bytes = input.utf8
        var relative = Substring(input)
        if input == "~" {
            relative = ""
        } else if bytes.starts(with: "~/".utf8) {
            relative = Substring(input).dropFirstBytes(2)
        } else if bytes.first == UInt8(ascii: "/") {
            let homeParts = splitOnSlash(Substring(home))
            var parts: [Substring] = []
            for part in splitOnSlash(Substring(input)) {
                if part.utf8.elementsEqual(".".utf8) { continue }
                if part.utf8.elementsEqual("..".utf8) { if !parts.isEmpty { parts.removeLast() }; continue }
                parts.append(part)
            }
            guard parts.count >= homeParts.count, Array(parts.prefix(homeParts.count)).elementsEqualUTF8(homeParts) else {
                throw .outsideWorkspace(input)
            }
            relative = Substring(parts.dropFirst(homeParts.count).joined(separator: "/"))
        }
        var parts: [Substring] = []
        for part in splitOnSlash(relative) {
            if part.utf8.elementsEqual(".".utf8) { continue }
            if part.utf8.elementsEqual("..".utf8) {
                if parts.isEmpty { throw .outsideWorkspace(input) }
                parts.removeLast()
                continue
            }
            if part.utf8.count > maxComponentBytes {
                throw .invalidPath(printable(input), reason: "file name too long (over \(maxComponentBytes) bytes)")
            }
            parts.append(part)
        }
        return WorkspacePath(unchecked: parts.joined(separator: "/"))
    }

    /// The path as the agent should see it in a message: short, control characters escaped.
    static func printable(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars.prefix(200) {
            if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" }
            else { out.unicodeScalars.append(scalar) }
        }
        return s.unicodeScalars.count > 200 ? out + "…" : out
    }
}

extension Array where Element == Substring {
    func elementsEqualUTF8(_ other: [Substring]) -> Bool {
        count == other.count && zip(self, other).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
    }
}

/// Splits on the "/" byte, dropping empty parts. Indices come from the UTF-8 view, so a
/// part ends exactly at a slash even when a combining mark follows it.
func splitOnSlash(_ s: Substring) -> [Substring] {
    var parts: [Substring] = []
    var start = s.utf8.startIndex
    var index = start
    while index != s.utf8.endIndex {
        if s.utf8[index] == UInt8(ascii: "/") {
            if start != index { parts.append(s[start..<index]) }
            start = s.utf8.index(after: index)
        }
        index = s.utf8.index(after: index)
    }
    if start != s.utf8.endIndex { parts.append(s[start..<s.utf8.endIndex]) }
    return parts
}

extension Substring {
    func dropFirstBytes(_ n: Int) -> Substring {
        self[utf8.index(utf8.startIndex, offsetBy: n)...]
    }
}
