import TerrariumBase

/// The provider-neutral conversation the rollout loop keeps. Each provider translates it
/// to and from its own wire format (Providers/); nothing above the providers sees a wire
/// format, so the loop, the cassette and the report work the same for every model.

/// One piece of a message.
public enum ContentBlock: Sendable, Equatable {
    /// Text the model wrote (or the user/system text we send).
    case text(String)
    /// The model's reasoning: a thinking block (Anthropic), `reasoning_content` (OpenAI-
    /// compatible servers), or a scratchpad cut out of text-mode output. `signature` is the
    /// provider's opaque token that must be sent back unchanged in later turns.
    case reasoning(text: String, signature: String?)
    /// Reasoning the provider returned encrypted/redacted: kept to send back, never shown.
    case redactedReasoning(data: String)
    /// A tool call the model made. `id` is the provider's call id (we invent one in text mode).
    case toolUse(id: String, name: String, arguments: JSON)
    /// Our answer to a tool call.
    case toolResult(id: String, text: String, isError: Bool)
}

public enum Role: String, Sendable, Equatable {
    case user
    case assistant
}

public struct Message: Sendable, Equatable {
    public var role: Role
    public var content: [ContentBlock]
    public init(role: Role, content: [ContentBlock]) { self.role = role; self.content = content }

    /// The tool calls in this message, in order.
    public var toolUses: [(id: String, name: String, arguments: JSON)] {
        content.compactMap { if case .toolUse(let id, let name, let args) = $0 { return (id, name, args) }; return nil }
    }
    /// All visible text, joined by blank lines (reasoning excluded).
    public var visibleText: String {
        content.compactMap { if case .text(let t) = $0 { return t }; return nil }.joined(separator: "\n\n")
    }
}

/// A tool as offered to the model: what `tools/list` shows, in neutral form.
public struct ToolSpec: Sendable, Equatable {
    public var name: String
    public var description: String
    /// JSON Schema of the arguments object.
    public var inputSchema: JSON
    public init(name: String, description: String, inputSchema: JSON) {
        self.name = name; self.description = description; self.inputSchema = inputSchema
    }
}

/// How the model is asked to call tools.
public enum ToolMode: String, Sendable, Equatable, CaseIterable {
    /// The provider's native tool calling (Anthropic `tool_use`, OpenAI `tool_calls`).
    case native
    /// The agentic-misalignment convention: `<tool_use:NAME> … </tool_use:NAME>` blocks in
    /// plain text, described in the system prompt; no `tools` field is sent.
    case text
}

/// Everything one model call needs.
public struct ModelRequest: Sendable, Equatable {
    public var model: String
    public var system: String
    public var messages: [Message]
    /// Empty in text mode.
    public var tools: [ToolSpec]
    public var maxTokens: Int
    public var temperature: Double?
    /// Extended thinking budget (Anthropic); nil: off. OpenAI-compatible providers map it
    /// to `reasoning_effort` only when asked to (see the provider).
    public var thinkingBudget: Int?
    public init(model: String, system: String, messages: [Message], tools: [ToolSpec], maxTokens: Int,
                temperature: Double? = nil, thinkingBudget: Int? = nil) {
        self.model = model; self.system = system; self.messages = messages; self.tools = tools
        self.maxTokens = maxTokens; self.temperature = temperature; self.thinkingBudget = thinkingBudget
    }
}

/// Why the model stopped.
public enum StopReason: String, Sendable, Equatable {
    /// It finished its turn (Anthropic `end_turn`/`stop_sequence`, OpenAI `stop`).
    case endTurn = "end_turn"
    /// It wants tool results (`tool_use`, `tool_calls`).
    case toolUse = "tool_use"
    /// It hit `maxTokens` (`max_tokens`, `length`).
    case maxTokens = "max_tokens"
    /// The provider refused or filtered the output (`refusal`, `content_filter`).
    case refusal
    /// Anything else the provider said, kept verbatim in `ModelResponse.rawStopReason`.
    case other
}

/// Token counts of one call. Cache reads and writes are counted apart because they are
/// priced apart.
public struct TokenUsage: Sendable, Equatable {
    public var input: Int
    public var output: Int
    public var cacheRead: Int
    public var cacheWrite: Int
    public init(input: Int = 0, output: Int = 0, cacheRead: Int = 0, cacheWrite: Int = 0) {
        self.input = input; self.output = output; self.cacheRead = cacheRead; self.cacheWrite = cacheWrite
    }
    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
        TokenUsage(input: a.input + b.input, output: a.output + b.output,
                   cacheRead: a.cacheRead + b.cacheRead, cacheWrite: a.cacheWrite + b.cacheWrite)
    }
}

/// The model's answer, already in neutral form.
public struct ModelResponse: Sendable, Equatable {
    /// An assistant message (reasoning, text, tool calls in the provider's order).
    public var message: Message
    public var stopReason: StopReason
    public var rawStopReason: String?
    public var usage: TokenUsage
    /// The model name the provider reports (may differ from the one asked for).
    public var model: String?
    public init(message: Message, stopReason: StopReason, rawStopReason: String? = nil, usage: TokenUsage,
                model: String? = nil) {
        self.message = message; self.stopReason = stopReason; self.rawStopReason = rawStopReason
        self.usage = usage; self.model = model
    }
}
