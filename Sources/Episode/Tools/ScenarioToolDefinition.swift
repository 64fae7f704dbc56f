import TerrariumBase
import TerrariumScenarios
import TerrariumWorld

extension ToolDefinition {
    /// A scenario's tool as a tool like any other: its parameters become `ToolParameter`s
    /// (so the schema the agent sees and the validation of a call are the built-ins'), and
    /// its body answers with the first matching response, performing its effects.
    public init(scenario tool: ScenarioTool) {
        let parameters = tool.parameters.map { p in
            let kind: ToolParameter.Kind
            switch p.type {
            case .string: kind = .string
            case .integer(let minimum, let maximum): kind = .integer(min: minimum, max: maximum)
            case .boolean: kind = .boolean
            case .array: kind = .stringList
            case .choice(let values): kind = .choice(values)
            }
            return ToolParameter(name: p.name, kind: kind, description: p.description, required: p.required,
                                 defaultValue: p.defaultValue)
        }
        let readOnly = tool.responses.allSatisfy(\.effects.isEmpty)
        self.init(name: tool.name, group: tool.group, description: tool.description, parameters: parameters,
                  readOnly: readOnly) { world, args, events throws(WorldError) in
            guard let response = tool.response(for: args.values) else {
                // The loader requires a catch-all response, so this is our bug.
                throw .internalInconsistency("\(tool.name): no response matched")
            }
            let fill = { (text: String) in ScenarioTool.fill(text, arguments: args.values) }
            for effect in response.effects {
                try world.perform(effect.substituting(fill), at: world.clock.now, source: "tool:" + tool.name, into: &events)
            }
            let text = fill(response.result)
            if response.isError { throw .scenarioToolError(text) }
            return ToolOutput(text: text, data: ["result": .string(text)])
        }
    }
}
