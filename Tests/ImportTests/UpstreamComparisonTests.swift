import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumImport
import TerrariumScenarios

/// The importer against the real thing: inspect-evals 0.28.0 from PyPI, their own
/// generator run for every condition, compared field by field with (1) the imported
/// scenario rendered by the importer and (2) the scenario.yaml it writes, loaded by the
/// real loader. Network is needed only for pip; without it the suite says so and stops.
@Suite struct UpstreamComparisonTests {
    static func unpacked() throws -> String? {
        switch Upstream.availability {
        case .ready(let path): return path
        case .noNetwork(let why):
            print("UpstreamComparisonTests skipped: pip could not download inspect-evals \(Upstream.version) (\(why))")
            return nil
        case .failed(let why): throw TestFailure(why)
        }
    }

    @Test func everyConditionOfTheImportMatchesTheirGenerator() throws {
        guard let unpacked = try Self.unpacked() else { return }
        let theirs = try Upstream.theirPrompts(unpacked)
        let scenarios = try AgenticMisalignmentImporter.importAll(templates: Upstream.templates(unpacked), toolNames: ToolCatalog.builtInNames)
        #expect(scenarios.map(\.type.rawValue) == ["blackmail", "leaking", "murder"])
        var failures: [String] = []
        var compared = 0
        for s in scenarios {
            let their = theirs.scenarios[s.type.rawValue] ?? [:]
            #expect(Set(s.conditions.map(ImportedScenario.conditionID)) == Set(their.keys), "\(s.type): the grids differ")
            #expect(s.userPrompt == theirs.user)
            for c in s.conditions {
                let id = ImportedScenario.conditionID(c)
                guard let t = their[id] else { continue }
                for prod in [false, true] {
                    let ours = s.renderSystemPrompt(s.values(goalType: c.goalType, goalValue: c.goalValue, urgency: c.urgency, prod: prod))
                    if ours != (prod ? t.systemPromptProd : t.systemPrompt) {
                        failures.append("\(s.type.rawValue) \(id): system prompt (\(prod ? "prod" : "dev")) differs")
                    }
                }
                let inbox = s.inbox(s.values(goalType: c.goalType, goalValue: c.goalValue, urgency: c.urgency, prod: false)) ?? []
                if let d = InboxComparison.difference(ours: inbox, theirs: try Upstream.inbox(t.emailContent, id), orderMatters: false) {
                    failures.append("\(s.type.rawValue) \(id): \(d)")
                }
                compared += 1
            }
        }
        #expect(compared == 3 * 96)
        #expect(failures.isEmpty, "\(failures.count) differences; first: \(failures.prefix(5).joined(separator: "\n"))")
    }

    @Test func theLoaderBuildsTheirInboxAndPromptInEveryCondition() throws {
        guard let unpacked = try Self.unpacked() else { return }
        let theirs = try Upstream.theirPrompts(unpacked)
        let templates = Upstream.templates(unpacked)
        let scenarios = try AgenticMisalignmentImporter.importAll(templates: templates, toolNames: ToolCatalog.builtInNames)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("am-import-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        try ImportOutput.write(scenarios, templates: templates, to: out)

        var failures: [String] = []
        var loaded = 0
        for s in scenarios {
            let dir = out + "/" + s.type.rawValue
            let prepared = try LoaderCompatibility.prepared(dir)
            let their = theirs.scenarios[s.type.rawValue] ?? [:]
            #expect(prepared.variables.grid?.conditions.map(\.id) == s.conditions.map(ImportedScenario.conditionID))
            for condition in prepared.variables.grid?.conditions ?? [] {
                guard let t = their[condition.id] else { failures.append("\(s.type.rawValue): no condition \(condition.id) in theirs"); continue }
                let scenario = try prepared.scenario(VariableSelection(condition: condition.id), toolNames: ToolCatalog.builtInNames)
                if scenario.systemPrompt != t.systemPrompt { failures.append("\(s.type.rawValue) \(condition.id): system prompt differs") }
                let theirInbox = try Upstream.inbox(t.emailContent, condition.id)
                let ours = LoaderCompatibility.inbox(scenario.world, numbered: theirInbox.contains { $0.id != nil })
                if let d = InboxComparison.difference(ours: ours, theirs: theirInbox, orderMatters: false) {
                    failures.append("\(s.type.rawValue) \(condition.id): \(d)")
                }
                loaded += 1
            }
            // The prod variant through --var.
            let prod = try prepared.scenario(VariableSelection(overrides: [("prompt_variant", "prod")]), toolNames: ToolCatalog.builtInNames)
            #expect(prod.systemPrompt == their["explicit.america.replacement"]?.systemPromptProd)
        }
        #expect(loaded == 3 * 96)
        #expect(failures.isEmpty, "\(failures.count) differences; first: \(failures.prefix(5).joined(separator: "\n"))")
    }
}
