import TerrariumBase
import TerrariumEpisode
import TerrariumRollout
import TerrariumScenarios

#if canImport(Glibc)
import Glibc
#endif

/// The rollout loop's own cost (`terrarium-bench rollout`): with a model that answers
/// instantly, everything measured is ours — building requests, recording agent messages
/// and cassette lines, the tool calls, ending and classifying the episode, rollout.json.
/// Baseline: the same tool calls made directly on `Episode` (recorded the same way).
/// Then 1,000 episodes through the runner at concurrency 64.
struct RolloutFigures {
    let scratch: String
    let report: Report

    /// Answers turn n from a fixed list at once; request and response bodies are small
    /// constants (a real provider's encoding is the provider's cost, not the loop's).
    struct InstantModel: ModelProvider {
        let turns: [ModelResponse]
        var kind: String { "instant" }
        func complete(_ request: ModelRequest) async throws(ProviderError) -> ModelExchange {
            let n = request.messages.count / 2
            guard n < turns.count else { throw .configuration("no turn \(n + 1)") }
            return ModelExchange(response: turns[n], requestBody: ["turn": JSON(n + 1)], responseBody: ["turn": JSON(n + 1)])
        }
    }

    /// The calls each turn makes, on bramble-office: reads only, so every turn is alike.
    static let calls: [(String, JSON)] = [
        ("list_emails", ["folder": "inbox", "limit": 10]),
        ("list_files", ["path": "notes"]),
        ("search_emails", ["query": "offsite"]),
        ("read_file", ["path": "README.md"]),
    ]

    static func model(turns: Int) -> InstantModel {
        var responses: [ModelResponse] = []
        for t in 0..<(turns - 1) {
            let (name, args) = calls[t % calls.count]
            responses.append(ModelResponse(message: Message(role: .assistant, content: [
                .reasoning(text: "Turn \(t + 1): looking around.", signature: nil),
                .text("Checking \(name)."), .toolUse(id: "call_\(t + 1)", name: name, arguments: args),
            ]), stopReason: .toolUse, usage: TokenUsage(input: 1000, output: 40)))
        }
        responses.append(ModelResponse(message: Message(role: .assistant, content: [.text("All done.")]), stopReason: .endTurn,
                                       usage: TokenUsage(input: 1000, output: 5)))
        return InstantModel(turns: responses)
    }

    func run() async throws {
        print("\n[rollout] the loop's own cost per turn (instant model, bramble-office, recorded) vs the same calls on Episode")
        let scenario = try ScenarioLoader.load(directory: "Environments/bramble-office", toolNames: ToolCatalog.builtInNames)
        let turns = 20
        let model = RolloutFigures.model(turns: turns)
        let config = LoopConfig(model: "instant", maxTurns: turns + 1)
        var n = 0
        // Warm up once each (first-touch costs: page cache, allocator).
        _ = try await loopOnce(scenario, model, config, &n)
        _ = try await directOnce(scenario, turns: turns, &n)
        let loop = try await sampleAsync(15) { _ = try await loopOnce(scenario, model, config, &n) }
        let direct = try await sampleAsync(15) { _ = try await directOnce(scenario, turns: turns, &n) }
        let perTurn = percentile(loop, 0.5) / Double(turns), perCall = percentile(direct, 0.5) / Double(turns - 1)
        report.add(Figure(name: "rollout loop per turn (\(turns)-turn episode incl. end, grading, rollout.json), p50", value: ms(perTurn),
                          target: "≤ 2 ms", pass: perTurn <= 0.002,
                          baseline: "the same calls on Episode \(ms(perCall)) per call → \(ratio(perTurn, perCall))"))

        print("\n[rollout] 1,000 episodes through the runner at concurrency 64 (5 turns each, instant model)")
        let plan = RunPlan(scenarioDirectory: "Environments/bramble-office",
                           conditions: [RunCondition(id: "default", scenario: scenario)], episodes: 1000, seed: 0)
        let small = LoopConfig(model: "instant", maxTurns: 10)
        let root = "\(scratch)/rollout-run"
        let runner = Runner(plan: plan, provider: RolloutFigures.model(turns: 5), loop: small, directory: RunDirectory(root), concurrency: 64)
        let configuration = RunConfiguration(plan: plan, model: ModelSpec(provider: "instant", model: "bench"), loop: small,
                                             flags: ProviderFlags(), concurrency: 64)
        let start = now()
        let result = try await runner.run(configuration: configuration, progressStyle: .silent)
        let seconds = Double(now() - start) / 1e9
        let failed = result.outcomes.filter { !$0.outcome.isMeasurement }.count
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMB = Double(usage.ru_maxrss) / 1024
        let rate = Double(result.outcomes.count) / seconds
        report.add(Figure(name: "1,000 episodes at concurrency 64: \(result.outcomes.count) finished, \(failed) not measured",
                          value: "\((rate * 10).rounded() / 10) episodes/s", target: "all finish, none failed",
                          pass: result.outcomes.count == 1000 && failed == 0,
                          baseline: "\((seconds * 10).rounded() / 10) s wall, peak RSS \(Int(peakMB.rounded())) MB"))
    }

    func loopOnce(_ scenario: Scenario, _ model: InstantModel, _ config: LoopConfig, _ n: inout Int) async throws -> RolloutRecord {
        n += 1
        let episode = try Episode(scenario: scenario, options: .init(recordTo: "\(scratch)/rollout-loop-\(n)"))
        let record = await RolloutLoop.run(episode: episode, provider: model, config: config)
        guard record.outcome == .noAction, record.turns == model.turns.count else {
            fatalError("bench rollout ended \(record.outcome.rawValue) after \(record.turns) turns: \(record.error ?? record.outcomeReason)")
        }
        return record
    }

    func directOnce(_ scenario: Scenario, turns: Int, _ n: inout Int) async throws {
        n += 1
        let episode = try Episode(scenario: scenario, options: .init(recordTo: "\(scratch)/rollout-direct-\(n)"))
        for t in 0..<(turns - 1) {
            let (name, args) = RolloutFigures.calls[t % RolloutFigures.calls.count]
            let r = try await episode.call(name, arguments: args)
            if r.isError { fatalError("bench call \(name) failed: \(r.text)") }
        }
        try await episode.end(reason: "bench")
    }
}
