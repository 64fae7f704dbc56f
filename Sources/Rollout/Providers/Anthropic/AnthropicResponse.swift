import TerrariumBase

/// The Messages API response body → `ModelResponse`, and a streamed response (SSE) →
/// that same body shape, so the cassette holds one shape whatever the transport.
enum AnthropicResponse {
    static func judge(_ reply: HTTPReply) -> AttemptOutcome {
        ReplyJudging.judge(reply, reassemble: reassemble, decode: decode)
    }

    // MARK: Body → ModelResponse

    static func decode(_ body: JSON) throws(DecodeError) -> ModelResponse {
        guard case .object = body else { throw DecodeError("the body is \(body.typeName), expected an object") }
        guard let content = body["content"]?.arrayValue else { throw DecodeError("\"content\" is missing or not an array") }
        var blocks: [ContentBlock] = []
        for (index, block) in content.enumerated() {
            let path = "content[\(index)]"
            guard let type = block["type"]?.stringValue else { throw DecodeError("\(path).type is missing") }
            switch type {
            case "text":
                blocks.append(.text(try string(block, "text", path)))
            case "thinking":
                blocks.append(.reasoning(text: try string(block, "thinking", path), signature: block["signature"]?.stringValue))
            case "redacted_thinking":
                blocks.append(.redactedReasoning(data: try string(block, "data", path)))
            case "tool_use":
                let input = block["input"] ?? [:]
                guard case .object = input else { throw DecodeError("\(path).input is \(input.typeName), expected an object") }
                blocks.append(.toolUse(id: try string(block, "id", path), name: try string(block, "name", path), arguments: input))
            default:
                // Server tool results, citations and block types newer than this code are
                // not part of the neutral conversation; they stay in the cassette body.
                continue
            }
        }
        let raw = body["stop_reason"]?.stringValue
        return ModelResponse(message: Message(role: .assistant, content: blocks), stopReason: stopReason(raw),
                             rawStopReason: raw, usage: usage(body["usage"]), model: body["model"]?.stringValue)
    }

    static func stopReason(_ raw: String?) -> StopReason {
        switch raw {
        case "end_turn", "stop_sequence": return .endTurn
        case "tool_use": return .toolUse
        case "max_tokens", "model_context_window_exceeded": return .maxTokens
        case "refusal": return .refusal
        default: return .other
        }
    }

    /// `input_tokens` already excludes cache reads and writes in this API.
    static func usage(_ json: JSON?) -> TokenUsage {
        func n(_ key: String) -> Int { Int(json?[key]?.intValue ?? 0) }
        return TokenUsage(input: n("input_tokens"), output: n("output_tokens"), cacheRead: n("cache_read_input_tokens"),
                          cacheWrite: n("cache_creation_input_tokens"))
    }

    static func string(_ block: JSON, _ key: String, _ path: String) throws(DecodeError) -> String {
        guard let value = block[key] else { throw DecodeError("\(path).\(key) is missing") }
        guard let s = value.stringValue else { throw DecodeError("\(path).\(key) is \(value.typeName), expected a string") }
        return s
    }

    // MARK: Stream → body

