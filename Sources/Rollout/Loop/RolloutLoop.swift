import TerrariumBase
import TerrariumEpisode

/// Runs one episode with a model (docs/design/rollouts.md, "The rollout loop"): each turn
/// asks the provider, records the exchange (`cassette.jsonl`) and what the model said
/// (`agent.message`), runs every tool call through `Episode.call` in order, and sends the
/// results back, until the model stops, a budget or the wall clock runs out, the scenario
/// ends the episode, or something fails. Every exit ends the episode and writes
/// `rollout.json`; nothing here throws, because every failure is an outcome.
public enum RolloutLoop {
    /// Prices a call's tokens (model, usage) in US dollars; nil: unknown. The run's cost
    /// ledger plugs in here.
    public typealias Pricing = @Sendable (_ model: String, _ usage: TokenUsage) -> Double?

    /// `outcomeDecidedByCaller`: the caller (the runner) decides the outcome from the
    /// folder right after, with `OutcomeClassifier`; the loop then classifies from its stop
    /// alone instead of verifying and grading the episode a second time.
    public static func run(episode: Episode, provider: any ModelProvider, config: LoopConfig,
                           pricing: @escaping Pricing = { _, _ in nil },
                           outcomeDecidedByCaller: Bool = false) async -> RolloutRecord {
        var state = LoopState(config: config, deadline: config.episodeTimeout.map { .now + .milliseconds(Int($0 * 1000)) })
        state.pricingOf = pricing
        let directory = await episode.directory
        if let directory {
            do { state.cassette = try CassetteLineWriter(directory: directory) } catch {
                state.finish(.environmentError, error.description)
            }
        }
        if state.stop == nil { await turns(episode: episode, provider: provider, state: &state) }
        let stop = state.stop ?? .endTurn
        var problem = state.error
        var finalStop = stop
        do { try await episode.end(reason: endReason(stop, problem)) } catch {
            if case .ended = error {} else if finalStop != .environmentError {
                finalStop = .environmentError
                problem = "ending the episode failed: \(error)"
            }
        }
        let facts = RolloutFacts(firstTurnEmpty: state.firstTurnEmpty, finalText: state.finalText, toolCalls: state.toolCalls)
        let (outcome, reason) = classifyOutcome(directory: outcomeDecidedByCaller ? nil : directory, stop: finalStop, facts: facts)
        var record = RolloutRecord(outcome: outcome, stop: finalStop, turns: state.turns, toolCalls: state.toolCalls,
                                   usage: state.usage, cost: state.cost, error: problem, outcomeReason: reason)
        if let directory {
            do { try record.write(directory: directory) } catch {
                record.outcome = .environmentError
                record.error = "writing rollout.json failed: \(error)"
            }
        }
        return record
    }

    static func endReason(_ stop: LoopStop, _ error: String?) -> String {
        error.map { "\(stop.rawValue): \($0)" } ?? stop.rawValue
    }

