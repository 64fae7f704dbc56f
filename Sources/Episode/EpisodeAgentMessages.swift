import TerrariumBase
import TerrariumRecording
import TerrariumWorld

/// One tool call as the model wrote it, for the `agent.message` event.
public struct AgentToolCall: Sendable, Equatable {
    public var id: String
    public var name: String
    public var arguments: JSON
    public init(id: String, name: String, arguments: JSON) { self.id = id; self.name = name; self.arguments = arguments }
}

extension Episode {
    /// Records what a model said in one turn as an `agent.message` event, before that
    /// turn's tool calls run (docs/design/rollouts.md): the visible text and the reasoning
    /// apart, the tool calls it made, and why it stopped. The event has no effect, so the
    /// world, replay and verification are unchanged; it is hash-chained like every event.
    /// Texts longer than the inline limit go to blobs, as tool outputs do. Returns its seq.
    @discardableResult
    public func recordAgentMessage(turn: Int, text: String, reasoning: String, toolCalls: [AgentToolCall],
                                   stop: String) async throws(EpisodeError) -> Int {
        await acquireTurn()
        defer { releaseTurn() }
        if let brokenReason { throw .broken(brokenReason) }
        if isEnded { throw .ended }
        let calls: [JSON] = toolCalls.map { ["id": .string($0.id), "name": .string($0.name), "arguments": $0.arguments] }
        let seq = stage(.agentMessage, ["turn": JSON(turn), "text": outputJSON(text), "reasoning": outputJSON(reasoning),
                                        "toolCalls": .array(calls), "stop": .string(stop)],
                        state: world.stateHash, time: world.clock.now)
        // A scenario may watch what the agent says (a trigger on agent.message); like any
        // recorded event, it is shown to the triggers before the batch is committed.
        try fireTriggersAndCommit()
        return seq
    }
}
