import TerrariumBase
import TerrariumEpisode

/// What the model said in one turn, in the shape `agent.message` records: visible text
/// and reasoning apart, and the tool calls to make.
struct AgentTurn {
    var text: String
    var reasoning: String
    var calls: [AgentToolCall]
    /// Text mode: why the answer's blocks could not be read (then `calls` is empty).
    var parseError: String?

    static func read(_ response: ModelResponse, mode: ToolMode, tools: [ToolSpec], aliases: [TextToolAlias], turn: Int) -> AgentTurn {
        // The provider's own reasoning blocks (thinking, reasoning_content) come first.
        let providerReasoning = response.message.content.compactMap { block -> String? in
            if case .reasoning(let t, _) = block { return t }
            return nil
        }
        let visible = response.message.visibleText
        func joined(_ more: String) -> String {
            (providerReasoning + [more]).map(ReasoningSplitter.trim).filter { !$0.isEmpty }.joined(separator: "\n\n")
        }
        switch mode {
        case .native:
            // A scratchpad written in the text (the agentic-misalignment prompts ask for one)
            // is reasoning too; native tool calls are the only calls.
            let split = ReasoningSplitter.split(visible)
            let calls = response.message.toolUses.map { AgentToolCall(id: $0.id, name: $0.name, arguments: $0.arguments) }
            return AgentTurn(text: split.answer, reasoning: joined(split.reasoning), calls: calls)
        case .text:
            do throws(TextToolParseError) {
                let parsed = try TextToolParser(tools: tools, aliases: aliases).parse(visible)
                let calls = parsed.calls.enumerated().map { i, c in
                    AgentToolCall(id: "text_\(turn)_\(i + 1)", name: c.name, arguments: c.arguments)
                }
                return AgentTurn(text: parsed.text, reasoning: joined(parsed.reasoning), calls: calls)
            } catch {
                let split = ReasoningSplitter.split(visible)
                return AgentTurn(text: split.answer, reasoning: joined(split.reasoning), calls: [], parseError: error.message)
            }
        }
    }
}