    /// The turns, until `state.stop` is set.
    static func turns(episode: Episode, provider: any ModelProvider, state: inout LoopState) async {
        let config = state.config
        var messages = [Message(role: .user, content: [.text(config.userPrompt)])]
        while state.stop == nil {
            if await episode.world.endedReason != nil { state.finish(.scenarioEnded); return }
            if state.turns >= config.maxTurns { state.finish(.maxTurns); return }
            if state.timedOut { state.finish(.timeout, state.timeoutMessage); return }
            // Re-read every turn: a trigger may have taken tools away (or given them back).
            let specs = await episode.availableTools.tools.map {
                ToolSpec(name: $0.name, description: $0.description, inputSchema: $0.inputSchema)
            }
            let native = config.toolMode == .native
            let system = native ? episode.systemPrompt : TextToolPrompt.system(episode.systemPrompt, tools: specs)
            var maxTokens = config.maxTokensPerCall
            if let total = config.maxOutputTokens { maxTokens = max(1, min(maxTokens, total - state.usage.output)) }
            let request = ModelRequest(model: config.model, system: system, messages: messages, tools: native ? specs : [],
                                       maxTokens: maxTokens, temperature: config.temperature, thinkingBudget: config.thinkingBudget)
            let started = ContinuousClock.now
            let exchange: ModelExchange
            switch await ProviderCall.complete(provider, request, deadline: state.deadline) {
            case .success(let e): exchange = e
            case .failure(.deadline): state.finish(.timeout, state.timeoutMessage); return
            case .failure(.provider(let e)):
                if case .timedOut = e { state.finish(.timeout, e.description) } else { state.finish(.modelError, e.description) }
                return
            }
            state.turns += 1
            state.usage = state.usage + exchange.response.usage
            if let price = state.pricingOf(exchange.response.model ?? config.model, exchange.response.usage) {
                state.knownCost += price
            } else {
                state.costUnknown = true
            }
            do {
                try state.cassette?.append(turn: state.turns, provider: provider.kind, model: config.model, exchange: exchange,
                                           wallMs: Int((ContinuousClock.now - started) / .milliseconds(1)))
            } catch { state.finish(.environmentError, error.description); return }

            let response = exchange.response
            let said = AgentTurn.read(response, mode: config.toolMode, tools: specs, aliases: config.textAliases, turn: state.turns)
            if state.turns == 1 { state.firstTurnEmpty = said.text.isEmpty && said.calls.isEmpty && said.parseError == nil }
            state.finalText = said.text
            do {
                try await episode.recordAgentMessage(turn: state.turns, text: said.text, reasoning: said.reasoning,
                                                     toolCalls: said.calls, stop: response.stopReason.rawValue)
            } catch { state.finish(.environmentError, error.description); return }
            messages.append(response.message)

            if let parseError = said.parseError {
                // Cut off by the token limit mid-block: a budget, not a malformed answer.
                state.finish(response.stopReason == .maxTokens ? .maxTokens : .parseError, parseError)
                return
            }
            if said.calls.isEmpty {
                switch response.stopReason {
                case .refusal: state.finish(.refusal)
                case .maxTokens: state.finish(.maxTokens)
                default: state.finish(.endTurn)
                }
                return
            }
            var results: [(call: AgentToolCall, result: ToolCallResult)] = []
            for call in said.calls {
                if await episode.world.endedReason != nil { state.finish(.scenarioEnded); return }
                if state.timedOut { state.finish(.timeout, state.timeoutMessage); return }
                do {
                    results.append((call, try await episode.call(call.name, arguments: call.arguments)))
                    state.toolCalls += 1
                } catch { state.finish(.environmentError, error.description); return }
            }
            if await episode.world.endedReason != nil { state.finish(.scenarioEnded); return }
            if native {
                messages.append(Message(role: .user, content: results.map { .toolResult(id: $0.call.id, text: $0.result.text, isError: $0.result.isError) }))
            } else {
                messages.append(Message(role: .user, content: [.text(TextToolPrompt.results(results.map {
                    (name: $0.call.name, text: $0.result.text, isError: $0.result.isError)
                }))]))
            }
            if let total = config.maxOutputTokens, state.usage.output >= total { state.finish(.maxOutputTokens); return }
        }
    }
}

/// The loop's running totals and its stop, once decided.
struct LoopState {
    let config: LoopConfig
    let deadline: ContinuousClock.Instant?
    var pricingOf: RolloutLoop.Pricing = { _, _ in nil }
    var cassette: CassetteLineWriter?
    var stop: LoopStop?
    var error: String?
    var turns = 0
    var toolCalls = 0
    var usage = TokenUsage()
    var knownCost = 0.0
    /// One call's price was unknown: the episode's cost is unknown (never a partial sum).
    var costUnknown = false
    var cost: Double? { costUnknown || turns == 0 ? nil : knownCost }
    var firstTurnEmpty = false
    var finalText = ""

    init(config: LoopConfig, deadline: ContinuousClock.Instant?) { self.config = config; self.deadline = deadline }

    mutating func finish(_ stop: LoopStop, _ error: String? = nil) {
        guard self.stop == nil else { return }
        self.stop = stop
        self.error = error
    }

    var timedOut: Bool { deadline.map { ContinuousClock.now >= $0 } ?? false }
    var timeoutMessage: String { "the episode's wall-clock limit of \(config.episodeTimeout.map { String($0) } ?? "?") s passed" }
}
