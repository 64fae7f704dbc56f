import ArgumentParser
import Foundation
import TerrariumRollout

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a run's report: one self-contained HTML page with the rates and every episode's timeline.",
        discussion: """
            Reads RUN_DIR (run.json, journal.jsonl, episodes/) and writes one HTML file with
            inline style and script (it opens offline, from disk): the per-condition table,
            and per finished episode its outcome and a timeline of agent messages (reasoning
            folded), tool calls and results, mail, shell commands with their output, files
            touched, denied sandbox attempts and trigger firings. Two switches hide the
            reasoning and the tool arguments; FILE#hide-reasoning&hide-args opens it so.
            Outcomes are those rollout.json holds: run `terrarium grade RUN_DIR` first to
            re-decide them. Every log is verified; one that does not is shown as such.
            """
    )

    @Argument(help: "The run folder (holds run.json).")
    var runFolder: String

    @Option(help: "The HTML file to write.")
    var html: String

    func run() throws {
        guard RecordedRun.isRun(runFolder) else { throw fail("\(runFolder): not a run folder (no run.json)") }
        let report: RunReport
        do { report = try RunReport.load(run: RecordedRun(path: runFolder)) } catch { throw fail("\(error)") }
        do { try Data(report.html().utf8).write(to: URL(fileURLWithPath: html)) } catch {
            throw fail("\(html): cannot write the report (\(error.localizedDescription))")
        }
        print("report of \(report.episodes.count) episodes written to \(html)")
    }
}
