import ArgumentParser
import TerrariumBase
import TerrariumEpisode
import TerrariumRecording

#if canImport(Glibc)
import Glibc
#endif

struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run one shell command in a fresh episode of a scenario and print what it did as JSON.",
        discussion: """
            The words after -- are joined with spaces (as ssh does) and run by /bin/sh -c as
            the agent's run_shell call, in the sandbox, in the scenario's home tree. The JSON
            object holds the result the agent would see ("result") and every event the call
            recorded ("events": tool.called, clock.advanced, shell.executed, sandbox.denied,
            file.* and tool.result), for checking a scenario's shell or the sandbox itself:
              terrarium exec Environments/bramble-office -- 'ls -la; id; date'
              terrarium exec Environments/bramble-office -- curl -s http://93.184.216.34/

            --keep DIR records the episode into DIR (which must not exist) and keeps it, for
            `terrarium replay DIR --verify` or `--reexecute`; otherwise the episode is
            recorded in a temporary folder that is removed.

            Exit status: 0 when the command ran (whatever its own exit code; see
            result.data.exitCode), 1 for a usage or scenario error, 2 when the sandbox could
            not be set up (the message names the layer).
            """
    )

    @Argument(help: "The scenario folder.")
    var directory: String

    @OptionGroup var variables: VariableOptions

    @Option(help: "Record the episode into this folder (it must not exist) and keep it.")
    var keep: String?

    @Option(help: "Seconds before the command is stopped (timeout_s, 1-300).")
    var timeout: Int = 30

    @Argument(parsing: .postTerminator, help: "The command, after --.")
    var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("give the command after --, e.g. terrarium exec DIR -- ls -la") }
        if !(1...300).contains(timeout) { throw ValidationError("--timeout takes 1 to 300 seconds") }
    }

    func run() async throws {
        let scenario = try loadScenario(directory, try variables.selection())
        guard !scenario.disabledTools.contains("run_shell") else {
            throw fail("scenario \(scenario.id) disables run_shell (tools.disabled)")
        }
        let folder = keep ?? "/tmp/terrarium-exec-\(getpid())-\(EpisodeNaming.newID().prefix(8))"
        defer { if keep == nil { removeScratch(folder) } }
        let episode: Episode
        do { episode = try Episode(scenario: scenario, options: .init(recordTo: folder)) } catch {
            throw fail(error.description, code: 2)
        }
        let before = await episode.lastSeq
        let result: ToolCallResult
        do {
            result = try await episode.call("run_shell", arguments: ["command": .string(command.joined(separator: " ")),
                                                                     "timeout_s": JSON(timeout)])
            try await episode.end(reason: "exec finished")
        } catch { throw fail(error.description, code: 2) }
        let events: [EventRecord]
        do {
            let walk = try EpisodeReader(directory: folder).walk(keepEvents: true)
            if let error = walk.error { throw fail("the recorded episode does not verify: \(error)", code: 2) }
            events = walk.events.filter { $0.seq > before && $0.kind != "episode.ended" }
        } catch let e as ExitCode { throw e } catch { throw fail("reading the episode back: \(error)", code: 2) }
        let output: JSON = [
            "episode": .string(episode.id), "kept": JSON(keep),
            "result": ["isError": .bool(result.isError), "text": .string(result.text), "data": result.data ?? .null],
            "events": .array(events.map(\.json)),
        ]
        print(output.prettyString())
    }

    func removeScratch(_ path: String) {
        guard path.hasPrefix("/tmp/terrarium-exec-") else { return }
        _ = system("rm -rf '\(path)'")
    }
}

extension EventRecord {
    /// The event as it is in events.jsonl (without its own hash).
    var json: JSON {
        ["seq": JSON(seq), "time": .string(time), "kind": .string(kind), "payload": .object(payload),
         "state": .string(state.tagged), "wall": .object(wall)]
    }
}
