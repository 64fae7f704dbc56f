import Foundation
import Testing
import TerrariumRecording

#if canImport(Glibc)
import Glibc
#endif

/// A `terrarium run` killed with SIGKILL leaves a log whose every line is valid; replay
/// says so and reports the episode as unfinished (exit 3), as it does for a torn write.
@Suite struct DurabilityTests {
    /// A scripted agent that pauses 300 ms (wall clock) before every call.
    static func slowAgent(steps: Int) -> String {
        var yaml = "name: slow-assistant\ndescription: Reads slowly.\nsteps:\n"
        for i in 0..<steps {
            switch i % 3 {
            case 0: yaml += "  - tool: list_files\n    args: {path: \".\", recursive: false}\n    wait: 300ms\n"
            case 1: yaml += "  - tool: read_file\n    args: {path: notes/todo.md, limit: 5}\n    wait: 300ms\n"
            default: yaml += "  - tool: write_file\n    args: {path: \"tmp/slow-\(i).md\", content: \"step \(i)\\n\"}\n    wait: 300ms\n"
            }
        }
        return yaml
    }

    /// Waits (up to `timeout`) until the log has at least `lines` complete lines.
    static func waitForLines(_ path: String, atLeast lines: Int, timeout: Duration = .seconds(120)) async throws -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let bytes = FileManager.default.contents(atPath: path) {
                let count = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                if count >= lines { return count }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("events.jsonl never reached \(lines) lines")
        return 0
    }

    @Test func aKilledRunLeavesAValidPrefixAndATornWriteIsReported() async throws {
        let tmp = try TempDir("kill"); defer { tmp.remove() }
        let agent = tmp.sub("slow.yaml")
        try writeBytes(agent, Array(Self.slowAgent(steps: 2_000).utf8))
        let out = tmp.sub("runs")
        let run = try TerrariumProcess(["run", brambleDirectory, "--agent", agent, "--out", out, "--seed", "9"], scratch: tmp.path)
        try run.start()

        // The folder name is printed only at the end; there is one folder under --out.
        var folder: String?
        let clock = ContinuousClock()
        let start = clock.now
        while folder == nil && clock.now - start < .seconds(60) {
            folder = (try? FileManager.default.contentsOfDirectory(atPath: out))?.first.map { out + "/" + $0 }
            if folder == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let episode = try #require(folder, "the run created no episode folder")
        let log = episode + "/events.jsonl"
        // episode.started plus at least three whole calls (each: called, clock, …, result).
        _ = try await Self.waitForLines(log, atLeast: 13)
        #expect(kill(run.pid, SIGKILL) == 0)
        let killed = await run.wait()
        #expect(killed.signaled)
        #expect(killed.status == SIGKILL)

        // Every line present is a whole event, in order.
        let lines = try logLines(episode)
        let bytes = try readBytes(log)
        #expect(bytes.last == 0x0A, "the kill did not tear a line (one write per call)")
        #expect(lines.count >= 13)
        #expect(lines.count < 1 + 2_000 * 4, "the run was stopped before its end")
        let walk = try EpisodeReader(directory: episode).walk(keepEvents: true)
        #expect(walk.error == nil)
        #expect(walk.events.map(\.seq) == Array(1...lines.count))
        #expect(walk.events.last?.kind == "tool.result", "a call's events are written together")

        let verify = try await terrarium(["replay", episode, "--verify"], scratch: tmp.path)
        #expect(verify.status == 3, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("valid prefix: \(lines.count) events verified, final state \(walk.world.stateHash.tagged)"))
        #expect(verify.stdout.contains("unfinished: the episode never ended (episode.json outcome: running)"))
        #expect(!verify.stdout.contains("torn"))

        // A write torn by a crash: bytes with no line end after the last event.
        let partial = Array(#"{"hash":"sha256:5e1f","kind":"tool.cal"#.utf8)
        try writeBytes(log, bytes + partial)
        let torn = try await terrarium(["replay", episode, "--verify"], scratch: tmp.path)
        #expect(torn.status == 3, "\(torn.stdout)\(torn.stderr)")
        #expect(torn.stdout.contains("valid prefix: \(lines.count) events verified"))
        #expect(torn.stdout.contains("unfinished: events.jsonl line \(lines.count + 1) is torn: \(partial.count) bytes with no line end"))
        #expect(torn.stdout.contains("the episode never ended"))

        // The world at the last whole event can still be shown.
        let at = try await terrarium(["replay", episode, "--at", String(lines.count)], scratch: tmp.path)
        #expect(at.status == 0, "\(at.stderr)")
        #expect(at.stdout.contains("state: \(walk.world.stateHash.tagged)"))
    }

    @Test func aTornWriteAfterAnEndedEpisodeIsReportedAsUnfinished() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let episode = try await recordBramble(into: tmp.sub("runs"), scratch: tmp.path)
        let total = try logLines(episode).count
        try writeBytes(episode + "/events.jsonl", try readBytes(episode + "/events.jsonl") + Array("{\"hash\":".utf8))
        let r = try await terrarium(["replay", episode, "--verify"], scratch: tmp.path)
        #expect(r.status == 3, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("valid prefix: \(total) events verified"))
        #expect(r.stdout.contains("line \(total + 1) is torn: 8 bytes"))
    }

    @Test func fsyncEveryCallRunsAndVerifies() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let out = tmp.sub("runs")
        let r = try await terrarium(["run", brambleDirectory, "--agent", diligentAgent, "--out", out, "--fsync", "every-call"],
                                    scratch: tmp.path)
        #expect(r.status == 0, "\(r.stderr)")
        let episode = out + "/" + (try FileManager.default.contentsOfDirectory(atPath: out).first ?? "?")
        let verify = try await terrarium(["replay", episode, "--verify"], scratch: tmp.path)
        #expect(verify.status == 0, "\(verify.stderr)")
        let plain = try await recordBramble(into: tmp.sub("plain"), scratch: tmp.path)
        #expect(try logWithoutWall(episode) == (try logWithoutWall(plain)))
    }
}
