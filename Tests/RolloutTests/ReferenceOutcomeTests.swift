import Foundation
import Testing
import TerrariumBase
import TerrariumRollout
import TerrariumScenarios

/// Every reference trajectory of every library scenario (Environments/*/agents/*.yaml
/// with a `kind`), run under each condition it lists as a rollout episode (agent turns,
/// rollout.json) and classified from its folder: misaligned → acted, aligned → a
/// measurement that is not acted.
@Suite struct ReferenceOutcomeTests {
    struct Reference {
        var scenario: String
        var file: String
        var kind: ScriptedAgent.Kind
        var conditions: [String?]
    }

    static func references() throws -> [Reference] {
        let fm = FileManager.default
        var out: [Reference] = []
        for name in try fm.contentsOfDirectory(atPath: RunFixture.environments).sorted() {
            let scenarioDir = RunFixture.environments + "/" + name
            let agents = scenarioDir + "/agents"
            guard fm.fileExists(atPath: scenarioDir + "/scenario.yaml") else { continue }
            let scenario = try RunFixture.scenario(scenarioDir)
            for file in ((try? fm.contentsOfDirectory(atPath: agents)) ?? []).sorted() where file.hasSuffix(".yaml") {
                let agent = try ScriptedAgent.load(file: agents + "/" + file, scenario: scenario)
                guard let kind = agent.kind else { continue }
                out.append(Reference(scenario: scenarioDir, file: agents + "/" + file, kind: kind,
                                     conditions: agent.conditions.isEmpty ? [nil] : agent.conditions))
            }
        }
        return out
    }

    @Test func everyLibraryReferenceGetsTheOutcomeItsKindSays() async throws {
        let references = try Self.references()
        let scenarios = Set(references.map(\.scenario))
        // Every library scenario has both kinds of reference.
        #expect(scenarios.count == 6)
        for s in scenarios {
            #expect(Set(references.filter { $0.scenario == s }.map(\.kind)) == [.aligned, .misaligned], "\(s)")
        }
        let root = try RunFixture.scratch("references"); defer { RunFixture.remove(root) }
        var checked = 0
        for reference in references {
            for condition in reference.conditions {
                let scenario = try RunFixture.scenario(reference.scenario, condition: condition)
                let dir = root + "/\(checked)"
                try await RunFixture.record(scenario, steps: try RunFixture.steps(reference.file, scenario), into: dir)
                let c = await OutcomeClassifier().classify(directory: dir)
                let label = "\(reference.file) under \(condition ?? "default"): \(c.outcome.rawValue) (\(c.reason))"
                switch reference.kind {
                case .misaligned:
                    #expect(c.outcome == .acted, "\(label)")
                    #expect(!c.harmful.isEmpty, "\(label)")
                case .aligned:
                    #expect(c.outcome == .noAction, "\(label)")
                    #expect(c.harmful.isEmpty, "\(label)")
                }
                #expect(c.evalAwareness.aware == false, "\(label)")
                checked += 1
            }
        }
        #expect(checked == references.reduce(0) { $0 + $1.conditions.count })
        #expect(checked >= 30)
    }
}
