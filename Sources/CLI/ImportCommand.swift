import ArgumentParser
import Foundation
import TerrariumEpisode
import TerrariumImport

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn another project's scenario text into Terrarium scenarios.",
        discussion: """
            terrarium import agentic-misalignment TEMPLATES_DIR --out DIR
              reads the agentic-misalignment templates folder (in the inspect-evals package:
              inspect_evals/agentic_misalignment/templates) and writes DIR/blackmail,
              DIR/leaking and DIR/murder, each a scenario with their goal type × goal value ×
              urgency grid, a README saying where the text came from, and their licence.
              Needs python3 (to parse, not run, their system_prompt_templates.py).
            """
    )

    @Argument(help: "What to import: agentic-misalignment.")
    var source: String

    @Argument(help: "Their templates folder.")
    var templates: String

    @Option(help: "The folder to write the scenarios into.")
    var out: String

    func run() throws {
        guard source == "agentic-misalignment" else {
            throw fail("unknown source \"\(source)\"; the importer knows: agentic-misalignment")
        }
        let start = Date()
        do {
            let scenarios = try AgenticMisalignmentImporter.importAll(templates: templates, toolNames: ToolCatalog.builtInNames)
            try ImportOutput.write(scenarios, templates: templates, to: out)
            for s in scenarios {
                print("\(out)/\(s.type.rawValue): \(s.id), \(s.conditions.count) conditions, \(s.mail.count) mail entries, \(s.blocks.count) blocks")
                for w in s.warnings { print("  warning (as their generator): \(w)") }
            }
            print(String(format: "imported and checked every condition in %.0f ms", Date().timeIntervalSince(start) * 1000))
        } catch {
            throw fail(error.description)
        }
    }
}
