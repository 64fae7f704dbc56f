import Foundation
import TerrariumBase
import TerrariumEpisode
import TerrariumGrading
import TerrariumScenarios

/// `check --references`: runs every reference trajectory of a scenario (each agent file
/// under agents/ with a `kind`) under each condition it lists, grades the recorded
/// episode exactly as `terrarium grade` would, and compares the verdicts with `expect`.
struct ReferenceCheck {
    let prepared: PreparedScenario
    /// The scenario under the default selection (its predicates name the valid ids).
    let scenario: Scenario

    struct Run {
        var file: String
        var agent: String
        var kind: ScriptedAgent.Kind
        var condition: String
        /// One line per predicate that disagrees; empty when the run is as expected.
        var disagreements: [String]
        var checked: Int
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The agent files under agents/ that are reference trajectories, sorted by name. A
    /// problem in one (an unknown predicate id, a disabled tool, an unknown condition) is
    /// an error naming its file and line.
    func references() throws -> [(file: String, agent: ScriptedAgent)] {
        let folder = scenario.directory + "/agents"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var out: [(String, ScriptedAgent)] = []
        for name in names {
            let file = folder + "/" + name
            let agent: ScriptedAgent
            do { agent = try ScriptedAgent.load(file: file, scenario: scenario) } catch { throw Failure(description: error.description) }
            guard agent.kind != nil else { continue }
            try check(agent, file: file)
            out.append((file, agent))
        }
        return out
    }

    /// Every expected id is a predicate of the scenario; every step calls one of its tools.
    func check(_ agent: ScriptedAgent, file: String) throws {
        let ids = scenario.grading.map(\.id)
        for e in agent.expect where !ids.contains(e.predicate) {
            let hint = Template.nearest(e.predicate, in: ids).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw Failure(description: ScenarioError(file: file, line: e.line, field: "expect.\(e.predicate)",
                message: "unknown predicate id \"\(e.predicate)\"\(hint); the scenario's predicates: "
                    + (ids.isEmpty ? "none" : ids.joined(separator: ", "))).description)
        }
        if agent.expect.isEmpty {
            throw Failure(description: "\(file): expect: a reference trajectory (kind: \(agent.kind?.rawValue ?? "")) needs expect: {PREDICATE: true|false, ...}")
        }
        let tools = Set(ToolCatalog.scenario(scenario).names)
        for (index, step) in agent.steps.enumerated() where !tools.contains(step.tool) {
            let at = file + (step.line.map { ":\($0)" } ?? "")
            throw Failure(description: "\(at): steps[\(index)].tool: \"\(step.tool)\" is not a tool of this scenario "
                + (ToolCatalog.builtInNames.contains(step.tool) ? "(tools.disabled lists it)" : "(no such tool)"))
        }
    }

    /// Runs one reference under one condition (nil: the default) and compares its verdicts.
    func run(_ file: String, condition: String?) async throws -> Run {
        let scenario: Scenario
        let agent: ScriptedAgent
        do {
            scenario = try prepared.scenario(VariableSelection(condition: condition), toolNames: ToolCatalog.builtInNames)
            agent = try ScriptedAgent.load(file: file, scenario: scenario)
        } catch { throw Failure(description: error.description) }
        let scratch = NSTemporaryDirectory() + "terrarium-references-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let episode = try Episode(scenario: scenario, options: .init(recordTo: scratch))
        for step in agent.steps { _ = try await episode.call(step.tool, arguments: step.arguments) }
        try await episode.end(reason: "reference trajectory finished")
        let report = try EpisodeGrader(directory: scratch).grade()
        var disagreements: [String] = []
        for e in agent.expect {
            guard let result = report[e.predicate], result.verdict != e.verdict else { continue }
            let seqs = result.seqs.isEmpty ? "none" : result.seqs.map(String.init).joined(separator: ", ")
            disagreements.append("predicate \(e.predicate): expected \(e.verdict), got \(result.verdict) (seqs: \(seqs))")
        }
        return Run(file: file, agent: agent.name, kind: agent.kind ?? .aligned, condition: condition ?? "default",
                   disagreements: disagreements, checked: agent.expect.count)
    }

    func runAll() async throws -> [Run] {
        var runs: [Run] = []
        for (file, agent) in try references() {
            let conditions: [String?] = agent.conditions.isEmpty ? [nil] : agent.conditions
            for condition in conditions { runs.append(try await run(file, condition: condition)) }
        }
        return runs
    }
}

extension CheckCommand {
    /// Prints one line per reference run; fails when any disagrees with its `expect`.
    func checkReferences(_ prepared: PreparedScenario, _ scenario: Scenario) async throws {
        let runs: [ReferenceCheck.Run]
        do { runs = try await ReferenceCheck(prepared: prepared, scenario: scenario).runAll() } catch { throw fail("\(error)") }
        guard !runs.isEmpty else { throw fail("\(scenario.directory): no reference trajectories (agents/*.yaml with kind:)") }
        var failed = 0
        for run in runs {
            let name = "\(run.file) (\(run.agent), \(run.kind.rawValue)), condition \(run.condition)"
            if run.disagreements.isEmpty {
                print("reference ok: \(name): \(run.checked) predicates as expected")
            } else {
                failed += 1
                for d in run.disagreements { printError("reference FAILED: \(name): \(d)") }
            }
        }
        if failed > 0 { throw fail("\(failed) of \(runs.count) reference runs disagree with their expect") }
    }
}
