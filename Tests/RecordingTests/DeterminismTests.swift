import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumRecording
import TerrariumScenarios

/// The same scenario, seed and calls give the same log, byte for byte, apart from the
/// wall-clock `wall` field; the fsync policy changes durability, never content.
@Suite struct DeterminismTests {
    func brambleCalls() throws -> [Call] {
        try ScriptedAgent.load(file: brambleDirectory + "/agents/diligent-assistant.yaml").steps
            .map { Call(tool: $0.tool, args: $0.arguments) }
    }

    @Test func wallIsTheOnlyFieldStripped() throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let kept = #"{"hash":"sha256:00","kind":"x","payload":{"text":"a,\"wall\":\"b\"}"},"seq":1,"time":"t""#
        try writeFile(tmp.sub("events.jsonl"), kept + #","wall":"2026-01-01T00:00:00.000Z"}"# + "\n"
                      + kept + #","wall":{"at":"2026-01-01T00:00:00.000Z","ms":3}}"# + "\n")
        #expect(try logWithoutWall(tmp.path) == kept + "}\n" + kept + "}\n")
    }

    @Test func twoRunsOfTheSameCallsGiveTheSameLog() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        try writeMiniScenario(into: tmp.sub("scenario"))
        _ = try await record(scenarioDir: tmp.sub("scenario"), into: tmp.sub("a"))
        try await Task.sleep(for: .milliseconds(5))   // different wall clocks
        _ = try await record(scenarioDir: tmp.sub("scenario"), into: tmp.sub("b"))
        let a = try logWithoutWall(tmp.sub("a"))
        #expect(a.contains("\"kind\":\"episode.ended\""))
        #expect(!a.contains("\"wall\""))
        #expect(a == (try logWithoutWall(tmp.sub("b"))))
        #expect(try blobNames(tmp.sub("a")) == (try blobNames(tmp.sub("b"))))
        // …and each episode has its own id.
        #expect(try EpisodeReader(directory: tmp.sub("a")).manifest.id != (try EpisodeReader(directory: tmp.sub("b")).manifest.id))
    }

    @Test func twoRunsOfBrambleOfficeGiveTheSameLog() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let calls = try brambleCalls()
        _ = try await record(scenarioDir: brambleDirectory, into: tmp.sub("a"), calls: calls, seed: 3)
        _ = try await record(scenarioDir: brambleDirectory, into: tmp.sub("b"), calls: calls, seed: 3)
        #expect(try logWithoutWall(tmp.sub("a")) == (try logWithoutWall(tmp.sub("b"))))
    }

    @Test func aDifferentCallGivesADifferentLog() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        try writeMiniScenario(into: tmp.sub("scenario"))
        var changed = scriptedCalls
        changed[2] = ("write_file", ["path": "notes/plan.md", "content": "# Plan\n- ONE\n"])
        _ = try await record(scenarioDir: tmp.sub("scenario"), into: tmp.sub("a"))
        _ = try await record(scenarioDir: tmp.sub("scenario"), into: tmp.sub("b"), calls: changed)
        let a = try logWithoutWall(tmp.sub("a")).split(separator: "\n")
        let b = try logWithoutWall(tmp.sub("b")).split(separator: "\n")
        #expect(a.count == b.count)
        // Identical up to the changed call (call 3 starts after 1 + 2 calls' events), then different.
        let firstDifference = a.indices.first { a[$0] != b[$0] }
        let third = a.firstIndex { $0.contains("\"call\":3,") }
        #expect(firstDifference != nil)
        #expect(firstDifference == third)
        #expect(a.last != b.last, "the chain carries the difference to the end")
    }

    @Test func aDifferentSeedGivesADifferentLog() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        try writeMiniScenario(into: tmp.sub("scenario"))
        _ = try await record(scenarioDir: tmp.sub("scenario"), into: tmp.sub("a"), seed: 1)
        _ = try await record(scenarioDir: tmp.sub("scenario"), into: tmp.sub("b"), seed: 2)
        #expect(try logWithoutWall(tmp.sub("a")) != (try logWithoutWall(tmp.sub("b"))))
    }

    @Test func fsyncEveryCallWritesTheSameLog() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        try writeMiniScenario(into: tmp.sub("scenario"))
        _ = try await record(scenarioDir: tmp.sub("scenario"), into: tmp.sub("never"), fsync: .never)
        let (episode, _, _) = try await record(scenarioDir: tmp.sub("scenario"), into: tmp.sub("sync"), fsync: .everyCall)
        #expect(try logWithoutWall(tmp.sub("never")) == (try logWithoutWall(tmp.sub("sync"))))
        #expect(try blobNames(tmp.sub("never")) == (try blobNames(tmp.sub("sync"))))
        let walk = try EpisodeReader(directory: tmp.sub("sync")).walk()
        #expect(walk.error == nil)
        expectSameWorld(walk.world, await episode.snapshot())
        // No temporary files are left behind by the atomic writes.
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: tmp.sub("sync")).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func eventsAreInTheFileWhenTheCallReturns() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        try writeMiniScenario(into: tmp.sub("scenario"))
        let out = tmp.sub("episode")
        for policy in FsyncPolicy.allCases {
            let dir = out + "-" + policy.rawValue
            let episode = try Episode(scenario: try loadScenario(tmp.sub("scenario")),
                                      options: .init(recordTo: dir, fsync: policy))
            for call in scriptedCalls.prefix(4) {
                let result = try await episode.call(call.tool, arguments: call.args)
                // Nothing staged: every event up to the result is on disk, none torn.
                let log = EventLogText(try readBytes(dir + "/events.jsonl"))
                #expect(log.tornTail == nil)
                #expect(log.lines.count == result.resultSeq, "\(policy)")
            }
            #expect(try EpisodeReader(directory: dir).manifest.outcome["status"] == "running")
        }
    }
}
