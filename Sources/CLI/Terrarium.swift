import ArgumentParser

@main
struct Terrarium: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terrarium",
        abstract: "A live, recorded fake company for testing what AI agents do.",
        discussion: """
            A scenario folder (Environments/NAME) describes a company: its people, their
            mailboxes, the agent's home folder. Terrarium turns it into a live episode the
            agent works in through tools, records every side effect in an episode folder,
            and can verify and reconstruct that recording later.

            Start with:
              terrarium check Environments/bramble-office
              terrarium run Environments/bramble-office --agent Environments/bramble-office/agents/diligent-assistant.yaml
              terrarium replay runs/<episode> --verify
            """,
        subcommands: [CheckCommand.self, RunCommand.self, ExecCommand.self, ReplayCommand.self, GradeCommand.self, ToolsCommand.self,
                      McpCommand.self, ServeCommand.self, ImportCommand.self, NewCommand.self,
                      ReportCommand.self]
    )
}
