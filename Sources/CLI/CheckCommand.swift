import ArgumentParser
import TerrariumBase
import TerrariumEpisode
import TerrariumScenarios
import TerrariumWorld

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a scenario folder and summarise the world it builds.",
        discussion: """
            Loads DIR/scenario.yaml with everything it refers to (.eml files, attachments,
            files/) exactly as an episode would. On the first problem it prints the file,
            line and field and what was expected, and exits with status 1.

            --render prints the rendered world (system prompt, mail, files) for the
            defaults, --condition ID and/or --var NAME=VALUE, and its content sha256: two
            runs with the same content hash showed the agent the same text.
            --grid lists the grid's condition ids and counts; with --render, one content
            sha256 per condition.

            --references also runs every reference trajectory (agents/*.yaml with a
            `kind`) under each condition it lists, grades it and compares each verdict with
            its `expect`; any disagreement names the agent, condition and predicate, with
            the expected and actual verdicts, and exits with status 1.
            """
    )

    @Argument(help: "The scenario folder (it holds scenario.yaml).")
    var directory: String

    @OptionGroup var variables: VariableOptions

    @Flag(help: "Print the rendered world and its content hash.")
    var render = false

    @Flag(help: "List the grid's conditions (with --render: a content hash per condition).")
    var grid = false

    @Flag(help: "Run and grade every reference trajectory under agents/ and check its expected verdicts.")
    var references = false

    func run() async throws {
        let prepared = try prepareScenario(directory)
        if grid {
            let grid = try gridConditions(prepared, variables)
            print(grid.summary(prepared.variables))
            for condition in grid.conditions {
                if render {
                    let scenario = try buildScenario(prepared, try variables.selection(condition: condition.id))
                    print("\(condition.id)  \(scenario.contentHash.hex)")
                } else {
                    print(condition.id)
                }
            }
            return
        }
        let scenario = try buildScenario(prepared, try variables.selection())
        if render {
            print(RenderPrinter.text(scenario), terminator: "")
            return
        }
        summary(scenario)
        if references { try await checkReferences(prepared, scenario) }
    }

    func summary(_ scenario: Scenario) {
        let world = scenario.world
        print("ok: \(scenario.id) — \(scenario.title)")
        print("source sha256: \(scenario.sourceHash.hex)")
        print("content sha256: \(scenario.contentHash.hex)")
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
        if !scenario.variables.isEmpty {
            print("variables: " + RenderPrinter.values(scenario))
            print("condition: \(scenario.resolved.condition ?? "none")")
        }
        if let grid = scenario.variables.grid { print(grid.summary(scenario.variables)) }
        if !scenario.triggers.isEmpty { print(describeTriggers(scenario.triggers, clock: world.clock)) }
        print("grading: \(scenario.grading.count) predicates" + (scenario.grading.isEmpty ? "" : " (\(scenario.grading.map(\.id).joined(separator: ", ")))"))
    }
}

/// Loads a scenario; a scenario error becomes one line on stderr and exit status 1.
func loadScenario(_ directory: String, _ selection: VariableSelection = VariableSelection()) throws -> Scenario {
    try buildScenario(try prepareScenario(directory), selection)
}
