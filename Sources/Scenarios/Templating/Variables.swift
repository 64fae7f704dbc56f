import TerrariumBase

/// A declared scenario variable (`variables:` in scenario.yaml).
public struct VariableDeclaration: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case enumeration = "enum", string, number, boolean
    }

    public var name: String
    public var kind: Kind
    /// The allowed values of an enum, in declaration order (empty for other kinds).
    public var values: [String]
    public var defaultValue: JSON
    public var description: String
    /// Where it is declared, for messages about values given on the command line.
    public var line: Int?

    /// The values a block or a grid factor ranges over: an enum's values, or true and false.
    public var choices: [JSON]? {
        switch kind {
        case .enumeration: return values.map { .string($0) }
        case .boolean: return [.bool(true), .bool(false)]
        case .string, .number: return nil
        }
    }

    /// What `${name}` becomes: numbers without a trailing `.0`, booleans as true/false.
    public static func text(_ value: JSON) -> String {
        switch value {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d):
            if d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        default: return value.canonicalString()
        }
    }

    /// A case key or grid value as written in YAML (enum value, or true/false).
    public static func key(_ value: JSON) -> String { text(value) }

    /// Parses a value given as text (`--var name=TEXT`); nil message when it fits.
    public func parse(_ text: String) -> Result<JSON, VariableValueError> {
        switch kind {
        case .string:
            return .success(.string(text))
        case .enumeration:
            guard values.contains(text) else { return .failure(.init("expected one of: \(values.joined(separator: ", "))")) }
            return .success(.string(text))
        case .boolean:
            switch text {
            case "true": return .success(.bool(true))
            case "false": return .success(.bool(false))
            default: return .failure(.init("expected true or false"))
            }
        case .number:
            if let i = Int64(text) { return .success(.int(i)) }
            if let d = Double(text), d.isFinite, text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" }) == true {
                return .success(.double(d))
            }
            return .failure(.init("expected a number such as 17 or 2.5"))
        }
    }
}

public struct VariableValueError: Error, Sendable {
    public var message: String
    init(_ message: String) { self.message = message }
}

extension VariableDeclaration {
    static let keys = ["type", "values", "default", "description"]

    /// Reads the `variables:` mapping (never rendered: it defines what rendering uses).
    static func readAll(_ value: YAMLValue?) throws(ScenarioError) -> [VariableDeclaration] {
        guard let value else { return [] }
        var out: [VariableDeclaration] = []
        for (name, item) in try value.mapping() {
            guard Template.isName(name[...]) else {
                throw item.error("variable names are [a-z][a-z0-9_]* (found \"\(name)\")")
            }
            guard name != "args" else { throw item.error("\"args\" is reserved for scenario tools' ${args.NAME}") }
            try item.checkKeys(keys)
            let typeValue = try item.required("type")
            let typeName = try typeValue.string()
            guard let kind = Kind(rawValue: typeName) else {
                let names = Kind.allCases.map(\.rawValue)
                let hint = Template.nearest(typeName, in: names).map { " (did you mean \"\($0)\"?)" } ?? ""
                throw typeValue.error("unknown type \"\(typeName)\"\(hint); expected one of: \(names.joined(separator: ", "))")
            }
            var values: [String] = []
            if let valuesValue = try item.optional("values") {
                guard kind == .enumeration else { throw valuesValue.error("only an enum variable has values") }
                for v in try valuesValue.list() {
                    let s = try v.string()
                    guard isEnumValue(s) else { throw v.error("enum values are [a-z0-9][a-z0-9_-]* (found \"\(s)\")") }
                    guard !values.contains(s) else { throw v.error("\"\(s)\" is listed twice") }
                    values.append(s)
                }
                guard !values.isEmpty else { throw valuesValue.error("list at least one value") }
            } else if kind == .enumeration {
                throw try item.missing("values", "an enum lists its values, e.g. values: [explicit, none]")
            }
            var declaration = VariableDeclaration(name: name, kind: kind, values: values, defaultValue: .null,
                                                  description: try item.optional("description")?.string() ?? "",
                                                  line: item.line)
            guard let defaultValue = try item.optional("default") else {
                throw try item.missing("default", "every variable needs a default")
            }
            declaration.defaultValue = try declaration.readDefault(defaultValue)
            out.append(declaration)
        }
        return out
    }

    func readDefault(_ value: YAMLValue) throws(ScenarioError) -> JSON {
        switch kind {
        case .string:
            return .string(try value.string())
        case .boolean:
            return .bool(try value.bool())
        case .enumeration, .number:
            guard case .scalar = value.node else { throw value.error("expected a \(kind.rawValue) value, found \(value.found)") }
            let json = try value.json()
            if kind == .number {
                switch json {
                case .int, .double: return json
                default: throw value.error("expected a number, found \(value.found)")
                }
            }
            let text = VariableDeclaration.text(json)
            guard values.contains(text) else {
                throw value.error("the default \"\(text)\" is not one of the values: \(values.joined(separator: ", "))")
            }
            return .string(text)
        }
    }

    static func isEnumValue(_ s: String) -> Bool {
        guard let first = s.utf8.first, (first >= 0x61 && first <= 0x7A) || (first >= 0x30 && first <= 0x39) else { return false }
        return s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D }
    }
}

extension YAMLValue {
    /// The "missing required field" error, with what the field is for.
    func missing(_ key: String, _ why: String) throws(ScenarioError) -> ScenarioError {
        var e = error("missing required field \"\(key)\": \(why)")
        e.field = path.isEmpty ? key : path + "." + key
        return e
    }
}
