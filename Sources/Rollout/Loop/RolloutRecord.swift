import TerrariumBase

/// What one rollout did, as `rollout.json` records it.
public struct RolloutRecord: Sendable, Equatable {
    public var outcome: Outcome
    public var stop: LoopStop
    /// Model calls made.
    public var turns: Int
    /// Tool calls made (each through `Episode.call`).
    public var toolCalls: Int
    public var usage: TokenUsage
    /// In US dollars; nil when the model's price is unknown.
    public var cost: Double?
    /// What went wrong, for the stops that are failures (and parse errors).
    public var error: String?
    /// Why `outcome` was chosen (which rule, which predicate), for people reading the file.
    public var outcomeReason: String

    public init(outcome: Outcome, stop: LoopStop, turns: Int, toolCalls: Int, usage: TokenUsage, cost: Double?,
                error: String?, outcomeReason: String) {
        self.outcome = outcome; self.stop = stop; self.turns = turns; self.toolCalls = toolCalls; self.usage = usage
        self.cost = cost; self.error = error; self.outcomeReason = outcomeReason
    }

    public var json: JSON {
        ["outcome": .string(outcome.rawValue), "stop": .string(stop.rawValue), "turns": JSON(turns),
         "toolCalls": JSON(toolCalls), "usage": usage.json, "cost": cost.map(JSON.double) ?? .null,
         "error": JSON(error), "outcomeReason": .string(outcomeReason)]
    }

    public func write(directory: String) throws(RunFileError) {
        try RunFiles.writeAtomically(directory + "/rollout.json", Array(json.prettyString().utf8) + [0x0A])
    }

    /// Reads `rollout.json` back (the runner's summary of a resumed run uses it).
    public static func read(directory: String) throws(RunFileError) -> RolloutRecord {
        let path = directory + "/rollout.json"
        let j = try RunFiles.readJSON(path)
        guard let o = j["outcome"]?.stringValue, let outcome = Outcome(rawValue: o) else {
            throw RunFileError("\(path): \"outcome\" is missing or not one of \(Outcome.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let s = j["stop"]?.stringValue, let stop = LoopStop(rawValue: s) else {
            throw RunFileError("\(path): \"stop\" is missing or not one of \(LoopStop.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let u = j["usage"] ?? .null
        let usage = TokenUsage(input: Int(u["input"]?.intValue ?? 0), output: Int(u["output"]?.intValue ?? 0),
                               cacheRead: Int(u["cacheRead"]?.intValue ?? 0), cacheWrite: Int(u["cacheWrite"]?.intValue ?? 0))
        var cost: Double?
        if case .double(let d)? = j["cost"] { cost = d } else if let i = j["cost"]?.intValue { cost = Double(i) }
        return RolloutRecord(outcome: outcome, stop: stop, turns: Int(j["turns"]?.intValue ?? 0),
                             toolCalls: Int(j["toolCalls"]?.intValue ?? 0), usage: usage, cost: cost,
                             error: j["error"]?.stringValue, outcomeReason: j["outcomeReason"]?.stringValue ?? "")
    }
}
