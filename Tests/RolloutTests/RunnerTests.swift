import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
@testable import TerrariumRollout

/// Runs: the plan, run.json, the journal, resume, the summary table and the progress line.
@Suite struct RunnerTests {
    static let email = ScriptedModel.Turn.say("<tool_use:email>\nto: \"someone@outside.test\",\nsubject: \"Data\",\nbody: \"Here.\",\n</tool_use:email>")

    static func runner(episodes: Int, root: String, maxTurns: Int = 30) throws -> (Runner, RunConfiguration) {
        let plan = try RunPlan.make(directory: try LoopFixture.scenarioDirectory(), selection: .single(condition: nil), overrides: [],
                                    episodes: episodes, seed: 100)
        let loop = LoopConfig(model: "scripted", toolMode: .text, maxTurns: maxTurns)
        let model = ScriptedModel(turns: [email, .say("Sent.")])
        let runner = Runner(plan: plan, provider: model, loop: loop, directory: RunDirectory(root), concurrency: 2)
        // The scenario folder is fresh each time; run.json compares its content hash, not its path.
        var configuration = RunConfiguration(plan: plan, model: ModelSpec(provider: "script", model: "test.yaml"), loop: loop,
                                             flags: ProviderFlags(), concurrency: 2)
        configuration.json = .object((configuration.json.objectValue ?? [:]).merging(["scenario": "loop-office"]) { $1 })
        return (runner, configuration)
    }

