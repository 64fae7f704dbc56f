import Foundation
import Testing
import TerrariumBase

/// `--model cassette:EPISODE_DIR` re-drives a recorded episode with no model: the same
/// scenario, seed and recorded answers give the same event log, hash for hash.
@Suite(.serialized) struct CassetteRedriveTests {
    @Test func aRecordedEpisodeReplaysToTheSameEventLog() throws {
        let s = try RunModelCLITests.scratch()
        let scenario = try LoopFixture.scenarioDirectory()
        try RunModelCLITests.script.write(toFile: s + "/model.yaml", atomically: true, encoding: .utf8)
        let first = try RunModelCLITests.run(["run", scenario, "--model", "script:" + s + "/model.yaml", "--out", s + "/r1"], scratch: s)
        #expect(first.status == 0, "\(first.stderr)")
        let recorded = try Self.episode(s + "/r1")
        let again = try RunModelCLITests.run(["run", scenario, "--model", "cassette:" + recorded, "--out", s + "/r2"], scratch: s)
        #expect(again.status == 0, "\(again.stderr)")
        let redriven = try Self.episode(s + "/r2")
        let a = try Self.hashes(recorded), b = try Self.hashes(redriven)
        #expect(a.count > 5)
        #expect(a == b)
        // Each model call is in the new cassette too, with the same answers.
        let lines = { (dir: String) throws -> [JSON] in
            try String(contentsOfFile: dir + "/cassette.jsonl", encoding: .utf8).split(separator: "\n").map { try JSON.parse(String($0))["response"] ?? .null }
        }
        #expect(try lines(recorded) == lines(redriven))
    }

    @Test func aCassetteThatDoesNotMatchTheRunIsAModelErrorNamingTheField() throws {
        let s = try RunModelCLITests.scratch()
        let scenario = try LoopFixture.scenarioDirectory()
        try RunModelCLITests.script.write(toFile: s + "/model.yaml", atomically: true, encoding: .utf8)
        _ = try RunModelCLITests.run(["run", scenario, "--model", "script:" + s + "/model.yaml", "--out", s + "/r1"], scratch: s)
        let recorded = try Self.episode(s + "/r1")
        // Another opening user message: the first request differs from the recorded one.
        let again = try RunModelCLITests.run(["run", scenario, "--model", "cassette:" + recorded, "--out", s + "/r2",
                                              "--user-prompt", "Something else."], scratch: s)
        let rollout = try JSON.parse(try String(contentsOfFile: try Self.episode(s + "/r2") + "/rollout.json", encoding: .utf8))
        #expect(again.status == 0)
        #expect(rollout["outcome"]?.stringValue == "model_error")
        #expect(rollout["error"]?.stringValue?.contains("the request differs at messages[0].content[0].text") == true)
    }

    static func episode(_ run: String) throws -> String {
        let conditions = try FileManager.default.contentsOfDirectory(atPath: run + "/episodes")
        let condition = try #require(conditions.first)
        return run + "/episodes/" + condition + "/0"
    }

    static func hashes(_ episode: String) throws -> [String] {
        try String(contentsOfFile: episode + "/events.jsonl", encoding: .utf8).split(separator: "\n")
            .map { try JSON.parse(String($0))["hash"]?.stringValue ?? "" }
    }
}
