import Foundation
import TerrariumBase
import TerrariumEpisode
import TerrariumWorld

/// What the host says about episodes: summaries, world state, events, snapshots, forks.
extension EpisodeHost {
    /// `mcpBase` is the URL prefix clients reach the server at (`http://host:port`).
    public func summary(_ e: HostedEpisode, mcpBase: String) -> JSON {
        ["id": .string(e.id), "scenario": .string(e.scenario), "seed": .string(String(e.seed)),
         "mcpUrl": .string(mcpBase + "/episodes/" + e.id + "/mcp"), "directory": JSON(e.directory),
         "tools": JSON(e.catalog.names), "systemPrompt": .string(e.episode.systemPrompt)]
    }

    /// The world as JSON (contents inline), with its state hash and last seq.
    public func state(_ e: HostedEpisode) async -> JSON {
        let world = await e.episode.snapshot()
        return ["id": .string(e.id), "seq": JSON(await e.episode.lastSeq), "stateHash": .string(world.stateHash.tagged),
                "world": world.snapshotJSON(InlineContentCodec())]
    }

    /// The recorded event lines after `since` (at most `limit`), as written, and the
    /// last seq in the file.
    public func eventLines(_ e: HostedEpisode, since: Int, limit: Int = 10_000) throws(HostError) -> (lines: [[UInt8]], lastSeq: Int) {
        guard let directory = e.directory else {
            throw .notImplemented("events need a recorded episode: start the server with --runs DIR")
        }
        guard let data = FileManager.default.contents(atPath: directory + "/events.jsonl") else {
            throw .environment("cannot read \(directory)/events.jsonl")
        }
        var lines: [[UInt8]] = []
        var seq = 0
        var lineStart = data.startIndex
        for index in data.indices where data[index] == 0x0A {
            seq += 1
            if seq > since && lines.count < limit { lines.append(Array(data[lineStart..<index])) }
            lineStart = index + 1
        }
        return (lines, seq)
    }

    /// `{"events":[...],"lastSeq":N}` built from the lines as written: no re-encoding.
    public func events(_ e: HostedEpisode, since: Int, limit: Int = 10_000) throws(HostError) -> (body: [UInt8], lastSeq: Int) {
        let (lines, last) = try eventLines(e, since: since, limit: limit)
        var out: [UInt8] = Array("{\"events\":[".utf8)
        for (i, line) in lines.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: line)
        }
        out.append(contentsOf: Array("],\"lastSeq\":\(last)}".utf8))
        return (out, last)
    }

    /// Whether the episode is still live in this host.
    public func isLive(_ id: String) -> Bool { (try? episode(id)) != nil }

    public func snapshot(_ e: HostedEpisode) async -> JSON {
        let s = await e.takeSnapshot()
        return ["snapshot": .string(s.id), "episode": .string(e.id), "seq": JSON(s.seq), "stateHash": .string(s.stateHash)]
    }

    public enum ForkPoint: Sendable { case now, snapshot(String), seq(Int) }

    public static func forkPoint(_ body: JSON) throws(HostError) -> ForkPoint {
        guard case .object(let fields) = body else { throw .badRequest("the body must be a JSON object, got \(body.typeName)") }
        if let unknown = fields.keys.sorted().first(where: { $0 != "snapshot" && $0 != "seq" }) {
            throw .badRequest("unknown field \"\(unknown)\"; expected: snapshot or seq (or neither: fork now)")
        }
        switch (fields["snapshot"], fields["seq"]) {
        case (nil, nil): return .now
        case (.string(let s)?, nil): return .snapshot(s)
        case (nil, let seq?):
            guard let n = seq.intValue, n >= 1 else { throw .badRequest("field \"seq\" must be a positive integer, got \(seq.canonicalString())") }
            return .seq(Int(n))
        case (let s?, nil): throw .badRequest("field \"snapshot\" must be a string, got \(s.typeName)")
        default: throw .badRequest("give either \"snapshot\" or \"seq\", not both")
        }
    }

    /// A new live episode from `e` now, from one of its snapshots, or from its recording at a seq.
    public func fork(_ e: HostedEpisode, at point: ForkPoint) async throws(HostError) -> HostedEpisode {
        let id = EpisodeNaming.newID()
        let folder = configuration.runs.map { $0 + "/" + EpisodeNaming.folderName(scenario: e.episode.scenarioID, seed: e.seed, id: id) }
        let options = Episode.Options(seed: e.seed, recordTo: folder, id: id)
        let made: Episode
        do {
            switch point {
            case .now:
                made = try await e.episode.fork(options: options)
            case .snapshot(let sid):
                guard let s = e.snapshot(sid) else { throw HostError.unknownSnapshot(sid) }
                made = try await e.episode.fork(from: s, options: options)
            case .seq(let seq):
                guard let directory = e.directory else {
                    throw HostError.notImplemented("forking at a seq needs a recorded episode: start the server with --runs DIR")
                }
                let last = await e.episode.lastSeq
                guard seq <= last else { throw HostError.badRequest("seq \(seq) is beyond the episode's last event (\(last))") }
                made = try Episode.fork(recorded: directory, at: seq, options: options)
            }
        } catch let error as HostError {
            throw error
        } catch {
            throw .environment("\(error)")
        }
        return try adopt { () throws(HostError) -> HostedEpisode in
            HostedEpisode(episode: made, scenario: e.scenario, seed: e.seed, directory: folder, gate: gate)
        }
    }
}
