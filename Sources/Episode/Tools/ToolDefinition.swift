import TerrariumBase
import TerrariumWorld

/// One argument of a tool. The JSON schema the agent sees and the validation a call goes
/// through are both derived from this, so they cannot disagree.
public struct ToolParameter: Sendable {
    public enum Kind: Sendable {
        case string
        case integer(min: Int64, max: Int64)
        case boolean
        case stringList
        case choice([String])
    }

    public var name: String
    public var kind: Kind
    public var description: String
    public var required: Bool
    public var defaultValue: JSON?

    public static func string(_ name: String, _ description: String, required: Bool = true, default d: String? = nil) -> ToolParameter {
        ToolParameter(name: name, kind: .string, description: description, required: required, defaultValue: d.map(JSON.string))
    }
    public static func integer(_ name: String, _ description: String, min: Int64 = 0, max: Int64 = 1_000_000,
                               default d: Int64) -> ToolParameter {
        ToolParameter(name: name, kind: .integer(min: min, max: max), description: description, required: false, defaultValue: .int(d))
    }
    public static func boolean(_ name: String, _ description: String, default d: Bool = false) -> ToolParameter {
        ToolParameter(name: name, kind: .boolean, description: description, required: false, defaultValue: .bool(d))
    }
    public static func list(_ name: String, _ description: String, required: Bool = false) -> ToolParameter {
        ToolParameter(name: name, kind: .stringList, description: description, required: required,
                      defaultValue: required ? nil : .array([]))
    }
    public static func choice(_ name: String, _ description: String, _ options: [String], default d: String) -> ToolParameter {
        ToolParameter(name: name, kind: .choice(options), description: description, required: false, defaultValue: .string(d))
    }

    var schema: JSON {
        var o: [String: JSON] = ["description": .string(description)]
        switch kind {
        case .string: o["type"] = "string"
        case .integer(let min, let max): o["type"] = "integer"; o["minimum"] = .int(min); o["maximum"] = .int(max)
        case .boolean: o["type"] = "boolean"
        case .stringList: o["type"] = "array"; o["items"] = ["type": "string"]
        case .choice(let options): o["type"] = "string"; o["enum"] = JSON(options)
        }
        if let d = defaultValue { o["default"] = d }
        return .object(o)
    }
}

/// What a tool returns: the text the agent reads and the same facts as structured data.
public struct ToolOutput: Sendable {
    public var text: String
    public var data: JSON
    public init(text: String, data: JSON) { self.text = text; self.data = data }
}

/// A tool: name, description, parameters and what it does to a world.
public struct ToolDefinition: Sendable {
    public typealias Body = @Sendable (inout World, ToolArguments, inout [WorldEvent]) throws(WorldError) -> ToolOutput

    public var name: String
    public var group: String
    public var description: String
    public var parameters: [ToolParameter]
    public var readOnly: Bool
    let body: Body

    public init(name: String, group: String, description: String, parameters: [ToolParameter], readOnly: Bool,
                body: @escaping Body) {
        self.name = name
        self.group = group
        self.description = description
        self.parameters = parameters
        self.readOnly = readOnly
        self.body = body
    }

    /// JSON Schema (draft 2020-12 subset) of the arguments object.
    public var inputSchema: JSON {
        var properties: [String: JSON] = [:]
        for p in parameters { properties[p.name] = p.schema }
        return ["type": "object", "properties": .object(properties),
                "required": JSON(parameters.filter(\.required).map(\.name)), "additionalProperties": false]
    }

    /// Checks a call's arguments against the parameters and fills in defaults. The error
    /// names the argument and what was expected.
    public func validate(_ arguments: JSON) -> Result<ToolArguments, ToolArgumentError> {
        guard case .object(let given) = arguments else {
            return .failure(ToolArgumentError("arguments must be a JSON object, got \(arguments.typeName)"))
        }
        let known = Set(parameters.map(\.name))
        if let unknown = given.keys.sorted().first(where: { !known.contains($0) }) {
            return .failure(ToolArgumentError("unknown argument \"\(unknown)\"; \(name) takes: \(parameters.map(\.name).joined(separator: ", "))"))
        }
        var values: [String: JSON] = [:]
        for p in parameters {
            guard let value = given[p.name], value != .null else {
                if p.required { return .failure(ToolArgumentError("missing required argument \"\(p.name)\" (\(p.description))")) }
                if let d = p.defaultValue { values[p.name] = d }
                continue
            }
            switch (p.kind, value) {
            case (.string, .string), (.boolean, .bool):
                values[p.name] = value
            case (.integer(let lo, let hi), _):
                guard let i = value.intValue else {
                    return .failure(ToolArgumentError("argument \"\(p.name)\" must be an integer, got \(value.typeName)"))
                }
                guard i >= lo && i <= hi else {
                    return .failure(ToolArgumentError("argument \"\(p.name)\" must be between \(lo) and \(hi), got \(i)"))
                }
                values[p.name] = .int(i)
            case (.stringList, .array(let items)):
                guard items.allSatisfy({ $0.stringValue != nil }) else {
                    return .failure(ToolArgumentError("argument \"\(p.name)\" must be a list of strings"))
                }
                values[p.name] = value
            case (.stringList, .string):
                // Models often pass one recipient as a bare string; accept it as a list of one.
                values[p.name] = .array([value])
            case (.choice(let options), .string(let s)):
                guard options.contains(s) else {
                    return .failure(ToolArgumentError("argument \"\(p.name)\" must be one of \(options.joined(separator: ", ")), got \"\(s)\""))
                }
                values[p.name] = value
            default:
                let expected: String
                switch p.kind {
                case .string, .choice: expected = "a string"
                case .boolean: expected = "a boolean"
                case .stringList: expected = "a list of strings"
                case .integer: expected = "an integer"
                }
                return .failure(ToolArgumentError("argument \"\(p.name)\" must be \(expected), got \(value.typeName)"))
            }
        }
        return .success(ToolArguments(values: values))
    }
}

public struct ToolArgumentError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Validated arguments, defaults filled in.
public struct ToolArguments: Sendable {
    public let values: [String: JSON]

    public func string(_ key: String) -> String { values[key]?.stringValue ?? "" }
    public func optionalString(_ key: String) -> String? { values[key]?.stringValue }
    public func int(_ key: String) -> Int { Int(values[key]?.intValue ?? 0) }
    public func bool(_ key: String) -> Bool { values[key]?.boolValue ?? false }
    public func strings(_ key: String) -> [String] { (values[key]?.arrayValue ?? []).compactMap(\.stringValue) }
}
