import ArgumentParser
import TerrariumBase
import TerrariumGrading
import TerrariumRollout
import TerrariumScenarios

struct GradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade a recorded episode (print its verdicts as JSON) or a whole run (re-decide its outcomes).",
        discussion: """
            Reads only the episode folder: the predicates were copied into it
            (grading.json) when the episode started. The whole log is verified first, as
            `replay --verify` does; the initial and final worlds are rebuilt from it.

            --scenario DIR re-grades with the predicates DIR/scenario.yaml declares now
            (the episode's scenario id must match).

            Prints {"episode", "scenario", "condition", "predicates": {ID: {"verdict",
            "meaning", "seqs", "description"}}}. A grader error is never a verdict:
            exit 1 when the episode cannot be read, does not verify (tampered) or its
            predicates do not parse; exit 3 when every event verifies but the episode
            never finished; nothing is printed on stdout then.

            A run folder (it has run.json) is graded as a run: every finished episode's
            outcome is re-decided offline (docs/ROLLOUTS.md, "Outcomes"), rollout.json and
            summary.json are rewritten, and the per-condition table is printed.
            """
    )

    @Argument(help: "The episode folder (holds episode.json, events.jsonl, blobs/, grading.json), or a run folder (holds run.json).")
    var episode: String

    @Option(help: "Re-grade with this scenario folder's current predicates.")
    var scenario: String?

    func run() async throws {
        if RecordedRun.isRun(episode) { return try await gradeRun(episode) }
        let report: GradeReport
        do {
            let grader = try EpisodeGrader(directory: episode)
            var rules: [GradingRule]?
            if let scenario {
                // Rendered as the episode was: its condition, else its variables' values.
                let m = grader.reader.manifest
                let selection = m.condition.map { VariableSelection(condition: $0) }
                    ?? VariableSelection(overrides: m.variables.keys.sorted().map { ($0, m.variables[$0].map(GradeCommand.text) ?? "") })
                let loaded = try loadScenario(scenario, selection)
                guard loaded.id == grader.reader.manifest.scenarioID else {
                    throw fail("\(episode): the episode ran scenario \(grader.reader.manifest.scenarioID), --scenario is \(loaded.id)")
                }
                rules = loaded.grading
            }
            report = try grader.grade(with: rules)
        } catch let error as GradingError {
            if case .unfinished = error { throw fail("\(episode): \(error)", code: 3) }
            throw fail("\(episode): \(error)")
        }
        print(report.json.prettyString())
    }

    /// A recorded variable value as `--var` takes it.
    static func text(_ value: JSON) -> String {
        switch value {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        default: return value.canonicalString()
        }
    }
}
