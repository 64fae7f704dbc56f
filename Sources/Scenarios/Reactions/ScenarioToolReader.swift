import TerrariumBase
import TerrariumWorld

/// Reads `tools.custom` (docs/SCENARIOS.md, "Scenario tools").
struct ScenarioToolReader {
    /// Built-in tool names: a scenario tool may not take one.
    let builtIn: [String]

    static let parameterKeys = ["type", "description", "required", "default", "values", "enum", "minimum", "maximum"]
    static let largestExact: Int64 = 9_007_199_254_740_991

    /// The tools, without their responses' effects (those need every tool's name first:
    /// an effect may disable a scenario tool), and each tool's `responses` node.
    func declarations(_ value: YAMLValue?) throws(ScenarioError) -> [(ScenarioTool, YAMLValue)] {
        guard let value else { return [] }
        var out: [(ScenarioTool, YAMLValue)] = []
        var names = Set<String>()
        for item in try value.list() {
            try item.checkKeys(["name", "group", "description", "parameters", "advance", "responses"])
            let nameValue = try item.required("name")
            let name = try nameValue.string()
            guard isIdentifier(name) else { throw nameValue.error("tool names are [a-z][a-z0-9_]*, found \"\(name)\"") }
            guard !builtIn.contains(name) else { throw nameValue.error("\"\(name)\" is a built-in tool; choose another name") }
            guard names.insert(name).inserted else { throw nameValue.error("tool \"\(name)\" is declared twice") }
            var parameters: [ScenarioTool.Parameter] = []
            if let params = try item.optional("parameters") {
                for (pname, p) in try params.mapping() { parameters.append(try parameter(pname, p)) }
            }
            var advance: VirtualTime.Duration?
            if let a = try item.optional("advance") { advance = try ScenarioLoader.duration(a) }
            let tool = ScenarioTool(name: name, group: try item.optional("group")?.nonEmptyString() ?? "scenario",
                                    description: try item.required("description").nonEmptyString(),
                                    parameters: parameters, advance: advance, responses: [])
            out.append((tool, try item.required("responses")))
        }
        return out
    }

    func parameter(_ name: String, _ p: YAMLValue) throws(ScenarioError) -> ScenarioTool.Parameter {
        guard isIdentifier(name) else { throw p.error("parameter names are [a-z][a-z0-9_]*, found \"\(name)\"") }
        try p.checkKeys(ScenarioToolReader.parameterKeys)
        let type: ScenarioTool.ParameterType
        let typeValue = try p.optional("type")
        var listed = try p.optional("enum")
        if listed == nil { listed = try p.optional("values") }
        let typeName = try typeValue?.string() ?? (listed != nil ? "enum" : "string")
        switch typeName {
        case "string": type = .string
        case "integer":
            var bounds = (ScenarioToolReader.largestExact * -1, ScenarioToolReader.largestExact)
            if let m = try p.optional("minimum") { bounds.0 = Int64(try m.int()) }
            if let m = try p.optional("maximum") { bounds.1 = Int64(try m.int()) }
            guard bounds.0 <= bounds.1 else { throw p.error("minimum \(bounds.0) is above maximum \(bounds.1)") }
            type = .integer(minimum: bounds.0, maximum: bounds.1)
        case "boolean": type = .boolean
        case "array": type = .array
        case "enum":
            guard let values = listed else {
                throw p.error("an enum parameter lists its values: enum: [a, b]")
            }
            let list = try values.strings()
            guard !list.isEmpty else { throw values.error("list at least one value") }
            type = .choice(list)
        default:
            throw (typeValue ?? p).error("unknown type \"\(typeName)\"; types: string, integer, boolean, array, enum")
        }
        if case .choice = type {} else if let extra = listed {
            throw extra.error("values apply to enum parameters only")
        }
        if case .integer = type {} else {
            for key in ["minimum", "maximum"] {
                if let bound = try p.optional(key) { throw bound.error("\(key) applies to integer parameters only") }
            }
        }
        let required = try p.optional("required")?.bool() ?? false
        var defaultValue: JSON?
        if let d = try p.optional("default") {
            guard !required else { throw d.error("a required parameter has no default") }
            let value = try d.json()
            let ok: Bool
            switch (type, value) {
            case (.string, .string), (.boolean, .bool): ok = true
            case (.integer(let lo, let hi), .int(let i)): ok = i >= lo && i <= hi
            case (.array, .array(let items)): ok = items.allSatisfy { $0.stringValue != nil }
            case (.choice(let values), .string(let s)): ok = values.contains(s)
            default: ok = false
            }
            guard ok else { throw d.error("the default does not fit the parameter's type (\(typeName))") }
            defaultValue = value
        }
        return ScenarioTool.Parameter(name: name, type: type, description: try p.optional("description")?.string() ?? "",
                                      required: required, defaultValue: defaultValue)
    }

    func responses(_ tool: ScenarioTool, _ value: YAMLValue, effects: EffectReader) throws(ScenarioError) -> [ScenarioTool.Response] {
        let parameterNames = tool.parameters.map(\.name)
        func checkPlaceholders(_ text: String, _ at: YAMLValue) throws(ScenarioError) {
            for name in ScenarioTool.placeholders(in: text) where !parameterNames.contains(name) {
                throw at.error("${args.\(name)} names no parameter of \(tool.name)"
                    + (parameterNames.isEmpty ? " (it has none)" : "; parameters: \(parameterNames.joined(separator: ", "))"))
            }
        }
        var out: [ScenarioTool.Response] = []
        let items = try value.list()
        guard !items.isEmpty else { throw value.error("list at least one response") }
        for item in items {
            try item.checkKeys(["when", "result", "error", "effects"])
            var when: [String: TextPattern] = [:]
            if let w = try item.optional("when") {
                for (arg, pattern) in try w.mapping() {
                    guard parameterNames.contains(arg) else {
                        throw pattern.error("\(tool.name) has no parameter \"\(arg)\"")
                    }
                    when[arg] = try pattern.textPattern()
                }
            }
            let resultValue = try item.required("result")
            let result = try resultValue.string()
            try checkPlaceholders(result, resultValue)
            var list: [ScenarioEffect] = []
            if let e = try item.optional("effects") {
                for effectValue in try e.list() {
                    let effect = try effects.effect(effectValue)
                    var failure: (String, YAMLValue)?
                    _ = effect.substituting { text in
                        // Only to visit every text: report the first unknown placeholder.
                        if let bad = ScenarioTool.placeholders(in: text).first(where: { !parameterNames.contains($0) }) {
                            failure = failure ?? (bad, effectValue)
                        }
                        return text
                    }
                    if let (bad, at) = failure {
                        throw at.error("${args.\(bad)} names no parameter of \(tool.name)"
                            + (parameterNames.isEmpty ? " (it has none)" : "; parameters: \(parameterNames.joined(separator: ", "))"))
                    }
                    list.append(effect)
                }
            }
            out.append(ScenarioTool.Response(when: when, result: result, isError: try item.optional("error")?.bool() ?? false,
                                             effects: list))
        }
        if let last = items.last, try last.optional("when") != nil {
            throw last.error("the last response of \(tool.name) has a when:, so some calls would match no response; "
                + "end with a catch-all response (no when:)")
        }
        return out
    }
}
