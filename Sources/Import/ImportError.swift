/// Why an import failed: which of their files (and line, when known) and what was expected.
/// The importer never guesses around a surprise in the source text: a template that no
/// longer matches the shape it mirrors is reported, not silently rendered differently.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return file.isEmpty ? message : "\(file): \(message)"
    }
}
