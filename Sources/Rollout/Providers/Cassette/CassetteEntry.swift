import Foundation
import TerrariumBase

/// One line of an episode's `cassette.jsonl`: one model call, as canonical JSON
/// `{"turn","provider","model","request","response","retries":[…],"usage":{…},"wallMs"}`.
/// `request` is the exact body sent (last attempt), `response` the body received (a
/// streamed answer reassembled into the provider's non-streaming shape).
///
/// Writing: `CassetteEntry(turn:provider:model:exchange:wallMilliseconds:).jsonLine`.
/// Reading: `CassetteEntry.read(file:)`; the neutral response is decoded again from
/// `response`, so a cassette replays with the same code that parsed the live answer.
public struct CassetteEntry: Sendable, Equatable {
    public var turn: Int
    /// "anthropic" or "openai" (the wire format of `request` and `response`).
    public var provider: String
    public var model: String
    public var exchange: ModelExchange
    public var wallMilliseconds: Int

    public init(turn: Int, provider: String, model: String, exchange: ModelExchange, wallMilliseconds: Int) {
        self.turn = turn; self.provider = provider; self.model = model; self.exchange = exchange
        self.wallMilliseconds = wallMilliseconds
    }

    public var json: JSON {
        let u = exchange.response.usage
        return [
            "turn": JSON(turn), "provider": .string(provider), "model": .string(model),
            "request": exchange.requestBody, "response": exchange.responseBody,
            "retries": .array(exchange.retries.map { a in
                ["status": a.status.map { JSON($0) } ?? .null, "message": .string(a.message), "waitedMs": JSON(a.waitedMilliseconds)]
            }),
            "usage": ["input": JSON(u.input), "output": JSON(u.output), "cacheRead": JSON(u.cacheRead), "cacheWrite": JSON(u.cacheWrite)],
            "wallMs": JSON(wallMilliseconds),
        ]
    }

    /// The line to append to `cassette.jsonl` (canonical JSON and a newline).
    public var jsonLine: String { json.canonicalString() + "\n" }

    /// Decodes one line; `where` names it in errors ("cassette.jsonl line 3").
    public init(json: JSON, where place: String) throws(ProviderError) {
        func field(_ key: String) throws(ProviderError) -> JSON {
            guard let v = json[key] else { throw .cassetteMismatch("\(place): field \"\(key)\" is missing") }
            return v
        }
        guard case .object = json else { throw .cassetteMismatch("\(place): expected a JSON object, got \(json.typeName)") }
        guard let turn = try field("turn").intValue else { throw .cassetteMismatch("\(place): \"turn\" is not an integer") }
        guard let provider = try field("provider").stringValue else { throw .cassetteMismatch("\(place): \"provider\" is not a string") }
        guard let model = try field("model").stringValue else { throw .cassetteMismatch("\(place): \"model\" is not a string") }
        let request = try field("request"), response = try field("response")
        var retries: [FailedAttempt] = []
        for (index, r) in (json["retries"]?.arrayValue ?? []).enumerated() {
            guard let message = r["message"]?.stringValue, let waited = r["waitedMs"]?.intValue else {
                throw .cassetteMismatch("\(place): retries[\(index)] needs \"message\" and \"waitedMs\"")
            }
            retries.append(FailedAttempt(status: r["status"]?.intValue.map { Int($0) }, message: message, waitedMilliseconds: Int(waited)))
        }
        let decoded: ModelResponse
        do throws(DecodeError) {
            switch CassetteEntry.wireFormat(provider: provider, response: response) {
            case "anthropic": decoded = try AnthropicResponse.decode(response)
            case "neutral":
                do { decoded = try NeutralJSON.decodeResponse(response) } catch { throw DecodeError(error.description) }
            default: decoded = try OpenAIChatResponse.decode(response)
            }
        } catch {
            throw .cassetteMismatch("\(place): the recorded response does not decode: \(error.text)")
        }
        self.init(turn: Int(turn), provider: provider, model: model,
                  exchange: ModelExchange(response: decoded, requestBody: request, responseBody: response, retries: retries),
                  wallMilliseconds: Int(json["wallMs"]?.intValue ?? 0))
    }

    /// Every entry of a `cassette.jsonl`, in order.
    public static func read(file path: String) throws(ProviderError) -> [CassetteEntry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration("no cassette at \(path) (cassette:EPISODE_DIR needs the episode's cassette.jsonl)")
        }
        var entries: [CassetteEntry] = []
        let name = (path as NSString).lastPathComponent
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let place = "\(name) line \(index + 1)"
            let json: JSON
            do { json = try JSON.parse(String(line)) } catch { throw .cassetteMismatch("\(place): \(error.description)") }
            entries.append(try CassetteEntry(json: json, where: place))
        }
        return entries
    }

    /// "anthropic", "openai" or "neutral" (a scripted model's bodies, Scripted/NeutralJSON).
    /// A cassette written while replaying a cassette names the provider "cassette"; the
    /// body's shape then says which format it is.
    static func wireFormat(provider: String, response: JSON) -> String {
        switch provider {
        case "anthropic", "openai": return provider
        case "script": return "neutral"
        default:
            if NeutralJSON.isNeutralResponse(response) { return "neutral" }
            return response["choices"] != nil ? "openai" : "anthropic"
        }
    }
}
