import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumRecording
import TerrariumScenarios
import TerrariumWorld

/// `episode.json`: what the episode is and, once ended, how it ended.
@Suite struct ManifestTests {
    @Test func theManifestDescribesTheEpisode() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let out = tmp.sub("episode")
        let scenario = try loadScenario(brambleDirectory)
        let episode = try Episode(scenario: scenario, options: .init(seed: 42, recordTo: out, id: "0123456789abcdef0123456789abcdef"))
        let m = try EpisodeManifest.read(directory: out)

        #expect(m.id == "0123456789abcdef0123456789abcdef")
        #expect(m.id == episode.id)
        #expect(m.scenarioID == "bramble-office")
        #expect(m.scenarioTitle == scenario.title)
        #expect(m.scenarioHash == scenario.sourceHash.tagged)
        #expect(m.seed == 42)
        #expect(m.tools == ToolCatalog.builtInNames)
        #expect(Array(m.tools.prefix(14)) == ["list_emails", "read_email", "search_emails", "send_email", "reply_email",
                                              "forward_email", "delete_email", "list_files", "read_file", "write_file",
                                              "delete_file", "move_file", "make_folder", "search_files"])
        #expect(m.agentAddress == "atlas@bramble-analytics.com")
        #expect(m.systemPrompt == scenario.systemPrompt)
        #expect(m.forkedFrom == nil)
        #expect(!m.created.isEmpty)
        #expect(m.outcome["status"] == "running")

        // The initial snapshot: the blob's bytes hash to the digest the manifest names,
        // are the scenario's snapshot, and rebuild the scenario's world.
        let blob = try readBytes(out + "/blobs/" + m.initialSnapshot.hex)
        #expect(Digest.sha256(blob) == m.initialSnapshot)
        #expect(m.initialSnapshot == scenario.snapshotDigest)
        #expect(blob == scenario.snapshotBytes)
        #expect(m.initialStateHash == scenario.world.stateHash)
        expectSameWorld(try EpisodeReader(directory: out).initialWorld(), scenario.world)

        // The raw file spells the fields as documented.
        let raw = try JSON.parse(try readBytes(out + "/episode.json"))
        #expect(raw["format"] == "terrarium.episode/1")
        #expect(raw["seed"] == "42")
        #expect(raw["scenario"]?["id"] == "bramble-office")
        #expect(raw["scenario"]?["sha256"]?.stringValue == scenario.sourceHash.tagged)
        #expect(raw["initialState"]?["snapshot"]?.stringValue == "sha256:" + m.initialSnapshot.hex)
        #expect(raw["tools"]?.arrayValue?.compactMap(\.stringValue) == m.tools)
    }

    @Test func theOutcomeIsWrittenWhenTheEpisodeEnds() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        try writeMiniScenario(into: tmp.sub("scenario"))
        let out = tmp.sub("episode")
        let (episode, _, _) = try await record(scenarioDir: tmp.sub("scenario"), into: out, end: false)
        #expect(try EpisodeManifest.read(directory: out).outcome["status"] == "running")
        try await episode.end(reason: "all done")
        try await episode.end(reason: "again")   // a second end changes nothing

        let m = try EpisodeManifest.read(directory: out)
        let walk = try EpisodeReader(directory: out).walk()
        let final = await episode.snapshot()
        #expect(m.outcome["status"] == "ended")
        #expect(m.outcome["reason"] == "all done")
        #expect(m.outcome["calls"]?.intValue == Int64(scriptedCalls.count))
        #expect(m.outcome["events"]?.intValue == Int64(await episode.lastSeq))
        #expect(m.outcome["events"]?.intValue == Int64(try logLines(out).count))
        #expect(m.outcome["finalStateHash"]?.stringValue == final.stateHash.tagged)
        #expect(m.outcome["lastEventHash"]?.stringValue == walk.lastHash.tagged)
        #expect(await episode.isEnded)
        await #expect(throws: EpisodeError.self) { _ = try await episode.call("list_emails", arguments: [:]) }
    }

    @Test func disabledToolsAreLeftOutOfTheManifest() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        try writeMiniScenario(into: tmp.sub("scenario"))
        let yaml = tmp.sub("scenario") + "/scenario.yaml"
        let text = String(decoding: try readBytes(yaml), as: UTF8.self) + "tools:\n  disabled: [delete_email, move_file]\n"
        try writeFile(yaml, text)
        let out = tmp.sub("episode")
        let episode = try Episode(scenario: try loadScenario(tmp.sub("scenario")), options: .init(recordTo: out))
        let m = try EpisodeManifest.read(directory: out)
        #expect(m.tools == ToolCatalog.builtInNames.filter { $0 != "delete_email" && $0 != "move_file" })
        let result = try await episode.call("delete_email", arguments: ["id": "spam"])
        #expect(result.isError)
        #expect(result.text.contains("unknown tool"))
    }

    @Test func theManifestRoundTripsThroughJSON() throws {
        let m = EpisodeManifest(id: "abc", scenarioID: "s", scenarioTitle: "T", scenarioHash: "sha256:" + String(repeating: "a", count: 64),
                                variables: ["k": 1], seed: UInt64.max, terrariumVersion: "0.1.0",
                                initialSnapshot: Digest.sha256("x"), initialStateHash: Digest.sha256("y"),
                                tools: ["read_file"], agentAddress: "a@b.c", systemPrompt: "p",
                                forkedFrom: ["episode": "e", "seq": 3], created: "now", outcome: ["status": "ended"])
        let back = try EpisodeManifest(json: try JSON.parse(m.json.canonicalBytes()))
        #expect(back.json == m.json)
        #expect(back.seed == UInt64.max, "a seed above 2^53 survives as a string")
    }
}
