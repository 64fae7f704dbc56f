/// A problem in a scenario's sources, located precisely: which file, which line, which
/// field, and what was expected instead.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// A path such as `mail[3].from`; empty for the document as a whole.
    public var field: String
    public var message: String

    public init(file: String, line: Int?, column: Int? = nil, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        var where_ = file
        if let line { where_ += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return field.isEmpty ? "\(where_): \(message)" : "\(where_): \(field): \(message)"
    }
}
