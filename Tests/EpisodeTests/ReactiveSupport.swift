import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumScenarios
import TerrariumWorld

// The reactive test office (Tests/Fixtures/reactive-office): triggers, schedules and
// scenario tools. Variants are written to a temp folder with some text replaced.

let reactiveFixture = repositoryRoot + "/Tests/Fixtures/reactive-office"
let orion = "orion@northwind-labs.test"
let kai = "kai.moreno@northwind-labs.test"
let rosa = "rosa@northwind-labs.test"

func loadReactive() throws -> Scenario {
    try ScenarioLoader.load(directory: reactiveFixture, toolNames: ToolCatalog.builtInNames)
}

/// The fixture's scenario.yaml with replacements applied, loaded from a temp folder.
func reactiveVariant(_ replacements: [(String, String)]) throws -> Scenario {
    var yaml = try String(contentsOfFile: reactiveFixture + "/scenario.yaml", encoding: .utf8)
    for (old, new) in replacements {
        #expect(yaml.contains(old), "the fixture has no \(old)")
        yaml = yaml.replacingOccurrences(of: old, with: new)
    }
    return try loadYAML(yaml)
}

/// A scenario.yaml of its own, loaded from a temp folder.
func loadYAML(_ yaml: String) throws -> Scenario {
    let folder = NSTemporaryDirectory() + "terrarium-reactive-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try yaml.write(toFile: folder + "/scenario.yaml", atomically: true, encoding: .utf8)
    return try ScenarioLoader.load(directory: folder, toolNames: ToolCatalog.builtInNames)
}

/// The fixture's text up to its `tools:` section: company, people, clock, mail, files.
func reactiveHeader() throws -> String {
    let yaml = try String(contentsOfFile: reactiveFixture + "/scenario.yaml", encoding: .utf8)
    return String(yaml[..<yaml.range(of: "\ntools:\n")!.lowerBound]) + "\n"
}

extension Recorded {
    /// The events after `seq`, as (kind, payload) pairs with `by`/`sha256` dropped for brevity.
    func kinds(after seq: Int) throws -> [String] { try events().filter { $0.seq > seq }.map(\.kind) }
}
