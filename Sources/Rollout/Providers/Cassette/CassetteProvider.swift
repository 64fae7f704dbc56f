import TerrariumBase

/// `cassette:EPISODE_DIR`: replays that episode's model calls from its `cassette.jsonl`,
/// offline and deterministically. Each request the loop makes is encoded in the recorded
/// provider's wire format and must equal the recorded request body (transport-only keys
/// `stream` and `stream_options` aside); the first difference is reported with its turn and
/// field path, so a re-drive that diverged stops at once instead of replaying nonsense.
public struct CassetteProvider: ModelProvider {
    public var kind: String { "cassette" }
    public let directory: String
    public let entries: [CassetteEntry]
    let cursor = CassetteCursor()

    public init(directory: String) throws(ProviderError) {
        var dir = directory
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        self.directory = dir
        entries = try CassetteEntry.read(file: dir + "/cassette.jsonl")
    }

    public init(entries: [CassetteEntry], directory: String = "(in memory)") {
        self.directory = directory
        self.entries = entries
    }

    public func complete(_ request: ModelRequest) async throws(ProviderError) -> ModelExchange {
        let index = await cursor.next()
        guard index < entries.count else {
            throw .cassetteMismatch("call \(index + 1): the cassette in \(directory) holds only \(entries.count) calls")
        }
        let entry = entries[index]
        let recorded = entry.exchange.requestBody
        let now = Self.encode(request, like: entry)
        if let difference = JSONDifference.first(Self.comparable(recorded), Self.comparable(now)) {
            throw .cassetteMismatch("turn \(entry.turn): the request differs at \(difference)")
        }
        return entry.exchange
    }

    /// The request as the recorded provider would have sent it. Options that are not part
    /// of `ModelRequest` (the max-tokens field name, `reasoning_effort`) are taken from the
    /// recorded body: the cassette cannot know them otherwise.
    static func encode(_ request: ModelRequest, like entry: CassetteEntry) -> JSON {
        let recorded = entry.exchange.requestBody
        switch CassetteEntry.wireFormat(provider: entry.provider, response: entry.exchange.responseBody) {
        case "anthropic":
            return AnthropicRequest.body(request, stream: false)
        case "neutral":
            return NeutralJSON.request(request)
        default:
            let field = recorded["max_completion_tokens"] != nil ? "max_completion_tokens" : "max_tokens"
            return OpenAIChatRequest(stream: false, maxTokensField: field,
                                     reasoningEffort: recorded["reasoning_effort"]?.stringValue).body(request)
        }
    }

    static func comparable(_ body: JSON) -> JSON {
        guard case .object(var members) = body else { return body }
        members["stream"] = nil
        members["stream_options"] = nil
        // The model name is what `--model` asked for; on a re-drive that is the cassette
        // itself, so it is not part of what must match.
        members["model"] = nil
        return .object(members)
    }
}

actor CassetteCursor {
    private var position = 0
    func next() -> Int {
        defer { position += 1 }
        return position
    }
}

/// The first place two JSON values differ, as a path (`messages[2].content[0].text`) with
/// both values, shortened.
enum JSONDifference {
    static func first(_ recorded: JSON, _ now: JSON, path: String = "") -> String? {
        switch (recorded, now) {
        case (.object(let a), .object(let b)):
            for key in Set(a.keys).union(b.keys).sorted(by: JSON.utf8Less) {
                let sub = path.isEmpty ? key : path + "." + key
                switch (a[key], b[key]) {
                case (let x?, let y?): if let d = first(x, y, path: sub) { return d }
                case (nil, let y?): return "\(sub): not recorded, now \(show(y))"
                case (let x?, nil): return "\(sub): recorded \(show(x)), now absent"
                case (nil, nil): continue
                }
            }
            return nil
        case (.array(let a), .array(let b)):
            for i in 0..<min(a.count, b.count) {
                if let d = first(a[i], b[i], path: "\(path)[\(i)]") { return d }
            }
            if a.count != b.count { return "\(path.isEmpty ? "(body)" : path): recorded \(a.count) items, now \(b.count)" }
            return nil
        default:
            if recorded == now { return nil }
            // 1 and 1.0 are the same number.
            if let x = recorded.intValue, let y = now.intValue, x == y { return nil }
            return "\(path.isEmpty ? "(body)" : path): recorded \(show(recorded)), now \(show(now))"
        }
    }

    static func show(_ value: JSON) -> String {
        let text = value.canonicalString()
        return text.count > 80 ? String(text.prefix(77)) + "…" : text
    }
}