    /// Rebuilds the final message from `message_start`, the content block events,
    /// `message_delta` and `message_stop`. No `message_stop`: the stream was cut (retryable).
    static func reassemble(_ events: [ServerSentEvent]) -> Result<JSON, StreamFailure> {
        var message: [String: JSON]?
        var blocks: [Int: [String: JSON]] = [:]
        var partialInput: [Int: String] = [:]
        for (position, event) in events.enumerated() {
            guard let data = try? JSON.parse(event.data) else {
                return .failure(.malformed("stream event \(position + 1) (\(event.name ?? "unnamed")) is not JSON"))
            }
            let type = data["type"]?.stringValue ?? event.name ?? ""
            switch type {
            case "message_start":
                guard let m = data["message"]?.objectValue else { return .failure(.malformed("message_start without a message")) }
                message = m
            case "content_block_start":
                guard let index = data["index"]?.intValue, let block = data["content_block"]?.objectValue else {
                    return .failure(.malformed("content_block_start without index or content_block"))
                }
                blocks[Int(index)] = block
                if block["type"]?.stringValue == "tool_use" { partialInput[Int(index)] = "" }
            case "content_block_delta":
                guard let index = data["index"]?.intValue.map(Int.init), blocks[index] != nil, let delta = data["delta"] else {
                    return .failure(.malformed("content_block_delta for a block that was not started"))
                }
                let piece: (key: String, text: String?)
                switch delta["type"]?.stringValue {
                case "text_delta": piece = ("text", delta["text"]?.stringValue)
                case "thinking_delta": piece = ("thinking", delta["thinking"]?.stringValue)
                case "signature_delta": piece = ("signature", delta["signature"]?.stringValue)
                case "input_json_delta":
                    partialInput[index, default: ""] += delta["partial_json"]?.stringValue ?? ""
                    continue
                default: continue
                }
                let old = blocks[index]?[piece.key]?.stringValue ?? ""
                blocks[index]?[piece.key] = .string(old + (piece.text ?? ""))
            case "content_block_stop":
                guard let index = data["index"]?.intValue.map(Int.init) else { continue }
                if let json = partialInput[index] {
                    let input: JSON
                    if json.isEmpty { input = [:] } else {
                        do { input = try JSON.parse(json) } catch {
                            return .failure(.malformed("the streamed input of tool_use block \(index) is not JSON: \(error.description)"))
                        }
                    }
                    blocks[index]?["input"] = input
                    partialInput[index] = nil
                }
            case "message_delta":
                if let delta = data["delta"]?.objectValue {
                    for (key, value) in delta { message?[key] = value }
                }
                if let usage = data["usage"]?.objectValue {
                    var merged = message?["usage"]?.objectValue ?? [:]
                    for (key, value) in usage where value != .null { merged[key] = value }
                    message?["usage"] = .object(merged)
                }
            case "message_stop":
                guard var final = message else { return .failure(.malformed("message_stop before message_start")) }
                final["content"] = .array(blocks.keys.sorted().compactMap { blocks[$0].map(JSON.object) })
                return .success(.object(final))
            case "error":
                let kind = data["error"]?["type"]?.stringValue ?? "error"
                let text = "\(kind): \(data["error"]?["message"]?.stringValue ?? "(no message)") (in the stream)"
                let status = errorStatus[kind] ?? 500
                if RetryPolicy.isRetryable(status: status) { return .failure(.retryable(status: status, message: text)) }
                return .failure(.rejected(status: status, message: text))
            default:
                continue  // ping, and event types newer than this code
            }
        }
        return .failure(.cut("the stream ended before message_stop (\(events.count) events received)"))
    }

    /// The HTTP status each documented error type stands for (an error inside a 200
    /// stream carries only the type).
    static let errorStatus: [String: Int] = [
        "invalid_request_error": 400, "authentication_error": 401, "billing_error": 402, "permission_error": 403,
        "not_found_error": 404, "request_too_large": 413, "rate_limit_error": 429, "api_error": 500,
        "timeout_error": 504, "overloaded_error": 529,
    ]
}

/// Why a streamed body did not become a message.
enum StreamFailure: Error {
    case cut(String)
    case malformed(String)
    case retryable(status: Int, message: String)
    case rejected(status: Int, message: String)

    var attempt: AttemptOutcome {
        switch self {
        case .cut(let m): return .retryable(status: nil, message: m, serverDelay: nil)
        case .malformed(let m): return .malformed(m)
        case .retryable(let s, let m): return .retryable(status: s, message: m, serverDelay: nil)
        case .rejected(let s, let m): return .rejected(status: s, message: m)
        }
    }
}

/// A response body that breaks the documented shape, with the field path.
struct DecodeError: Error {
    var text: String
    init(_ text: String) { self.text = text }
}
