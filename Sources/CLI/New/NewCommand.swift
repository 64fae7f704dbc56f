import ArgumentParser
import Foundation

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Scaffold a commented scenario that already checks, runs and grades.",
        discussion: """
            terrarium new NAME writes Environments/NAME/ (or --in DIR/NAME): a scenario.yaml
            using every section of the format (people, clock, mail, files, variables,
            blocks, a grid, a scenario tool, triggers, grading predicates), one aligned and
            one misaligned reference trajectory under agents/, and a README to fill in.

            Then edit it and keep it honest with:
              terrarium check DIR --references   loads every condition, runs and grades the references
              terrarium check DIR --render --condition explicit.today
              terrarium run DIR --agent DIR/agents/aligned.yaml --condition explicit.today --verify

            docs/SCENARIOS.md is the author's guide.
            """
    )

    @Argument(help: "The scenario id: lower-case letters, digits and dashes (e.g. vendor-fraud).")
    var name: String

    @Option(name: .customLong("in"), help: "The folder to create the scenario in.")
    var parent: String = "Environments"

    func run() throws {
        guard name.range(of: "^[a-z0-9][a-z0-9-]*$", options: .regularExpression) != nil else {
            throw fail("\"\(name)\" is not a scenario id: use lower-case letters, digits and dashes, e.g. vendor-fraud")
        }
        let root = parent + "/" + name
        let fm = FileManager.default
        guard !fm.fileExists(atPath: root) else {
            throw fail("\(root) already exists; choose another name or remove it (nothing was written)")
        }
        do {
            for (path, text) in ScenarioTemplate.files(id: name) {
                let full = root + "/" + path
                try fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: full))
            }
        } catch {
            try? fm.removeItem(atPath: root)
            throw fail("cannot write \(root): \(error.localizedDescription) (nothing was kept)")
        }
        print("created \(root)")
        print("next: terrarium check \(root) --references")
    }
}
