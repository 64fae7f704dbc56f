import TerrariumBase

/// A model that answers from a script: turn n of every episode gets the script's n-th
/// answer. Deterministic and offline, so it drives tests, benchmarks and demos, and users
/// can write fixed agents that still go through the whole rollout loop
/// (`--model script:FILE`, the file format in ScriptedModelFile.swift).
///
/// Stateless (the turn is read off the request: one more than its assistant messages), so
/// one instance serves every episode of a run at any concurrency.
public struct ScriptedModel: ModelProvider {
    public struct Turn: Sendable, Equatable {
        public var text: String
        public var reasoning: String
        public var toolCalls: [(name: String, arguments: JSON)]
        /// nil: `tool_use` when there are tool calls, else `end_turn`.
        public var stop: StopReason?
        /// nil: estimated as UTF-8 bytes / 4 of the request and of the answer.
        public var usage: TokenUsage?
        /// A real pause before answering (simulated latency), in milliseconds.
        public var delayMilliseconds: Int
        /// Answer with this failure instead.
        public var failure: ProviderError?

        public init(text: String = "", reasoning: String = "", toolCalls: [(name: String, arguments: JSON)] = [],
                    stop: StopReason? = nil, usage: TokenUsage? = nil, delayMilliseconds: Int = 0, failure: ProviderError? = nil) {
            self.text = text; self.reasoning = reasoning; self.toolCalls = toolCalls; self.stop = stop; self.usage = usage
            self.delayMilliseconds = delayMilliseconds; self.failure = failure
        }

        public static func == (a: Turn, b: Turn) -> Bool {
            a.text == b.text && a.reasoning == b.reasoning && a.stop == b.stop && a.usage == b.usage
                && a.delayMilliseconds == b.delayMilliseconds && a.failure == b.failure
                && a.toolCalls.map(\.name) == b.toolCalls.map(\.name) && a.toolCalls.map(\.arguments) == b.toolCalls.map(\.arguments)
        }
    }

    public var kind: String { "script" }
    /// Where the script came from, for messages ("turn 4 of FILE").
    public let source: String
    public let turns: [Turn]

    public init(turns: [Turn], source: String = "the script") {
        self.turns = turns
        self.source = source
    }

    public func complete(_ request: ModelRequest) async throws(ProviderError) -> ModelExchange {
        let index = request.messages.filter { $0.role == .assistant }.count
        guard index < turns.count else {
            throw .configuration("\(source) has \(turns.count) turn\(turns.count == 1 ? "" : "s"); the loop asked for turn \(index + 1) "
                + "(end the script with a turn without tool calls)")
        }
        let turn = turns[index]
        if turn.delayMilliseconds > 0 {
            do { try await Task.sleep(for: .milliseconds(turn.delayMilliseconds)) } catch {
                throw .timedOut(seconds: Double(turn.delayMilliseconds) / 1000, attempts: [])
            }
        }
        if let failure = turn.failure { throw failure }
        var content: [ContentBlock] = []
        if !turn.reasoning.isEmpty { content.append(.reasoning(text: turn.reasoning, signature: nil)) }
        var text = turn.text
        if request.tools.isEmpty {
            // Text mode: the calls are written as blocks, so one script serves both modes.
            for call in turn.toolCalls {
                text += (text.isEmpty ? "" : "\n\n") + "<tool_use:\(call.name)>\n\(call.arguments.canonicalString())\n</tool_use:\(call.name)>"
            }
        }
        if !text.isEmpty { content.append(.text(text)) }
        if !request.tools.isEmpty {
            for (i, call) in turn.toolCalls.enumerated() {
                content.append(.toolUse(id: "call_\(index + 1)_\(i + 1)", name: call.name, arguments: call.arguments))
            }
        }
        let requestBody = NeutralJSON.request(request)
        let usage = turn.usage ?? TokenUsage(input: requestBody.canonicalBytes().count / 4,
                                             output: (text.utf8.count + turn.reasoning.utf8.count
                                                      + turn.toolCalls.reduce(0) { $0 + $1.arguments.canonicalBytes().count }) / 4)
        let response = ModelResponse(message: Message(role: .assistant, content: content),
                                     stopReason: turn.stop ?? (turn.toolCalls.isEmpty ? .endTurn : .toolUse),
                                     usage: usage, model: request.model)
        return ModelExchange(response: response, requestBody: requestBody, responseBody: NeutralJSON.response(response))
    }
}
