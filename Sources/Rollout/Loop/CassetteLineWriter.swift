import TerrariumBase

/// Writes `cassette.jsonl`: one canonical JSON line per model call, with the fields the
/// contract names (docs/design/rollouts.md): turn, provider, model, request, response,
/// retries, usage, wallMs.
///
/// Interim: helper A's `CassetteEntry` (Providers/) owns this format; at merge this file is
/// replaced by writing `CassetteEntry` values, field for field the same.
struct CassetteLineWriter {
    let file: AppendFile

    init(directory: String) throws(RunFileError) {
        file = try AppendFile(path: directory + "/cassette.jsonl", sync: false)
    }

    func append(turn: Int, provider: String, model: String, exchange: ModelExchange, wallMs: Int) throws(RunFileError) {
        let retries: [JSON] = exchange.retries.map {
            ["status": $0.status.map { JSON($0) } ?? .null, "message": .string($0.message), "waitedMs": JSON($0.waitedMilliseconds)]
        }
        try file.append(["turn": JSON(turn), "provider": .string(provider), "model": .string(exchange.response.model ?? model),
                         "request": exchange.requestBody, "response": exchange.responseBody, "retries": .array(retries),
                         "usage": exchange.response.usage.json, "wallMs": JSON(wallMs)])
    }
}

extension TokenUsage {
    public var json: JSON {
        ["input": JSON(input), "output": JSON(output), "cacheRead": JSON(cacheRead), "cacheWrite": JSON(cacheWrite)]
    }
}
