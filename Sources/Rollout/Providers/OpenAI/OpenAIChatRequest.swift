import TerrariumBase

/// `ModelRequest` → a Chat Completions request body (`POST {base}/chat/completions`).
///
/// The neutral conversation maps as follows: the system prompt is the first message
/// (role `system`); a user message's tool results become `tool` messages (they must follow
/// the assistant's `tool_calls` directly), then its text becomes one `user` message; an
/// assistant message becomes `content` (text or null) plus `tool_calls` with the arguments
/// as a JSON string. Reasoning is not sent back: Chat Completions has no field for it (and
/// some servers reject `reasoning_content` in input messages). A tool result's error flag
/// has no field either; the text says what happened.
struct OpenAIChatRequest {
    var stream: Bool
    var maxTokensField: String
    var reasoningEffort: String?

    func body(_ request: ModelRequest) -> JSON {
        var messages: [JSON] = []
        if !request.system.isEmpty { messages.append(["role": "system", "content": .string(request.system)]) }
        for message in request.messages { messages += Self.messages(message) }
        var body: [String: JSON] = [
            "model": .string(request.model),
            "messages": .array(messages),
            maxTokensField: JSON(request.maxTokens),
        ]
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map { tool in
                ["type": "function",
                 "function": ["name": .string(tool.name), "description": .string(tool.description), "parameters": tool.inputSchema]]
            })
        }
        if let t = request.temperature { body["temperature"] = .double(t) }
        if let effort = reasoningEffort { body["reasoning_effort"] = .string(effort) }
        if stream {
            body["stream"] = true
            // Without it a streamed answer carries no token counts.
            body["stream_options"] = ["include_usage": true]
        }
        return .object(body)
    }

    static func messages(_ message: Message) -> [JSON] {
        switch message.role {
        case .user:
            var out: [JSON] = []
            var texts: [String] = []
            for block in message.content {
                switch block {
                case .toolResult(let id, let text, _):
                    out.append(["role": "tool", "tool_call_id": .string(id), "content": .string(text)])
                case .text(let text): texts.append(text)
                default: continue
                }
            }
            if !texts.isEmpty { out.append(["role": "user", "content": .string(texts.joined(separator: "\n\n"))]) }
            return out
        case .assistant:
            let text = message.visibleText
            var m: [String: JSON] = ["role": "assistant", "content": text.isEmpty ? .null : .string(text)]
            let calls = message.toolUses
            if !calls.isEmpty {
                m["tool_calls"] = .array(calls.map { call in
                    ["id": .string(call.id), "type": "function",
                     "function": ["name": .string(call.name), "arguments": .string(call.arguments.canonicalString())]]
                })
            }
            return [.object(m)]
        }
    }
}