    @Test func planKeysAndSeeds() throws {
        let plan = try RunPlan.make(directory: try LoopFixture.scenarioDirectory(), selection: .single(condition: nil), overrides: [],
                                    episodes: 3, seed: 100)
        #expect(plan.keys.map(\.description) == ["default/0", "default/1", "default/2"])
        #expect(plan.keys.map { plan.seed($0) } == [100, 101, 102])
        let grid = try RunPlan.make(directory: LoopFixture.repository + "/Environments/replacement-blackmail", selection: .grid,
                                    overrides: [], episodes: 2, seed: 0)
        #expect(grid.conditions.count > 1)
        #expect(grid.keys.count == grid.conditions.count * 2)
        #expect(grid.keys.first?.description == "\(grid.conditions[0].id)/0")
        #expect(throws: (any Error).self) {
            try RunPlan.make(directory: try LoopFixture.scenarioDirectory(), selection: .grid, overrides: [], episodes: 1, seed: 0)
        }
    }

    @Test func aRunWritesItsFolderJournalAndSummary() async throws {
        let root = LoopFixture.temporary("run")
        let (runner, configuration) = try Self.runner(episodes: 3, root: root)
        let result = try await runner.run(configuration: configuration, progressStyle: .silent)
        #expect(result.outcomes.map(\.key) == ["default/0", "default/1", "default/2"])
        #expect(result.outcomes.allSatisfy { $0.outcome == .acted })
        #expect(result.skipped == 0 && result.setAside.isEmpty)
        let journal = try RunJournal.read(path: root + "/journal.jsonl")
        #expect(journal.count == 6)
        #expect(journal.filter { $0.event == .finished }.map(\.key).sorted() == ["default/0", "default/1", "default/2"])
        #expect(journal.filter { $0.event == .finished }.allSatisfy { $0.outcome == .acted && $0.dir == "episodes/" + $0.key })
        for k in 0..<3 {
            let dir = root + "/episodes/default/\(k)"
            #expect(try LoopFixture.rollout(dir)["outcome"] == "acted")
            #expect(try LoopFixture.lines(dir + "/cassette.jsonl").count == 2)
            let manifest = try JSON.parse(try String(contentsOfFile: dir + "/episode.json", encoding: .utf8))
            #expect(manifest["seed"] == .string(String(100 + k)) || manifest["seed"] == JSON(100 + k))
        }
        #expect(result.table.text == """
            condition  episodes  n  acted    rate  refused  no_action  not measured
            default           3  3      3  100.0%        0          0  —
            """)
        let summary = try JSON.parse(try String(contentsOfFile: root + "/summary.json", encoding: .utf8))
        #expect(summary["conditions"]?.item(0)?["acted"] == 3 && summary["conditions"]?.item(0)?["n"] == 3)
        let written = try JSON.parse(try String(contentsOfFile: root + "/run.json", encoding: .utf8))
        #expect(written["model"] == "script:test.yaml" && written["toolMode"] == "text" && written["episodes"] == 3)
        #expect(written["operational"]?["concurrency"] == 2)
    }

    @Test func aRerunWithAnotherConfigurationIsRefusedNamingTheField() async throws {
        let root = LoopFixture.temporary("rerun")
        let (runner, configuration) = try Self.runner(episodes: 1, root: root)
        _ = try await runner.run(configuration: configuration, progressStyle: .silent)
        let (other, changed) = try Self.runner(episodes: 1, root: root, maxTurns: 5)
        await #expect(throws: RunFileError("\(root)/run.json was written for a different run: maxTurns is 30 there and 5 now; "
            + "rerun with the same options to resume it, or give another --out")) {
            _ = try await other.run(configuration: changed, progressStyle: .silent)
        }
        // Operational settings may change.
        var faster = configuration
        faster.json = .object((faster.json.objectValue ?? [:]).merging(["operational": ["concurrency": 8]]) { $1 })
        let again = try await runner.run(configuration: faster, progressStyle: .silent)
        #expect(again.skipped == 1)
    }

    @Test func resumeSkipsFinishedKeysAndSetsAsideTheUnfinished() async throws {
        let root = LoopFixture.temporary("resume")
        let (runner, configuration) = try Self.runner(episodes: 3, root: root)
        _ = try await runner.run(configuration: configuration, progressStyle: .silent)
        // As if the process died inside default/1: its finished line never got written.
        let path = root + "/journal.jsonl"
        let kept = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .filter { !($0.contains("\"default/1\"") && $0.contains("finished")) }
        // …and the last line is torn mid-write.
        try (kept.joined(separator: "\n") + "\n{\"key\":\"default/9\",\"ev").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try RunJournal.read(path: path).count == 5)
        let result = try await runner.run(configuration: configuration, progressStyle: .silent)
        #expect(result.skipped == 2)
        #expect(result.setAside == [root + "/episodes/default/1.interrupted-1"])
        #expect(FileManager.default.fileExists(atPath: root + "/episodes/default/1.interrupted-1/events.jsonl"))
        #expect(try LoopFixture.rollout(root + "/episodes/default/1")["outcome"] == "acted")
        let journal = try RunJournal.read(path: path)
        #expect(journal.filter { $0.event == .finished }.map(\.key).sorted() == ["default/0", "default/1", "default/2"])
        #expect(journal.suffix(2).map(\.event) == [.started, .finished])
    }

    @Test func summaryTableCountsOutcomesPerCondition() {
        let table = SummaryTable(conditions: ["a", "b"], outcomes: [
            ("a", .acted), ("a", .refused), ("a", .noAction), ("a", .noAction), ("a", .timeout),
            ("b", .parseError), ("b", .modelError), ("b", .modelError),
        ])
        #expect(table.text == """
            condition  episodes  n  acted   rate  refused  no_action  not measured
            a                 5  4      1  25.0%        1          2  timeout 1
            b                 3  0      0      —        0          0  parse_error 1, model_error 2
            """)
        #expect(table.rows[1].rate == nil)
        #expect(table.json["conditions"]?.item(0)?["outcomes"]?["timeout"] == 1)
    }

    @Test func progressLinesAndFormats() async {
        let lines = LinesBox()
        let progress = RunProgress(total: 4, alreadyDone: 1, style: .lines) { lines.add($0) }
        let record = RolloutRecord(outcome: .modelError, stop: .modelError, turns: 0, toolCalls: 0,
                                   usage: TokenUsage(input: 1500, output: 200), cost: 0.25, error: "x", outcomeReason: "")
        await progress.finished(key: "c/1", record: record)
        let line = lines.all.first ?? ""
        #expect(line.hasPrefix("c/1: model_error (model_error, 0 turns) — 2/4 episodes, 1 failed, "))
        #expect(line.hasSuffix(", 1.7k tokens, $0.25\n"))
        #expect(RunProgress.duration(75) == "1m15s" && RunProgress.duration(7260) == "2h01m" && RunProgress.duration(9) == "9s")
        #expect(RunProgress.count(999) == "999" && RunProgress.count(41_234) == "41.2k" && RunProgress.count(2_500_000) == "2.5M")
    }
}

final class LinesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
