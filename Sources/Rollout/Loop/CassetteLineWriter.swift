import TerrariumBase

/// Appends `cassette.jsonl` lines (`CassetteEntry`, Providers/Cassette/) as the loop
/// makes model calls.
struct CassetteLineWriter {
    let file: AppendFile

    init(directory: String) throws(RunFileError) {
        file = try AppendFile(path: directory + "/cassette.jsonl", sync: false)
    }

    func append(turn: Int, provider: String, model: String, exchange: ModelExchange, wallMs: Int) throws(RunFileError) {
        let entry = CassetteEntry(turn: turn, provider: provider, model: exchange.response.model ?? model, exchange: exchange,
                                  wallMilliseconds: wallMs)
        try file.append(entry.json)
    }
}

extension TokenUsage {
    public var json: JSON {
        ["input": JSON(input), "output": JSON(output), "cacheRead": JSON(cacheRead), "cacheWrite": JSON(cacheWrite)]
    }
}
