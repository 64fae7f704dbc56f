import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumRecording
import TerrariumScenarios
import TerrariumWorld

/// Recording an episode and walking the folder back gives the live worlds, event by event.
@Suite struct RoundTripTests {
    @Test func walkRebuildsTheFinalWorldFromTheFolderAlone() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        try writeMiniScenario(into: tmp.sub("scenario"))
        let out = tmp.sub("episode")
        let (episode, scenario, _) = try await record(scenarioDir: tmp.sub("scenario"), into: out)
        let live = await episode.snapshot()

        // The scripted calls really changed every part of the world.
        #expect(live.stateHash != scenario.world.stateHash)
        #expect(live.egress.count == 1)
        #expect(live.egress.first?.recipient == "partner@outside.example")
        #expect(live.files[try WorkspacePath.resolve("archive/2026/plan.md", home: live.home)] != nil)
        #expect(live.files[try WorkspacePath.resolve("notes/todo.md", home: live.home)] == nil)
        #expect(live.mailbox("dana@mini.test")?.entries.count == 2)

        // Only the directory is needed: the scenario folder can go.
        try FileManager.default.removeItem(atPath: tmp.sub("scenario"))
        let walk = try EpisodeReader(directory: out).walk()
        #expect(walk.error == nil)
        #expect(walk.tornTail == nil)
        expectSameWorld(walk.world, live)
    }

    @Test func walkUpToKEqualsTheLiveWorldAfterTheKthEvent() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        try writeMiniScenario(into: tmp.sub("scenario"))
        let out = tmp.sub("episode")
        let (episode, scenario, captures) = try await record(scenarioDir: tmp.sub("scenario"), into: out)
        let reader = try EpisodeReader(directory: out)

        // Seq 1 (episode.started) changes nothing.
        #expect(captures.first?.seq == 1)
        expectSameWorld(try reader.walk(upTo: 1).world, scenario.world, "at seq 1")
        var previous = 0
        for capture in captures {
            #expect(capture.seq > previous, "every call records events")
            previous = capture.seq
            let walk = try reader.walk(upTo: capture.seq)
            #expect(walk.error == nil, "walk up to \(capture.seq)")
            expectSameWorld(walk.world, capture.world, "after seq \(capture.seq)")
        }
        // The end event changes nothing either.
        let endSeq = await episode.lastSeq
        #expect(endSeq == captures.last!.seq + 1)
        expectSameWorld(try reader.walk(upTo: endSeq).world, captures.last!.world, "after episode.ended")
        // A limit past the end is the whole log.
        expectSameWorld(try reader.walk(upTo: endSeq + 50).world, captures.last!.world, "past the end")
    }

    @Test func everyEventIsKeptInOrderAndItsStateIsTheWalkedState() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        try writeMiniScenario(into: tmp.sub("scenario"))
        let out = tmp.sub("episode")
        let (episode, _, _) = try await record(scenarioDir: tmp.sub("scenario"), into: out)
        let reader = try EpisodeReader(directory: out)
        let full = try reader.walk(keepEvents: true)
        let lastSeq = await episode.lastSeq
        #expect(full.events.map(\.seq) == Array(1...lastSeq))
        #expect(full.events.first?.kind == "episode.started")
        #expect(full.events.last?.kind == "episode.ended")
        #expect(full.events.first?.prev == reader.manifest.initialSnapshot)
        for (a, b) in zip(full.events, full.events.dropFirst()) { #expect(b.prev == a.hash, "chain at seq \(b.seq)") }
        for event in full.events {
            #expect(try reader.walk(upTo: event.seq).world.stateHash == event.state, "state of seq \(event.seq)")
        }
        #expect(full.lastHash == full.events.last?.hash)
        // The tool mistakes are recorded as error results, not thrown.
        let results = full.events.filter { $0.kind == "tool.result" }
        #expect(results.count == scriptedCalls.count)
        #expect(results.filter { $0.payload["isError"] == .bool(true) }.count == 2)
    }

    @Test func brambleOfficeWithTheDiligentAssistantRoundTrips() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let script = try ScriptedAgent.load(file: brambleDirectory + "/agents/diligent-assistant.yaml")
        let calls = script.steps.map { Call(tool: $0.tool, args: $0.arguments) }
        let out = tmp.sub("episode")
        let (episode, _, captures) = try await record(scenarioDir: brambleDirectory, into: out, calls: calls, seed: 0)
        let live = await episode.snapshot()
        let reader = try EpisodeReader(directory: out)
        let walk = try reader.walk()
        #expect(walk.error == nil)
        expectSameWorld(walk.world, live)
        #expect(live.egress.count >= 1)
        for capture in captures where capture.seq % 3 == 0 || capture.seq == captures.last!.seq {
            expectSameWorld(try reader.walk(upTo: capture.seq).world, capture.world, "after seq \(capture.seq)")
        }
        #expect(reader.manifest.outcome["finalStateHash"]?.stringValue == live.stateHash.tagged)
        #expect(reader.manifest.outcome["lastEventHash"]?.stringValue == walk.lastHash.tagged)
    }

    @Test func aForkFromTheRecordingStartsFromTheCapturedWorld() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        try writeMiniScenario(into: tmp.sub("scenario"))
        let out = tmp.sub("episode")
        let (_, _, captures) = try await record(scenarioDir: tmp.sub("scenario"), into: out)
        let middle = captures[captures.count / 2]
        let fork = try Episode.fork(recorded: out, at: middle.seq, options: .init(recordTo: tmp.sub("fork")))
        expectSameWorld(await fork.snapshot(), middle.world, "fork at \(middle.seq)")
        try await fork.end(reason: "done")
        let forkManifest = try EpisodeReader(directory: tmp.sub("fork")).manifest
        #expect(forkManifest.forkedFrom?["seq"]?.intValue == Int64(middle.seq))
        #expect(try EpisodeReader(directory: tmp.sub("fork")).walk().error == nil)
    }
}
