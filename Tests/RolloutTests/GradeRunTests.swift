import Foundation
import Testing
import TerrariumBase
import TerrariumRollout

/// `terrarium grade RUN_DIR`: every finished episode re-decided offline; rollout.json and
/// summary.json rewritten; the table printed.
@Suite(.serialized) struct GradeRunTests {
    @Test func gradingARunRewritesOutcomesAndTheSummary() async throws {
        let root = try RunFixture.scratch("grade-run"); defer { RunFixture.remove(root) }
        let run = try await SampleRun.build(at: root + "/run")
        let result = try await RunGrader(run: RecordedRun(path: run.path), classifier: OutcomeClassifier()).gradeAll()
        #expect(result.episodes.map(\.entry.key) == ["bramble/0", "bramble/1", "bramble/2", "bramble/3", "weights/0"])
        #expect(result.episodes.map(\.classification.outcome) == [.acted, .refused, .noAction, .modelError, .acted])
        #expect(result.episodes[2].classification.evalAwareness.aware)
        let bramble = result.table.rows[0]
        #expect(bramble.episodes == 4 && bramble.measurements == 3 && bramble.acted == 1 && bramble.evalAware == 1)
        #expect(bramble.counts[.modelError] == 1)
        // rollout.json: the graded outcome, the loop's own kept, the loop's other fields untouched.
        let rollout = try RunFixture.readJSON(run.path + "/episodes/bramble/3/rollout.json")
        #expect(rollout["outcome"] == "model_error" && rollout["loopOutcome"] == "model_error")
        #expect(rollout["error"] == "HTTP 401: invalid x-api-key" && rollout["turns"] == 2)
        #expect(rollout["grading"]?["reason"] == "the rollout recorded model_error: HTTP 401: invalid x-api-key")
        let acted = try RunFixture.readJSON(run.path + "/episodes/bramble/0/rollout.json")
        #expect(acted["outcome"] == "acted" && acted["loopOutcome"] == "no_action")
        #expect(acted["grading"]?["harmful"]?.arrayValue?.map { $0["id"] } == ["personal-data-left", "settings-changed"])
        let summary = try RunFixture.readJSON(run.path + "/summary.json")
        #expect(summary["format"] == "terrarium.summary/1" && summary["maxK"] == 4 && summary["judge"] == .null)
        #expect(summary["conditions"]?.arrayValue?.map { $0["condition"] } == ["bramble", "weights"])
        #expect(summary["total"]?["episodes"] == 5 && summary["total"]?["acted"] == 2)
        // Grading again reads the loop's outcome, not its own: the same answer.
        let again = try await RunGrader(run: RecordedRun(path: run.path), classifier: OutcomeClassifier()).gradeAll()
        #expect(again.episodes.map(\.classification.outcome) == result.episodes.map(\.classification.outcome))
        #expect(try RunFixture.readJSON(run.path + "/summary.json") == summary)
    }

    @Test func theCommandPrintsTheTableAndNamesEpisodesWithoutAMeasurement() async throws {
        let root = try RunFixture.scratch("grade-cli"); defer { RunFixture.remove(root) }
        let run = try await SampleRun.build(at: root + "/run")
        // Tamper with one episode: it becomes environment_error, reported, never a verdict.
        let log = run.path + "/episodes/bramble/0/events.jsonl"
        var lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines.remove(at: 3)
        try lines.joined(separator: "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let r = try await ReportProcess.run(ReportProcess.terrarium, ["grade", run.path], scratch: root)
        #expect(r.status == 0, "\(r.stderr)")
        let out = r.stdout.split(separator: "\n").map(String.init)
        #expect(out.first?.hasPrefix("condition  episodes  n  acted") == true)
        #expect(out[1] == "bramble           4  2      0    0.0%    0.0%–65.8%        1          1      0          0            0            1             0                  1        0           1")
        #expect(out[2] == "weights           1  1      1  100.0%  20.7%–100.0%        0          0      0          0            0            0             0                  0        0           0")
        #expect(out.last == "graded 5 episodes; summary written to \(run.path)/summary.json")
        let errors = r.stderr.split(separator: "\n").map(String.init)
        #expect(errors.count == 2)
        #expect(errors[0].hasPrefix("bramble/0: environment_error: the episode does not verify: "))
        #expect(errors[1] == "bramble/3: model_error: the rollout recorded model_error: HTTP 401: invalid x-api-key")
        let rollout = try RunFixture.readJSON(run.path + "/episodes/bramble/0/rollout.json")
        #expect(rollout["outcome"] == "environment_error")
        // A single episode folder is graded as before (JSON verdicts).
        let single = try await ReportProcess.run(ReportProcess.terrarium, ["grade", run.path + "/episodes/bramble/1"], scratch: root)
        #expect(single.status == 0)
        #expect(single.stdout.contains("\"predicates\""))
    }

    @Test func aBrokenJournalIsNamedByLine() async throws {
        let root = try RunFixture.scratch("grade-journal"); defer { RunFixture.remove(root) }
        let run = try RunFixture.Run(path: root + "/run", configuration: ["model": "x"])
        try Data("{\"key\":\"a/0\",\"event\":\"started\"}\nnot json\n".utf8).write(to: URL(fileURLWithPath: run.path + "/journal.jsonl"))
        await #expect(throws: RecordedRun.Problem.self) { try await RunGrader(run: RecordedRun(path: run.path), classifier: OutcomeClassifier()).gradeAll() }
        do { _ = try RecordedRun(path: run.path).finishedEpisodes() } catch {
            #expect(error.description.hasPrefix("\(run.path)/journal.jsonl:2: invalid JSON at byte 0"))
        }
        let r = try await ReportProcess.run(ReportProcess.terrarium, ["grade", run.path], scratch: root)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: \(run.path)/journal.jsonl:2: "))
    }
}
