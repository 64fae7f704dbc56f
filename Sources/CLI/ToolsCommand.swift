import ArgumentParser
import TerrariumEpisode

extension ToolSchemaFormat: ExpressibleByArgument {}

struct ToolsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools",
        abstract: "Print the agent's tool schemas as JSON.",
        discussion: """
            Without DIR, every built-in tool; with DIR, the tools that scenario offers at the
            start (built-ins it does not disable, then its own tools.custom).
            --format picks the shape: mcp (tools/list entries), anthropic (Messages API
            `tools`), or openai (Chat Completions `tools`). The order is fixed.
            """
    )

    @Argument(help: "A scenario folder (optional).")
    var directory: String?

    @Option(help: "mcp, anthropic or openai.")
    var format: ToolSchemaFormat = .mcp

    func run() throws {
        var catalog = ToolCatalog.builtIn
        if let directory { catalog = ToolCatalog.scenario(try loadScenario(directory)) }
        print(format.render(catalog).prettyString())
    }
}
