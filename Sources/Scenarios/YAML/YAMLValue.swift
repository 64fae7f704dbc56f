import Yams

/// A YAML node that knows where it came from (file, line, field path), so every reading
/// error can say exactly where the author must look.
public struct YAMLValue {
    public let node: Node
    public let file: String
    public let path: String
    /// The file's text, to locate a placeholder inside a multi-line scalar.
    public let source: SourceText?
    /// When set, every string scalar read from this value is rendered (`${name}`) with it
    /// (Templating/), so each loader gets templating and its located errors for free.
    public let context: RenderContext?

    public init(node: Node, file: String, path: String = "", source: SourceText? = nil, context: RenderContext? = nil) {
        self.node = node
        self.file = file
        self.path = path
        self.source = source
        self.context = context
    }

    /// Parses a whole YAML document; syntax errors carry libyaml's line and column.
    public static func parse(_ text: String, file: String) throws(ScenarioError) -> YAMLValue {
        do {
            // No resolver rules: Yams would otherwise type every mapping key with seven
            // regular expressions (to check duplicates, which `mapping()` does itself), and
            // `json()` types plain scalars by hand (PlainScalar.swift).
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw ScenarioError(file: file, line: 1, field: "", message: "the file is empty")
            }
            return YAMLValue(node: node, file: file, source: SourceText(text))
        } catch let error as ScenarioError {
            throw error
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                throw ScenarioError(file: file, line: mark.line, column: mark.column, field: "",
                                    message: "YAML syntax error: \(problem)")
            default:
                throw ScenarioError(file: file, line: nil, field: "", message: "YAML error: \(error)")
            }
        } catch {
            throw ScenarioError(file: file, line: nil, field: "", message: "YAML error: \(error)")
        }
    }

    public var line: Int? { node.mark?.line }

    public func error(_ message: String) -> ScenarioError {
        ScenarioError(file: file, line: node.mark?.line, column: node.mark?.column, field: path, message: message)
    }

    func child(_ node: Node, _ key: String) -> YAMLValue {
        YAMLValue(node: node, file: file, path: path.isEmpty ? key : path + "." + key, source: source, context: context)
    }

    var found: String {
        switch node {
        case .scalar(let s): return "\"\(s.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    public var isNull: Bool {
        if case .scalar(let s) = node, s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) { return true }
        return false
    }

    // MARK: Mappings

    /// The members of a mapping in document order; duplicate keys are an error.
    public func mapping() throws(ScenarioError) -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let m) = node else { throw error("expected a mapping (key: value lines), found \(found)") }
        var seen = Set<String>()
        var out: [(String, YAMLValue)] = []
        out.reserveCapacity(m.count)
        for (k, v) in m {
            guard case .scalar(let key) = k else { throw YAMLValue(node: k, file: file, path: path).error("keys must be plain text") }
            guard seen.insert(key.string).inserted else {
                throw YAMLValue(node: k, file: file, path: path).error("duplicate key \"\(key.string)\"")
            }
            out.append((key.string, child(v, key.string)))
        }
        return out
    }

    /// Rejects keys the format does not know (a typo would otherwise be silently ignored).
    public func checkKeys(_ allowed: [String]) throws(ScenarioError) {
        // Most mappings are fine: check them without building a child value per key, and
        // let `mapping()` find and report the problem otherwise (same error, same order).
        if case .mapping(let m) = node, YAMLValue.plainKeys(m, allowed: allowed) { return }
        for (key, value) in try mapping() where !allowed.contains(key) {
            let hint = allowed.first { editDistance($0, key) <= 2 }.map { " (did you mean \"\($0)\"?)" } ?? ""
            throw ScenarioError(file: file, line: value.line, field: value.path,
                                message: "unknown field \"\(key)\"\(hint); expected one of: \(allowed.joined(separator: ", "))")
        }
    }

    /// Every key is text, allowed and given once.
    static func plainKeys(_ m: Node.Mapping, allowed: [String]) -> Bool {
        var keys: [String] = []
        keys.reserveCapacity(m.count)
        var index = m.startIndex
        while index < m.endIndex {
            guard case .scalar(let s) = m[index].key, allowed.contains(s.string), !keys.contains(s.string) else { return false }
            keys.append(s.string)
            index = m.index(after: index)
        }
        return true
    }

    public func optional(_ key: String) throws(ScenarioError) -> YAMLValue? {
        guard case .mapping(let m) = node else { throw error("expected a mapping (key: value lines), found \(found)") }
        // Compare key text directly: Yams' `m[key]` resolves every key's tag with regular
        // expressions, which was a fifth of loading a scenario. Walk by index: iterating a
        // Yams mapping copies all its pairs into a new array first.
        var match: Node?
        var index = m.startIndex
        while index < m.endIndex {
            let pair = m[index]
            if case .scalar(let s) = pair.key, s.string == key { match = pair.value; break }
            index = m.index(after: index)
        }
        guard let v = match else { return nil }
        let value = child(v, key)
        return value.isNull ? nil : value
    }

    public func required(_ key: String) throws(ScenarioError) -> YAMLValue {
        guard let v = try optional(key) else {
            var e = error("missing required field \"\(key)\"")
            e.field = path.isEmpty ? key : path + "." + key
            throw e
        }
        return v
    }

    // MARK: Scalars and lists

    public func string() throws(ScenarioError) -> String {
        guard case .scalar(let s) = node else { throw error("expected text, found \(found)") }
        return try renderedScalar(s.string)
    }

    public func nonEmptyString() throws(ScenarioError) -> String {
        let s = try string()
        // A visible ASCII character settles it without Foundation's trimming (a copy).
        guard s.utf8.contains(where: { $0 > 0x20 && $0 < 0x7F }) || !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else { throw error("must not be empty") }
        return s
    }

    public func bool() throws(ScenarioError) -> Bool {
        guard case .scalar(let s) = node else { throw error("expected true or false, found \(found)") }
        let text = try renderedScalar(s.string)
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw error("expected true or false, found \"\(text)\"")
        }
    }

    public func int() throws(ScenarioError) -> Int {
        guard case .scalar(let s) = node, let i = Int(try renderedScalar(s.string)) else {
            throw error("expected a whole number, found \(found)")
        }
        return i
    }

    public func list() throws(ScenarioError) -> [YAMLValue] {
        guard case .sequence(let seq) = node else { throw error("expected a list, found \(found)") }
        return seq.enumerated().map { index, n in
            YAMLValue(node: n, file: file, path: path + "[\(index)]", source: source, context: context)
        }
    }

    /// A single string or a list of strings.
    public func strings() throws(ScenarioError) -> [String] {
        if case .scalar = node { return isNull ? [] : [try string()] }
        var out: [String] = []
        for item in try list() { out.append(try item.string()) }
        return out
    }
}

import Foundation

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in 1...max(b.count, 1) where !b.isEmpty {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return a.isEmpty ? b.count : row[b.count]
}
