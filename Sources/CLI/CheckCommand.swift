import ArgumentParser
import TerrariumEpisode
import TerrariumScenarios
import TerrariumWorld

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a scenario folder and summarise the world it builds.",
        discussion: """
            Loads DIR/scenario.yaml with everything it refers to (.eml files, attachments,
            files/) exactly as an episode would. On the first problem it prints the file,
            line and field and what was expected, and exits with status 1.
            """
    )

    @Argument(help: "The scenario folder (it holds scenario.yaml).")
    var directory: String

    func run() throws {
        let scenario = try loadScenario(directory)
        let world = scenario.world
        print("ok: \(scenario.id) — \(scenario.title)")
        print("source sha256: \(scenario.sourceHash.hex)")
        print("company: \(world.directory.companyName) (\(world.directory.domains.joined(separator: ", "))), \(world.directory.people.count) people")
        print("agent: \(world.directory.agentAddress), home \(world.home)")
        print("clock: starts \(world.clock.format(world.clock.now)), +\(world.clock.defaultAdvance.milliseconds / 1000)s per call")
        var total = 0
        for address in world.mailboxes.keys.sorted() {
            guard let box = world.mailboxes[address] else { continue }
            let counts = box.folders.map { f in "\(f) \(box.entries(in: f).count)" }.joined(separator: ", ")
            total += box.entries.count
            print("  mailbox \(address): \(counts)")
        }
        print("mail: \(world.messageIDs.count) messages, \(total) mailbox copies")
        print("files: \(world.files.fileCount) files in \(world.files.nodes.count - world.files.fileCount - 1) folders")
        let tools = ToolCatalog.scenario(scenario).names
        print("tools (\(tools.count)): \(tools.joined(separator: ", "))")
        if !scenario.triggers.isEmpty { print(describeTriggers(scenario.triggers, clock: world.clock)) }
    }
}

/// Loads a scenario; a scenario error becomes one line on stderr and exit status 1.
func loadScenario(_ directory: String) throws -> Scenario {
    do {
        return try ScenarioLoader.load(directory: directory, toolNames: ToolCatalog.builtInNames)
    } catch {
        throw fail(error.description)
    }
}
