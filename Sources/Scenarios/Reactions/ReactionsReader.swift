import TerrariumBase
import TerrariumWorld

/// Reads the reactive parts of a scenario — `tools:` (disabled and custom) and
/// `triggers:` — in two steps, because scenario tools set the clock's advance before the
/// world exists, and effects are checked against the finished world.
struct ReactionsReader {
    let doc: YAMLValue
    let builtIn: [String]
    let declared: [(ScenarioTool, YAMLValue)]

    init(doc: YAMLValue, builtIn: [String]) throws(ScenarioError) {
        self.doc = doc
        self.builtIn = builtIn
        let tools = try doc.optional("tools")
        try tools?.checkKeys(["disabled", "custom"])
        declared = try ScenarioToolReader(builtIn: builtIn).declarations(try tools?.optional("custom"))
    }

    /// Each scenario tool's `advance:`.
    func adjust(_ clock: inout WorldClock) {
        for (tool, _) in declared { if let a = tool.advance { clock.advancePerTool[tool.name] = a } }
    }

    struct Result {
        var disabled: Set<String>
        var tools: [ScenarioTool]
        var triggers: [Trigger]
    }

    func finish(world: World, sources: ScenarioSources) throws(ScenarioError) -> Result {
        let all = builtIn + declared.map(\.0.name)
        var disabled = Set<String>()
        for item in try doc.optional("tools")?.optional("disabled")?.list() ?? [] {
            let name = try item.string()
            guard all.contains(name) else { throw item.error("unknown tool \"\(name)\"; tools: \(all.joined(separator: ", "))") }
            disabled.insert(name)
        }
        let effects = EffectReader(world: world, sources: sources, toolNames: all.filter { !disabled.contains($0) })
        var tools: [ScenarioTool] = []
        let reader = ScenarioToolReader(builtIn: builtIn)
        for (tool, responses) in declared {
            var complete = tool
            complete.responses = try reader.responses(tool, responses, effects: effects)
            tools.append(complete)
        }
        let triggers = try TriggerReader(effects: effects, clock: world.clock).triggers(try doc.optional("triggers"))
        try TriggerReachability(world: world, builtIn: builtIn, customTools: tools, disabled: disabled, triggers: triggers)
            .check(try doc.optional("triggers"))
        return Result(disabled: disabled, tools: tools, triggers: triggers)
    }
}
