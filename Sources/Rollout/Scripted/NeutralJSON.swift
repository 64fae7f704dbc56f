import TerrariumBase

/// The neutral conversation types as JSON: the request and response bodies of providers
/// that have no wire format of their own (the scripted model), so their cassette lines
/// still hold exactly what was asked and answered.
public enum NeutralJSON {
    public static func request(_ r: ModelRequest) -> JSON {
        var o: [String: JSON] = ["model": .string(r.model), "system": .string(r.system), "maxTokens": JSON(r.maxTokens),
                                 "messages": .array(r.messages.map(message)),
                                 "tools": .array(r.tools.map { ["name": .string($0.name), "description": .string($0.description),
                                                                "inputSchema": $0.inputSchema] })]
        if let t = r.temperature { o["temperature"] = .double(t) }
        if let b = r.thinkingBudget { o["thinkingBudget"] = JSON(b) }
        return .object(o)
    }

    public static func response(_ r: ModelResponse) -> JSON {
        ["message": message(r.message), "stopReason": .string(r.stopReason.rawValue), "usage": r.usage.json,
         "model": JSON(r.model)]
    }

    public static func message(_ m: Message) -> JSON {
        ["role": .string(m.role.rawValue), "content": .array(m.content.map(block))]
    }

    public static func block(_ b: ContentBlock) -> JSON {
        switch b {
        case .text(let t): return ["type": "text", "text": .string(t)]
        case .reasoning(let t, let s): return ["type": "reasoning", "text": .string(t), "signature": JSON(s)]
        case .redactedReasoning(let d): return ["type": "redacted_reasoning", "data": .string(d)]
        case .toolUse(let id, let name, let args): return ["type": "tool_use", "id": .string(id), "name": .string(name), "arguments": args]
        case .toolResult(let id, let text, let isError):
            return ["type": "tool_result", "id": .string(id), "text": .string(text), "isError": .bool(isError)]
        }
    }
}
