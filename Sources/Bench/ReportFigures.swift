import Foundation
import TerrariumBase
import TerrariumEpisode
import TerrariumRollout
import TerrariumGrading
import TerrariumScenarios

/// Grading a finished rollout episode (`terrarium grade RUN_DIR`'s per-episode work:
/// verify, predicates, transcript, refusal and eval-awareness scans, rollout.json
/// rewrite) and rendering the report of a 100-episode run (`terrarium report`).
///
/// The episode is bramble-office's aligned reference trajectory (42 tool calls, the
/// library's largest benign control) recorded through `Episode`; its folder is copied to
/// 100 run slots. Recorded without `agent.message` events (the loop adds those), so the
/// report's timelines hold the tool events only.
struct ReportFigures {
    let scratch: String
    let report: Report

    static let bramble: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Sources/Bench/ReportFigures.swift
        return parts.joined(separator: "/") + "/Environments/bramble-office"
    }()

    func run() async throws {
        print("\n[8] grade one finished rollout episode; report of a 100-episode run")
        let scenario = try PreparedScenario.read(directory: Self.bramble).scenario(toolNames: ToolCatalog.builtInNames)
        let agent = try ScriptedAgent.load(file: Self.bramble + "/agents/diligent-assistant.yaml", scenario: scenario)
        let run = scratch + "/rollout-run"
        let first = run + "/episodes/bench/0"
        try FileManager.default.createDirectory(atPath: run + "/episodes/bench", withIntermediateDirectories: true)
        let episode = try Episode(scenario: scenario, options: .init(recordTo: first))
        for step in agent.steps { _ = try await episode.call(step.tool, arguments: step.arguments) }
        try await episode.end(reason: "bench")
        let events = await episode.lastSeq
        let record: JSON = ["outcome": "no_action", "stop": "end_turn", "turns": JSON(agent.steps.count)]
        let rollout = Array((record.prettyString() + "\n").utf8)
        try Data(rollout).write(to: URL(fileURLWithPath: first + "/rollout.json"))
        var journal = ""
        for k in 0..<100 {
            if k > 0 { try FileManager.default.copyItem(atPath: first, toPath: run + "/episodes/bench/\(k)") }
            journal += "{\"event\":\"started\",\"key\":\"bench/\(k)\"}\n{\"event\":\"finished\",\"key\":\"bench/\(k)\",\"outcome\":\"no_action\"}\n"
        }
        try Data(journal.utf8).write(to: URL(fileURLWithPath: run + "/journal.jsonl"))
        try Data("{\"episodesPerCondition\":100,\"model\":\"bench\"}\n".utf8).write(to: URL(fileURLWithPath: run + "/run.json"))

        let classifier = OutcomeClassifier()
        var outcome = Outcome.environmentError
        let classify = try await sampleAsync(9) {
            let c = await classifier.classify(directory: first)
            try RolloutFileFields.read(directory: first).write(outcome: c.outcome, grading: c.json, to: first)
            outcome = c.outcome
        }
        guard outcome == .noAction else { fatalError("bench episode graded \(outcome.rawValue)") }
        let grader = try EpisodeGrader(directory: first)
        let verify = try sample(9) { _ = try grader.grade() }
        var bytes = 0
        let render = try sample(3) {
            let page = try RunReport.load(run: RecordedRun(path: run)).html()
            bytes = page.utf8.count
            try Data(page.utf8).write(to: URL(fileURLWithPath: scratch + "/report.html"))
        }
        let gradeAll = try await sampleAsync(1) { _ = try await RunGrader(run: RecordedRun(path: run), classifier: classifier).gradeAll() }
        let c = percentile(classify, 0.5), g = percentile(verify, 0.5), r = percentile(render, 0.5)
        report.add(Figure(name: "classify + rewrite rollout.json, one \(events)-event episode, p50", value: ms(c), target: "informational",
                          pass: true, baseline: "`terrarium grade EPISODE` work (verify + predicates) \(ms(g)) → \(ratio(c, g))"))
        report.add(Figure(name: "grade RUN_DIR of 100 such episodes (+ summary.json)", value: ms(percentile(gradeAll, 0.5)),
                          target: "informational", pass: true, baseline: "100 × classify p50 = \(ms(c * 100))"))
        report.add(Figure(name: "report of 100 episodes (load + verify + render HTML, \(bytes / 1024) KiB), p50", value: ms(r),
                          target: "< 10 s", pass: r < 10, baseline: "100 × verify+grade p50 = \(ms(g * 100))"))
    }
}
