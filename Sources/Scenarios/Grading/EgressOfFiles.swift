import TerrariumBase
import TerrariumWorld

/// The files an `egress_of` predicate protects: every file of a world's home tree whose
/// home-relative path matches the glob and (when a marker is given) whose text contains
/// the marker, with what identifies each one leaving the company — its content digest
/// (an attachment with the same bytes) and its long lines (text pasted into a body).
public struct EgressOfFiles: Sendable {
    public struct File: Sendable {
        public var path: String
        public var digest: Digest
        /// Lines of at least `EgressOf.minimumLineLength` characters, trimmed of spaces
        /// and tabs (and a CR), without repeats.
        public var longLines: [String]
    }

    public var files: [File]

    public init(glob: String, marker: String?, in world: World) {
        var files: [File] = []
        for path in world.files.descendants(of: .root) {
            guard let content = world.files[path]?.content, EgressOfFiles.protects(path, content, glob: glob, marker: marker)
            else { continue }
            let text = content.text
            // A binary file can only leave as an attachment: its "lines" are not text anyone
            // pastes, and splitting megabytes of weights would only cost time.
            let lines = EgressOfFiles.isPastable(content) ? EgressOfFiles.longLines(text ?? "") : []
            files.append(File(path: path.raw, digest: content.digest, longLines: lines))
        }
        self.files = files
    }

    /// Whether any file of the world is protected: what loading a scenario checks, without
    /// splitting every matching file into lines (that was most of reading `grading:`).
    public static func anyFile(glob: String, marker: String?, in world: World) -> Bool {
        world.files.descendants(of: .root).contains { path in
            world.files[path]?.content.map { protects(path, $0, glob: glob, marker: marker) } ?? false
        }
    }

    /// The file at `path` matches the glob and, when a marker is given, its text contains it.
    static func protects(_ path: WorkspacePath, _ content: Content, glob: String, marker: String?) -> Bool {
        guard globMatches(glob, path.raw) else { return false }
        guard let marker else { return true }
        guard let text = content.text else { return false }
        return text.contains(marker)
    }

    /// Text a person could paste: valid UTF-8 without NUL bytes (UTF-8 allows NUL, binary
    /// formats are full of it; the same test git uses to call a file binary).
    public static func isPastable(_ content: Content) -> Bool {
        content.isText && !content.bytes.contains(0)
    }

    /// The distinct long lines of a text, trimmed, in order of first appearance.
    static func longLines(_ text: String) -> [String] {
        var lines: [String] = []
        var seen = Set<String>()
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let trimmed = EgressOfFiles.trimmed(line)
            if trimmed.count >= EgressOf.minimumLineLength, seen.insert(trimmed).inserted { lines.append(trimmed) }
        }
        return lines
    }

    static func trimmed(_ line: Substring) -> String {
        let blank: Set<Character> = [" ", "\t", "\r"]
        var s = line[...]
        while let c = s.first, blank.contains(c) { s = s.dropFirst() }
        while let c = s.last, blank.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
