import ArgumentParser
import Foundation
import TerrariumBase
import TerrariumEpisode
import TerrariumHosting
import TerrariumRecording
import TerrariumScenarios

struct McpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve one episode over MCP on stdin/stdout.",
        discussion: """
            Starts an episode of the scenario in DIR (or, with --from and --at, a live fork of a
            recorded episode as it was after event SEQ) and speaks MCP over stdio: one JSON-RPC
            message per line. stdout carries only protocol messages; logs go to stderr. The
            episode ends when stdin closes. Example for Claude Code:
              claude mcp add terrarium -- terrarium mcp Environments/bramble-office
            --condition ID and --var NAME=VALUE choose the scenario's condition (as for run).
            A fork of a recorded episode keeps the scenario's own tools and its pending
            triggers only when given --scenario DIR (the folder it was recorded from, checked
            by its source hash); without it the fork has the built-in tools and no triggers.
            """
    )

    @Argument(help: "The scenario folder (or use --from).")
    var directory: String?

    @Option(help: "Seed for the episode's randomness.")
    var seed: UInt64 = 0

    @Option(help: "Write the episode folder here (it must not exist yet) as the session goes.")
    var record: String?

    @Option(name: .customLong("from"), help: "A recorded episode folder to fork from.")
    var fromEpisode: String?

    @Option(help: "With --from: the event seq to fork at (the world as it was after that event).")
    var at: Int?

    @Option(help: "With --from: the scenario folder the episode was recorded from (keeps its tools and triggers).")
    var scenario: String?

    @OptionGroup var variables: VariableOptions

    func validate() throws {
        switch (directory, fromEpisode) {
        case (nil, nil): throw ValidationError("give a scenario folder, or --from EPISODE_DIR --at SEQ")
        case (_?, _?): throw ValidationError("give either a scenario folder or --from, not both")
        case (nil, _?): if at == nil { throw ValidationError("--from needs --at SEQ (the event to fork at)") }
        case (_?, nil):
            if at != nil { throw ValidationError("--at only goes with --from") }
            if scenario != nil { throw ValidationError("--scenario only goes with --from (the scenario is DIR)") }
        }
    }

    func run() async throws {
        let options = Episode.Options(seed: seed, recordTo: record)
        let episode: Episode
        if let fromEpisode, let at {
            // Rendered as the recording was: its condition and variables come from the manifest
            // unless --condition/--var say otherwise.
            var selection = try variables.selection()
            if variables.condition == nil && variables.variables.isEmpty,
               let m = try? EpisodeReader(directory: fromEpisode).manifest {
                selection = m.condition.map { VariableSelection(condition: $0) }
                    ?? VariableSelection(overrides: m.variables.keys.sorted().map { ($0, m.variables[$0].map(GradeCommand.text) ?? "") })
            }
            let source = try scenario.map { try loadScenario($0, selection) }
            do { episode = try Episode.fork(recorded: fromEpisode, at: at, scenario: source, options: options) } catch {
                throw fail("cannot fork \(fromEpisode) at \(at): \(error)")
            }
            log("episode \(episode.id): fork of \(fromEpisode) at seq \(at)")
        } else {
            let scenario = try loadScenario(directory ?? "", try variables.selection())
            do { episode = try Episode(scenario: scenario, options: options) } catch { throw fail(error.description, code: 2) }
            log("episode \(episode.id): \(scenario.title) (seed \(seed))")
        }
        if let record { log("recording to \(record)") }
        let host = EpisodeHost(configuration: HostConfiguration(environments: "."))
        let provider = host.adoptStandalone(episode, directory: record)
        try await StdioTransport.serve(MCPSession(provider: provider))
        do { try await episode.end(reason: "client disconnected") } catch { throw fail(error.description, code: 2) }
        log("episode \(episode.id) ended after \(await episode.lastSeq) events")
    }
}

func log(_ message: String) {
    FileHandle.standardError.write(Data(("terrarium mcp: " + message + "\n").utf8))
}
