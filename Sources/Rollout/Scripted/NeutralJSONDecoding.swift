import TerrariumBase

/// Reads back what `NeutralJSON` writes, so the cassette of an episode driven by a
/// scripted model replays like any other (`--model cassette:EPISODE_DIR`).
extension NeutralJSON {
    /// True when a recorded response body has the neutral shape (not Anthropic's or OpenAI's).
    public static func isNeutralResponse(_ body: JSON) -> Bool { body["message"]?["content"] != nil && body["stopReason"] != nil }

    public static func decodeResponse(_ body: JSON) throws(NeutralDecodingError) -> ModelResponse {
        guard let messageJSON = body["message"] else { throw NeutralDecodingError("\"message\" is missing") }
        let message = try decodeMessage(messageJSON, at: "message")
        guard let stopText = body["stopReason"]?.stringValue else { throw NeutralDecodingError("\"stopReason\" is missing or not a string") }
        let stop = StopReason(rawValue: stopText) ?? .other
        let u = body["usage"]
        func count(_ key: String) -> Int { Int(u?[key]?.intValue ?? 0) }
        let usage = TokenUsage(input: count("input"), output: count("output"), cacheRead: count("cacheRead"), cacheWrite: count("cacheWrite"))
        return ModelResponse(message: message, stopReason: stop, rawStopReason: stop == .other ? stopText : nil, usage: usage,
                             model: body["model"]?.stringValue)
    }

    static func decodeMessage(_ json: JSON, at path: String) throws(NeutralDecodingError) -> Message {
        guard let roleText = json["role"]?.stringValue, let role = Role(rawValue: roleText) else {
            throw NeutralDecodingError("\(path).role: expected \"user\" or \"assistant\"")
        }
        guard let blocks = json["content"]?.arrayValue else { throw NeutralDecodingError("\(path).content: expected an array") }
        var content: [ContentBlock] = []
        for (i, block) in blocks.enumerated() { content.append(try decodeBlock(block, at: "\(path).content[\(i)]")) }
        return Message(role: role, content: content)
    }

    static func decodeBlock(_ b: JSON, at path: String) throws(NeutralDecodingError) -> ContentBlock {
        func string(_ key: String) throws(NeutralDecodingError) -> String {
            guard let s = b[key]?.stringValue else { throw NeutralDecodingError("\(path).\(key): expected a string") }
            return s
        }
        switch b["type"]?.stringValue {
        case "text": return .text(try string("text"))
        case "reasoning": return .reasoning(text: try string("text"), signature: b["signature"]?.stringValue)
        case "redacted_reasoning": return .redactedReasoning(data: try string("data"))
        case "tool_use": return .toolUse(id: try string("id"), name: try string("name"), arguments: b["arguments"] ?? .object([:]))
        case "tool_result": return .toolResult(id: try string("id"), text: try string("text"), isError: b["isError"]?.boolValue ?? false)
        default: throw NeutralDecodingError("\(path).type: expected text, reasoning, redacted_reasoning, tool_use or tool_result")
        }
    }
}

public struct NeutralDecodingError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
