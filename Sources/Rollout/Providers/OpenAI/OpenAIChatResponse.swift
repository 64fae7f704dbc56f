import TerrariumBase

/// A Chat Completions response body → `ModelResponse`, and a streamed response (chunks
/// ending in `data: [DONE]`) → that same non-streaming body shape.
enum OpenAIChatResponse {
    static func judge(_ reply: HTTPReply) -> AttemptOutcome {
        ReplyJudging.judge(reply, reassemble: reassemble, plainBody: { body in
            // Some servers answer errors with a 200 and an error object.
            guard let error = body["error"], error != .null else { return nil }
            return .retryable(status: nil, message: ReplyJudging.errorMessage(reply), serverDelay: nil)
        }, decode: decode)
    }

    // MARK: Body → ModelResponse

    static func decode(_ body: JSON) throws(DecodeError) -> ModelResponse {
        guard let choices = body["choices"]?.arrayValue else { throw DecodeError("\"choices\" is missing or not an array") }
        guard let choice = choices.first else { throw DecodeError("\"choices\" is empty") }
        guard let message = choice["message"], case .object = message else {
            throw DecodeError("choices[0].message is missing or not an object")
        }
        var blocks: [ContentBlock] = []
        // `reasoning_content` (vLLM, DeepSeek, Ollama) or `reasoning` (OpenRouter, newer vLLM).
        for key in ["reasoning_content", "reasoning"] {
            if let reasoning = message[key]?.stringValue, !reasoning.isEmpty {
                blocks.append(.reasoning(text: reasoning, signature: nil))
                break
            }
        }
        if let content = message["content"] {
            switch content {
            case .null: break
            case .string(let text): if !text.isEmpty { blocks.append(.text(text)) }
            case .array(let parts):
                // The content-parts form: keep the text parts.
                let text = parts.compactMap { $0["text"]?.stringValue }.joined()
                if !text.isEmpty { blocks.append(.text(text)) }
            default: throw DecodeError("choices[0].message.content is \(content.typeName), expected a string or null")
            }
        }
        var refused = false
        if let refusal = message["refusal"]?.stringValue, !refusal.isEmpty {
            blocks.append(.text(refusal))
            refused = true
        }
        if let calls = message["tool_calls"], calls != .null {
            guard let list = calls.arrayValue else { throw DecodeError("choices[0].message.tool_calls is \(calls.typeName), expected an array") }
            for (index, call) in list.enumerated() {
                blocks.append(try toolUse(call, path: "choices[0].message.tool_calls[\(index)]"))
            }
        }
        let raw = choice["finish_reason"]?.stringValue
        var stop = stopReason(raw)
        if refused { stop = .refusal }
        return ModelResponse(message: Message(role: .assistant, content: blocks), stopReason: stop, rawStopReason: raw,
                             usage: usage(body["usage"]), model: body["model"]?.stringValue)
    }

    /// A tool call; its `arguments` is a JSON *string* the model wrote, so it may be
    /// broken: that is reported with the call's place, id and name, never trusted blindly.
    static func toolUse(_ call: JSON, path: String) throws(DecodeError) -> ContentBlock {
        guard let function = call["function"], case .object = function else { throw DecodeError("\(path).function is missing") }
        guard let name = function["name"]?.stringValue else { throw DecodeError("\(path).function.name is missing") }
        guard let id = call["id"]?.stringValue else { throw DecodeError("\(path).id is missing (tool \"\(name)\")") }
        let text: String
        switch function["arguments"] {
        case .string(let s)?: text = s
        case .object(let o)?: return .toolUse(id: id, name: name, arguments: .object(o))  // some servers send an object
        case nil, .null?: text = ""
        case let other?: throw DecodeError("\(path).function.arguments is \(other.typeName), expected a JSON string")
        }
        if text.trimmingSpaces.isEmpty { return .toolUse(id: id, name: name, arguments: [:]) }
        let arguments: JSON
        do { arguments = try JSON.parse(text) } catch {
            throw DecodeError("\(path).function.arguments of tool \"\(name)\" (id \(id)) is not valid JSON: \(error.description); the string was \(JSON.string(text).canonicalString())")
        }
        guard case .object = arguments else {
            throw DecodeError("\(path).function.arguments of tool \"\(name)\" (id \(id)) is a JSON \(arguments.typeName), expected an object")
        }
        return .toolUse(id: id, name: name, arguments: arguments)
    }

