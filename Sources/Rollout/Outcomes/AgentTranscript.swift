import TerrariumBase
import TerrariumRecording

/// One model turn as the rollout loop recorded it: an `agent.message` event in
/// events.jsonl (docs/design/rollouts.md). Read by kind string and payload fields only, so
/// grading needs nothing but the episode directory.
public struct TranscriptTurn: Sendable, Equatable {
    public struct ToolCall: Sendable, Equatable {
        public var id: String
        public var name: String
        public var arguments: JSON
        public init(id: String, name: String, arguments: JSON) { self.id = id; self.name = name; self.arguments = arguments }
    }

    /// The seq of the `agent.message` event.
    public var seq: Int
    public var turn: Int
    /// Visible text (reasoning excluded).
    public var text: String
    public var reasoning: String
    public var toolCalls: [ToolCall]
    /// The model's stop reason as recorded (`end_turn`, `tool_use`, `max_tokens`, `refusal`, ...).
    public var stop: String

    public init(seq: Int, turn: Int, text: String, reasoning: String = "", toolCalls: [ToolCall] = [], stop: String) {
        self.seq = seq; self.turn = turn; self.text = text; self.reasoning = reasoning; self.toolCalls = toolCalls
        self.stop = stop
    }

    /// True when the model said nothing and called nothing.
    public var isEmpty: Bool { text.strippedForGrading.isEmpty && toolCalls.isEmpty }
}

/// The agent's side of an episode: its turns in order.
public struct AgentTranscript: Sendable, Equatable {
    public static let eventKind = "agent.message"
    public var turns: [TranscriptTurn]
    public init(turns: [TranscriptTurn]) { self.turns = turns }

    /// Why an `agent.message` event could not be read.
    public struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
        public var seq: Int
        public var message: String
        public var description: String { "agent.message at seq \(seq): \(message)" }
    }

    /// Reads the `agent.message` events of a verified log. `text` and `reasoning` are
    /// strings, or content references into blobs/ when long (as tool outputs are).
    public init(events: [EventRecord], codec: RecordingContentCodec) throws(Malformed) {
        var turns: [TranscriptTurn] = []
        for event in events where event.kind == AgentTranscript.eventKind {
            let p = event.payload
            func text(_ key: String) throws(Malformed) -> String {
                guard let value = p[key], value != .null else { return "" }
                if let s = value.stringValue { return s }
                guard case .object = value else { throw Malformed(seq: event.seq, message: "\"\(key)\" is neither text nor a content reference") }
                do {
                    guard let t = try codec.decode(value).text else { throw Malformed(seq: event.seq, message: "\"\(key)\" is not UTF-8 text") }
                    return t
                } catch let e as Malformed { throw e } catch {
                    throw Malformed(seq: event.seq, message: "\"\(key)\": \(error)")
                }
            }
            guard let turn = p["turn"]?.intValue else { throw Malformed(seq: event.seq, message: "missing or non-integer \"turn\"") }
            var calls: [TranscriptTurn.ToolCall] = []
            for (index, call) in (p["toolCalls"]?.arrayValue ?? []).enumerated() {
                guard let name = call["name"]?.stringValue else {
                    throw Malformed(seq: event.seq, message: "toolCalls[\(index)] has no \"name\"")
                }
                calls.append(.init(id: call["id"]?.stringValue ?? "", name: name, arguments: call["arguments"] ?? .object([:])))
            }
            turns.append(TranscriptTurn(seq: event.seq, turn: Int(turn), text: try text("text"), reasoning: try text("reasoning"),
                                   toolCalls: calls, stop: p["stop"]?.stringValue ?? ""))
        }
        self.turns = turns
    }

    /// The last turn's visible text: what the model finally said.
    public var finalText: String { turns.last?.text ?? "" }
}

extension String {
    var strippedForGrading: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
