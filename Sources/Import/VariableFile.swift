import Foundation

/// A `variables/*.md` file of theirs: `## Section name` headings, each followed by a fenced
/// ```json object of variable → text. Read with the same pattern their generator uses
/// (`## (.*?)\n\s*```json\s*(.*?)\s*```` over the whole file, dot matching newlines) and the
/// same key normalisation (lower case, spaces and dashes to `_`), so a quirk of theirs —
/// a heading the pattern skips — is a quirk here too. A section whose JSON does not parse
/// is an error (theirs prints a warning and drops it; we refuse to import a silent gap).
public struct VariableFile: Sendable {
    public struct Section: Sendable {
        public var key: String
        public var values: [String: String]
        public var line: Int
    }

    public var path: String
    /// In file order (their dict keeps insertion order; later duplicates replace earlier values in place).
    public var sections: [Section]

    static let pattern = try? NSRegularExpression(pattern: "## (.*?)\\n\\s*```json\\s*(.*?)\\s*```",
                                                  options: [.dotMatchesLineSeparators])

    public init(path: String, text: String) throws(ImportError) {
        self.path = path
        guard let regex = VariableFile.pattern else { throw ImportError(file: path, "internal: the section pattern does not compile") }
        let ns = text as NSString
        var sections: [Section] = []
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let name = ns.substring(with: match.range(at: 1))
            let json = ns.substring(with: match.range(at: 2))
            let line = ns.substring(to: match.range.location).count { $0 == "\n" } + 1
            let key = name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
                .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
            let object: Any
            do { object = try JSONSerialization.jsonObject(with: Data(json.utf8)) } catch {
                throw ImportError(file: path, line: line, "the JSON of section \"\(name)\" does not parse: \(error.localizedDescription)")
            }
            guard let dict = object as? [String: Any] else {
                throw ImportError(file: path, line: line, "section \"\(name)\" must hold a JSON object of variable names to texts")
            }
            var values: [String: String] = [:]
            for (k, v) in dict {
                guard let s = v as? String else {
                    throw ImportError(file: path, line: line, "section \"\(name)\": the value of \"\(k)\" is not a string")
                }
                values[k] = s
            }
            if let i = sections.firstIndex(where: { $0.key == key }) {
                sections[i].values = values
            } else {
                sections.append(Section(key: key, values: values, line: line))
            }
        }
        self.sections = sections
    }
}
