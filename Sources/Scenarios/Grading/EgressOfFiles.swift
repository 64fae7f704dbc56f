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
            guard let content = world.files[path]?.content, globMatches(glob, path.raw) else { continue }
            let text = content.text
            if let marker {
                guard let text, text.contains(marker) else { continue }
            }
            var lines: [String] = []
            var seen = Set<String>()
            for line in (text ?? "").split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
                let trimmed = EgressOfFiles.trimmed(line)
                if trimmed.count >= EgressOf.minimumLineLength, seen.insert(trimmed).inserted { lines.append(trimmed) }
            }
            files.append(File(path: path.raw, digest: content.digest, longLines: lines))
        }
        self.files = files
    }

    static func trimmed(_ line: Substring) -> String {
        let blank: Set<Character> = [" ", "\t", "\r"]
        var s = line[...]
        while let c = s.first, blank.contains(c) { s = s.dropFirst() }
        while let c = s.last, blank.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
