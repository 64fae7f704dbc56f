import TerrariumBase

/// `run.json`: everything that decides what a run measures. A rerun with the same `--out`
/// must have the same configuration (else its episodes would mix two experiments); the
/// `operational` part (concurrency, retries, rate limits) may change between reruns.
/// Never holds an API key, only the name of the variable it was read from.
public struct RunConfiguration: Sendable, Equatable {
    public var json: JSON

    public init(plan: RunPlan, model: ModelSpec, loop: LoopConfig, flags: ProviderFlags, concurrency: Int, judge: JSON = .null) {
        let conditions: [JSON] = plan.conditions.map {
            ["id": .string($0.id), "contentHash": .string($0.scenario.contentHash.tagged)]
        }
        json = [
            "scenario": .string(plan.scenarioDirectory),
            "scenarioHash": .string(plan.conditions.first?.scenario.sourceHash.tagged ?? ""),
            "conditions": .array(conditions),
            "variables": JSON(plan.overrides),
            "episodes": JSON(plan.episodes),
            "seed": .string(String(plan.seed)),
            "model": .string(model.description),
            "baseURL": JSON(flags.baseURL),
            "toolMode": .string(loop.toolMode.rawValue),
            "maxTurns": JSON(loop.maxTurns),
            "maxOutputTokens": loop.maxOutputTokens.map { JSON($0) } ?? .null,
            "maxTokensPerCall": JSON(loop.maxTokensPerCall),
            "temperature": loop.temperature.map(JSON.double) ?? .null,
            "thinkingBudget": loop.thinkingBudget.map { JSON($0) } ?? .null,
            "episodeTimeout": loop.episodeTimeout.map(JSON.double) ?? .null,
            "userPrompt": .string(loop.userPrompt),
            "textAliases": .array(loop.textAliases.map { ["action": .string($0.action), "tool": .string($0.tool),
                                                          "renames": .object($0.renames.mapValues(JSON.string))] }),
            "judge": judge,
            "operational": ["concurrency": JSON(concurrency), "apiKeyEnv": JSON(flags.apiKeyEnv), "maxRetries": JSON(flags.maxRetries),
                            "requestTimeout": .double(flags.requestTimeout), "maxInFlight": flags.maxInFlight.map { JSON($0) } ?? .null,
                            "rpm": flags.rpm.map { JSON($0) } ?? .null],
        ]
    }

    init(json: JSON) { self.json = json }

    static let unchecked: Set<String> = ["operational", "terrariumVersion"]

    /// The first field (in name order) where `recorded` differs, with both values.
    public func difference(from recorded: RunConfiguration) -> (field: String, recorded: String, now: String)? {
        let a = recorded.json.objectValue ?? [:], b = json.objectValue ?? [:]
        for key in Set(a.keys).union(b.keys).sorted() where !RunConfiguration.unchecked.contains(key) {
            let x = a[key] ?? .null, y = b[key] ?? .null
            if x != y { return (key, RunConfiguration.shown(x), RunConfiguration.shown(y)) }
        }
        return nil
    }

    static func shown(_ v: JSON) -> String {
        let s = v.canonicalString()
        return s.count > 120 ? String(s.prefix(117)) + "…" : s
    }
}
