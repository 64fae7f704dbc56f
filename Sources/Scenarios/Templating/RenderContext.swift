/// The text every `${name}` of one resolution stands for: each variable's value and each
/// block's chosen, already rendered case. Built once per condition (`VariableResolution`),
/// then used by every loader through `YAMLValue`, by `TemplatedFile` for files, and by
/// scripted agents.
public struct RenderContext: Sendable, Equatable {
    public var texts: [String: String]

    public init(texts: [String: String]) { self.texts = texts }

    /// Nothing declared: any `${name}` is an unknown variable.
    public static let empty = RenderContext(texts: [:])

    public func render(_ text: String) throws(Template.Failure) -> String {
        guard Template.mayContainPlaceholder(text) else { return text }
        let known = texts
        return try Template.render(text, unknown: { Template.unknownMessage($0, known: Array(known.keys)) }) { known[$0] }
    }
}

/// The text of a YAML file, kept so that a placeholder error inside a multi-line scalar can
/// name the line and column of the placeholder itself, not of the scalar. Split into lines
/// only then: splitting every file up front was a third of parsing it.
public final class SourceText: Sendable {
    let text: String

    init(_ text: String) { self.text = text }

    /// The 1-based line and column of the `occurrence`-th (0-based) `token` at or after
    /// (line, column); nil when the source does not spell it the same way.
    func find(_ token: String, occurrence: Int, fromLine line: Int, column: Int) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var remaining = occurrence
        var index = line - 1
        var startColumn = max(column - 1, 0)
        while index >= 0, index < lines.count {
            let text = lines[index]
            var search = text.index(text.startIndex, offsetBy: min(startColumn, text.count))
            while let range = text[search...].range(of: token) {
                if remaining == 0 { return (index + 1, text.distance(from: text.startIndex, to: range.lowerBound) + 1) }
                remaining -= 1
                search = text.index(after: range.lowerBound)
            }
            index += 1
            startColumn = 0
        }
        return nil
    }
}

extension YAMLValue {
    /// This value (and every value read from it) with its string scalars rendered.
    public func rendering(with context: RenderContext) -> YAMLValue {
        YAMLValue(node: node, file: file, path: path, source: source, context: context)
    }

    /// Renders a scalar's text if this value is read with a render context.
    func renderedScalar(_ raw: String) throws(ScenarioError) -> String {
        guard let context, Template.mayContainPlaceholder(raw) else { return raw }
        do { return try context.render(raw) } catch { throw templateError(error, in: raw) }
    }

    /// A template failure inside this scalar, located at the placeholder itself.
    public func templateError(_ failure: Template.Failure, in raw: String) -> ScenarioError {
        var e = error(failure.message)
        guard let mark = node.mark, let source else { return e }
        let before = String(decoding: raw.utf8.prefix(failure.offset), as: UTF8.self)
        let occurrence = before.components(separatedBy: failure.token).count - 1
        if let (line, column) = source.find(failure.token, occurrence: occurrence, fromLine: mark.line, column: mark.column) {
            e.line = line
            e.column = column
        }
        return e
    }
}
