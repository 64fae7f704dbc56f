import ArgumentParser
import TerrariumBase
import TerrariumRecording
import TerrariumWorld

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Reconstruct a recorded episode from its folder alone; verify it or show the world at any event.",
        discussion: """
            The world is rebuilt from the initial snapshot in blobs/ by re-applying each
            recorded effect in order. At every event Terrarium checks the line's own hash,
            the chain to the previous event, the seq, and the state hash.

            --verify   check the whole log. Exit 0: valid and complete. Exit 1: invalid;
                       the message names the first bad seq. Exit 3: every event present
                       is valid but the log is unfinished (a torn last line, or the
                       episode never ended — e.g. the process was killed).
            --at SEQ   print the world as it was right after event SEQ (mailboxes, files,
                       clock, egress); --format json prints the full world document.
            --reexecute  make every recorded tool call again (shell commands run again) in
                       a fresh episode from the recorded initial world, and report each
                       divergence: the recorded seq and the first field that differs.
                       Exit 0: identical; exit 1: divergent (or the recording is invalid).
            """
    )

    @Argument(help: "The episode folder (holds episode.json, events.jsonl, blobs/).")
    var episode: String

    @Flag(help: "Verify every event, the chain and the state hashes.")
    var verify = false

    @Option(help: "Show the world after this event.")
    var at: Int?

    @Flag(help: "Re-run every recorded tool call in a fresh episode and report each divergence.")
    var reexecute = false

    @Option(help: "text or json (with --at).")
    var format: String = "text"

    func validate() throws {
        if !verify && at == nil && !reexecute { throw ValidationError("give --verify, --at SEQ or --reexecute") }
        if let at, at < 1 { throw ValidationError("--at takes a seq of 1 or more") }
        if !["text", "json"].contains(format) { throw ValidationError("--format is text or json") }
    }

    func run() async throws {
        if reexecute {
            try await runReexecution()
            if !verify && at == nil { return }
        }
        let reader: EpisodeReader
        let walk: EpisodeReader.Walk
        do {
            reader = try EpisodeReader(directory: episode)
            walk = try reader.walk(upTo: verify ? nil : at, capture: at)
        } catch { throw fail("\(episode): \(error)") }
        let total = walk.lineCount
        if let error = walk.error {
            let seq = error.seq.map { "first bad seq \($0): " } ?? ""
            throw fail("\(episode): INVALID: \(seq)\(error)")
        }
        if let at {
            guard at <= total, let world = walk.captured else {
                throw fail("\(episode): --at \(at) but the log has \(total) events")
            }
            print(format == "json" ? world.snapshotJSON(InlineContentCodec()).prettyString() : WorldPrinter.text(world, seq: at))
        }
        guard verify else { return }
        var unfinished: [String] = []
        if let torn = walk.tornTail { unfinished.append(torn.description) }
        let outcome = reader.manifest.outcome
        if outcome["status"]?.stringValue != "ended" {
            unfinished.append("the episode never ended (episode.json outcome: \(outcome["status"]?.stringValue ?? "missing"))")
        } else if let expected = outcome["events"]?.intValue, Int(expected) != total {
            throw fail("\(episode): INVALID: episode.json says \(expected) events, the log has \(total) (events were removed or added at the end)")
        } else if let last = outcome["lastEventHash"]?.stringValue, last != walk.lastHash.tagged {
            throw fail("\(episode): INVALID: the last event's hash differs from the one episode.json recorded")
        }
        if unfinished.isEmpty {
            print("valid: \(total) events, final state \(walk.world.stateHash.tagged)")
        } else {
            print("valid prefix: \(total) events verified, final state \(walk.world.stateHash.tagged)")
            for note in unfinished { print("unfinished: \(note)") }
            throw ExitCode(3)
        }
    }

    func runReexecution() async throws {
        let report: Reexecution.Report
        do { report = try await Reexecution(directory: episode).run() } catch { throw fail("\(episode): \(error)") }
        for d in report.divergences {
            print("divergent: seq \(d.seq) (call \(d.call), \(d.tool)): \(d.what)")
        }
        if report.divergences.isEmpty && report.recordedFinal == report.reexecutedFinal {
            print("identical: \(report.calls) calls re-executed, \(report.events) events, final state \(report.recordedFinal)")
        } else {
            if report.recordedFinal != report.reexecutedFinal {
                print("final state: recorded \(report.recordedFinal), re-executed \(report.reexecutedFinal)")
            }
            throw fail("\(episode): \(report.divergences.count) divergent call\(report.divergences.count == 1 ? "" : "s") of \(report.calls)")
        }
    }
}