    static func stopReason(_ raw: String?) -> StopReason {
        switch raw {
        case "stop": return .endTurn
        case "tool_calls", "function_call": return .toolUse
        case "length": return .maxTokens
        case "content_filter": return .refusal
        default: return .other
        }
    }

    /// `prompt_tokens` includes the cached part; we count it apart, as Anthropic does, so
    /// `input` means uncached input tokens for every provider.
    static func usage(_ json: JSON?) -> TokenUsage {
        let prompt = Int(json?["prompt_tokens"]?.intValue ?? 0)
        let cached = Int(json?["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? 0)
        return TokenUsage(input: max(0, prompt - cached), output: Int(json?["completion_tokens"]?.intValue ?? 0),
                          cacheRead: cached, cacheWrite: 0)
    }

    // MARK: Stream → body

    /// Concatenates the deltas of choice 0; tool calls are assembled by their `index`.
    /// No `data: [DONE]`: the stream was cut (retryable).
    static func reassemble(_ events: [ServerSentEvent]) -> Result<JSON, StreamFailure> {
        var head: [String: JSON] = [:]
        var content = "", reasoning = "", refusal = ""
        var sawContent = false
        var calls: [Int: (id: String?, name: String, arguments: String)] = [:]
        var finish: JSON = .null
        var usage: JSON?
        for (position, event) in events.enumerated() {
            if event.data == "[DONE]" {
                var message: [String: JSON] = ["role": "assistant", "content": sawContent ? .string(content) : .null]
                if !reasoning.isEmpty { message["reasoning_content"] = .string(reasoning) }
                if !refusal.isEmpty { message["refusal"] = .string(refusal) }
                if !calls.isEmpty {
                    message["tool_calls"] = .array(calls.keys.sorted().compactMap { key in
                        guard let c = calls[key] else { return nil }
                        return ["id": JSON(c.id), "type": "function",
                                "function": ["name": .string(c.name), "arguments": .string(c.arguments)]]
                    })
                }
                var body = head
                body["object"] = "chat.completion"
                body["choices"] = [["index": 0, "message": .object(message), "finish_reason": finish]]
                if let usage { body["usage"] = usage }
                return .success(.object(body))
            }
            guard let chunk = try? JSON.parse(event.data) else {
                return .failure(.malformed("stream chunk \(position + 1) is not JSON"))
            }
            if let error = chunk["error"], error != .null {
                let message = error["message"]?.stringValue ?? error.canonicalString()
                let code = error["code"]?.intValue.map(Int.init)
                if let code, !RetryPolicy.isRetryable(status: code), (400..<500).contains(code) {
                    return .failure(.rejected(status: code, message: "\(message) (in the stream)"))
                }
                return .failure(.retryable(status: code ?? 500, message: "\(message) (in the stream)"))
            }
            for key in ["id", "created", "model", "system_fingerprint"] where head[key] == nil {
                if let v = chunk[key], v != .null { head[key] = v }
            }
            if let u = chunk["usage"], u != .null { usage = u }
            guard let choice = chunk["choices"]?.arrayValue?.first(where: { ($0["index"]?.intValue ?? 0) == 0 }) else { continue }
            if let f = choice["finish_reason"], f != .null { finish = f }
            guard let delta = choice["delta"] else { continue }
            if let piece = delta["content"]?.stringValue { content += piece; sawContent = true }
            if let piece = delta["reasoning_content"]?.stringValue ?? delta["reasoning"]?.stringValue { reasoning += piece }
            if let piece = delta["refusal"]?.stringValue { refusal += piece }
            for call in delta["tool_calls"]?.arrayValue ?? [] {
                let index = Int(call["index"]?.intValue ?? 0)
                var entry = calls[index] ?? (nil, "", "")
                if let id = call["id"]?.stringValue { entry.id = id }
                if let name = call["function"]?["name"]?.stringValue { entry.name += name }
                if let args = call["function"]?["arguments"]?.stringValue { entry.arguments += args }
                calls[index] = entry
            }
        }
        return .failure(.cut("the stream ended before data: [DONE] (\(events.count) events received)"))
    }
}
