import TerrariumBase

/// `ModelRequest` → the Messages API request body (`POST /v1/messages`).
enum AnthropicRequest {
    static func body(_ request: ModelRequest, stream: Bool) -> JSON {
        var body: [String: JSON] = [
            "model": .string(request.model),
            "max_tokens": JSON(request.maxTokens),
            "messages": .array(request.messages.map(message)),
        ]
        if !request.system.isEmpty { body["system"] = .string(request.system) }
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map { tool in
                ["name": .string(tool.name), "description": .string(tool.description), "input_schema": tool.inputSchema]
            })
        }
        if let t = request.temperature { body["temperature"] = .double(t) }
        if let budget = request.thinkingBudget {
            body["thinking"] = ["type": "enabled", "budget_tokens": JSON(budget)]
        }
        if stream { body["stream"] = true }
        return .object(body)
    }

    static func message(_ message: Message) -> JSON {
        ["role": .string(message.role.rawValue), "content": .array(message.content.compactMap(block))]
    }

    /// One content block. Reasoning without a signature (a text-mode scratchpad, or
    /// reasoning another provider produced) cannot be sent back as a thinking block (the
    /// API checks signatures), so it is left out; visible text is never dropped.
    static func block(_ block: ContentBlock) -> JSON? {
        switch block {
        case .text(let text):
            return ["type": "text", "text": .string(text)]
        case .reasoning(let text, let signature):
            guard let signature else { return nil }
            return ["type": "thinking", "thinking": .string(text), "signature": .string(signature)]
        case .redactedReasoning(let data):
            return ["type": "redacted_thinking", "data": .string(data)]
        case .toolUse(let id, let name, let arguments):
            return ["type": "tool_use", "id": .string(id), "name": .string(name), "input": arguments]
        case .toolResult(let id, let text, let isError):
            var result: [String: JSON] = ["type": "tool_result", "tool_use_id": .string(id), "content": .string(text)]
            if isError { result["is_error"] = true }
            return .object(result)
        }
    }
}
