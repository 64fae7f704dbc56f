import ArgumentParser
import TerrariumBase
import TerrariumEpisode
import TerrariumRecording
import TerrariumScenarios

extension FsyncPolicy: ExpressibleByArgument {}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an agent through a scenario and record the episode.",
        discussion: """
            --agent names a scripted agent: a YAML file with a list of tool calls
              steps:
                - tool: list_emails
                  args: {folder: inbox, limit: 10}
            Each call is made in order, its result printed as a transcript, and every event
            recorded in an episode folder under --out (printed at the end). A step that the
            agent gets wrong (unknown tool, bad arguments, missing file) is a tool error the
            agent sees; it does not stop the run. A failure of Terrarium itself does, with
            exit status 2.

            --condition ID and --var NAME=VALUE choose the scenario's variables (the agent
            file is rendered with them too); --grid runs one episode per condition of the
            grid under --out and prints one summary line per condition. episode.json records
            the condition and every variable's value.

            --model PROVIDER:MODEL runs a model instead (exactly one of --agent and --model):
            --episodes N per condition, --concurrency K at once, into a resumable run folder
            (--out, default runs/SCENARIO-PROVIDER-MODEL) with run.json, journal.jsonl,
            summary.json and episodes/<condition>/<k>/; rerunning the same command finishes
            what is missing. script:FILE is an offline scripted model. See docs/ROLLOUTS.md.
            """
    )

    @Argument(help: "The scenario folder.")
    var directory: String

    @Option(help: "Scripted agent file (YAML list of tool calls).")
    var agent: String?

    @OptionGroup var modelOptions: ModelRunOptions

    @OptionGroup var variables: VariableOptions

    @Flag(help: "Run one episode per condition of the scenario's grid (a summary line each).")
    var grid = false

    @Option(help: "Seed for the episode's randomness (recorded in episode.json).")
    var seed: UInt64 = 0

    @Option(help: "Folder to write the episode folder into (default runs); with --model, the run folder (default runs/SCENARIO-MODEL).")
    var out: String?

    @Option(help: "never: events reach the kernel before each result (survive a crash); every-call: also fdatasync (survive power loss).")
    var fsync: FsyncPolicy = .never

    @Flag(help: "Print whole tool results instead of the first lines.")
    var full = false

    @Flag(help: "After the run, rebuild the world from the episode folder alone and verify every event (as `replay --verify`).")
    var verify = false

    func run() async throws {
        if modelOptions.model != nil {
            if agent != nil { throw fail("give --agent FILE (a scripted agent) or --model PROVIDER:MODEL, not both") }
            try await ModelRun(directory: directory, options: modelOptions, variables: variables, grid: grid, seed: seed, out: out).run()
            return
        }
        guard let agent else { throw fail("give --agent FILE (a scripted agent) or --model PROVIDER:MODEL (a model)") }
        let prepared = try prepareScenario(directory)
        if grid {
            let grid = try gridConditions(prepared, variables)
            print(grid.summary(prepared.variables))
            for condition in grid.conditions {
                let scenario = try buildScenario(prepared, try variables.selection(condition: condition.id))
                let result = try await runOne(scenario, agent: agent, transcript: false)
                print("\(condition.id): episode \(result.id), \(result.events) events, final state \(result.state)\(verify ? " (verified)" : "") → \(result.folder)")
            }
            return
        }
        let scenario = try buildScenario(prepared, try variables.selection())
        let result = try await runOne(scenario, agent: agent, transcript: true)
        print("\nfinal state \(result.state), \(result.events) events")
        print("episode written to \(result.folder)")
        if verify { print("verified: the folder alone rebuilds the same final state") }
    }

    /// Runs the scripted agent (rendered for this scenario's variables) through one episode.
    func runOne(_ scenario: Scenario, agent: String, transcript: Bool) async throws -> (id: String, folder: String, events: Int, state: String) {
        let script: ScriptedAgent
        do { script = try ScriptedAgent.load(file: agent, scenario: scenario) } catch { throw fail(error.description) }
        let id = EpisodeNaming.newID()
        var name = EpisodeNaming.folderName(scenario: scenario.id, seed: seed, id: id)
        if let condition = scenario.resolved.condition { name = "\(scenario.id)-\(condition)-seed\(seed)-\(id.prefix(8))" }
        let folder = (out ?? "runs") + "/" + name
        let episode: Episode
        do {
            episode = try Episode(scenario: scenario, options: .init(seed: seed, recordTo: folder, fsync: fsync, id: id))
        } catch { throw fail(error.description, code: 2) }
        if transcript {
            print("episode \(id): \(scenario.title)")
            if let condition = scenario.resolved.condition { print("condition \(condition)") }
            print("agent \(script.name): \(script.steps.count) steps\n")
        }
        for (index, step) in script.steps.enumerated() {
            if step.wait > .zero { try await Task.sleep(for: step.wait) }
            let result: ToolCallResult
            do { result = try await episode.call(step.tool, arguments: step.arguments) } catch {
                throw fail("step \(index + 1) (\(step.tool)): \(error)", code: 2)
            }
            if transcript {
                print("[\(index + 1)] \(step.tool) \(step.arguments.canonicalString())")
                print(indent(full ? result.text : firstLines(result.text, 12), result.isError ? "  ! " : "    "))
            }
        }
        do { try await episode.end(reason: "agent finished") } catch { throw fail(error.description, code: 2) }
        let world = await episode.snapshot()
        if verify {
            do {
                let walk = try EpisodeReader(directory: folder).walk()
                if let error = walk.error { throw fail("verification failed: \(error)") }
                guard walk.world.stateHash == world.stateHash else {
                    throw fail("verification failed: replayed state \(walk.world.stateHash.tagged) differs from the live one")
                }
            } catch let error as ExitCode { throw error } catch { throw fail("verification failed: \(error)") }
        }
        return (id, folder, await episode.lastSeq, world.stateHash.tagged)
    }

    func firstLines(_ text: String, _ n: Int) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > n else { return text }
        return lines.prefix(n).joined(separator: "\n") + "\n… (\(lines.count - n) more lines)"
    }

    func indent(_ text: String, _ prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n")
    }
}
