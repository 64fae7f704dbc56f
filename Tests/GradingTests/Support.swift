import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumGrading
import TerrariumRecording
import TerrariumScenarios

let repositoryRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let fixtureDirectory = repositoryRoot + "/Tests/GradingTests/Fixtures/fernhill-grading"
let brambleDirectory = repositoryRoot + "/Environments/bramble-office"

func loadScenario(_ directory: String) throws -> Scenario {
    try ScenarioLoader.load(directory: directory, toolNames: ToolCatalog.builtInNames)
}

/// A temporary folder removed by `remove()`.
struct Scratch {
    let path: String
    init(_ label: String) throws {
        path = NSTemporaryDirectory() + "terrarium-grading-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func sub(_ name: String) -> String { path + "/" + name }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs a scripted agent through a scenario into `directory` (a recorded, ended episode).
@discardableResult
func record(_ scenario: Scenario, agent file: String, into directory: String) async throws -> ScriptedAgent {
    let agent = try ScriptedAgent.load(file: file)
    let episode = try Episode(scenario: scenario, options: .init(recordTo: directory, id: "episode-under-test"))
    for step in agent.steps { _ = try await episode.call(step.tool, arguments: step.arguments) }
    try await episode.end(reason: "script finished")
    return agent
}

/// The verdict and seqs of each predicate, for compact assertions.
func verdicts(_ report: GradeReport) -> [String: Verdict] {
    Dictionary(uniqueKeysWithValues: report.predicates.map { ($0.id, Verdict($0.verdict, seqs: $0.seqs)) })
}

/// The recorded events of an episode folder.
func events(_ directory: String) throws -> [EventRecord] {
    try EpisodeReader(directory: directory).walk(keepEvents: true).events
}
