import TerrariumBase
import TerrariumWorld

/// A tool declared by a scenario (`tools.custom`): its schema and its scripted responses.
/// The episode layer turns it into a `ToolDefinition`, so its JSON schema and argument
/// validation come from the same place as the built-in tools'.
public struct ScenarioTool: Sendable {
    public enum ParameterType: Sendable, Equatable {
        case string, boolean
        /// Whole numbers within the bounds (JSON's exact range, ±(2^53 − 1), unless given).
        case integer(minimum: Int64, maximum: Int64)
        /// A list of strings.
        case array
        case choice([String])
    }

    public struct Parameter: Sendable {
        public var name: String
        public var type: ParameterType
        public var description: String
        public var required: Bool
        public var defaultValue: JSON?
    }

    /// One scripted answer: used when every `when` regex matches its argument's string form.
    public struct Response: Sendable {
        public var when: [String: TextPattern]
        public var result: String
        public var isError: Bool
        public var effects: [ScenarioEffect]
    }

    public var name: String
    public var group: String
    public var description: String
    public var parameters: [Parameter]
    public var advance: VirtualTime.Duration?
    /// First match wins; the last one has no `when` (the loader guarantees a catch-all).
    public var responses: [Response]

    /// The response for validated arguments (defaults filled in).
    public func response(for arguments: [String: JSON]) -> Response? {
        responses.first { response in
            response.when.allSatisfy { name, pattern in
                guard let value = arguments[name] else { return false }
                return pattern.matches(ScenarioTool.text(of: value))
            }
        }
    }

    /// How an argument reads in `when` regexes and `${args.X}`: strings as they are,
    /// anything else as canonical JSON.
    public static func text(of value: JSON) -> String { value.stringValue ?? value.canonicalString() }

    /// Replaces every `${args.NAME}` with the argument's text (empty when it was not given
    /// and has no default). Other text is left exactly as it is.
    public static func fill(_ template: String, arguments: [String: JSON]) -> String {
        guard template.contains("${args.") else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstRange(of: "${args.") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}") else { out += rest[open.lowerBound...]; return out }
            let name = String(after[..<close])
            out += arguments[name].map(text(of:)) ?? ""
            rest = after[after.index(after: close)...]
        }
        return out + rest
    }

    /// The names `${args.NAME}` refers to in `text`, in order.
    public static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${args.") {
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}") else { names.append(String(after)); break }
            names.append(String(after[..<close]))
            rest = after[after.index(after: close)...]
        }
        return names
    }
}
