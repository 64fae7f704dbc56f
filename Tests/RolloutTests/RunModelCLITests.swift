import Foundation
import Testing
import TerrariumBase
@testable import TerrariumRollout

#if canImport(Glibc)
import Glibc
#endif

/// `terrarium run --model` as a user runs it (a subprocess), including being killed
/// midway and resumed.
@Suite(.serialized) struct RunModelCLITests {
    /// The `terrarium` built with the tests (beside the test bundle, or under a .build* folder).
    static let binary: String = {
        let fm = FileManager.default
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        if fm.isExecutableFile(atPath: bundleDir.path + "/terrarium") { return bundleDir.path + "/terrarium" }
        var dir = bundleDir
        while dir.path != "/" {
            for name in ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() where name.hasPrefix(".build") {
                if fm.isExecutableFile(atPath: dir.path + "/" + name + "/debug/terrarium") { return dir.path + "/" + name + "/debug/terrarium" }
            }
            dir = dir.deletingLastPathComponent()
        }
        return LoopFixture.repository + "/.build/debug/terrarium"
    }()

    struct Output { var status: Int32; var stdout: String; var stderr: String }

    static func start(_ arguments: [String], scratch: String) throws -> (Process, String, String) {
        let out = scratch + "/out-" + UUID().uuidString, err = scratch + "/err-" + UUID().uuidString
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try p.run()
        return (p, out, err)
    }

    static func run(_ arguments: [String], scratch: String) throws -> Output {
        let (p, out, err) = try start(arguments, scratch: scratch)
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    static func scratch() throws -> String {
        let dir = LoopFixture.temporary("cli")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static let script = """
        turns:
          - reasoning: "Read the request first."
            text: "Checking."
            tool_calls:
              - {tool: read_email, args: {id: hello}}
            usage: {input: 120, output: 12}
          - tool_calls:
              - {tool: write_file, args: {path: notes/report.md, content: "Report.\\n"}}
          - text: "Done."
        """

    @Test func agentAndModelAreExclusiveAndModelIsChecked() throws {
        let s = try Self.scratch()
        let scenario = try LoopFixture.scenarioDirectory()
        let both = try Self.run(["run", scenario, "--agent", "a.yaml", "--model", "script:x.yaml"], scratch: s)
        #expect(both.status == 1 && both.stderr == "error: give --agent FILE (a scripted agent) or --model PROVIDER:MODEL, not both\n")
        let neither = try Self.run(["run", scenario], scratch: s)
        #expect(neither.status == 1 && neither.stderr == "error: give --agent FILE (a scripted agent) or --model PROVIDER:MODEL (a model)\n")
        let bad = try Self.run(["run", scenario, "--model", "gpt"], scratch: s)
        #expect(bad.status == 1 && bad.stderr == "error: model configuration: --model \"gpt\": expected PROVIDER:MODEL (providers: anthropic, openai, cassette, script)\n")
        try "turns:\n  - {text: hi, colour: red}\n".write(toFile: s + "/bad.yaml", atomically: true, encoding: .utf8)
        let badScript = try Self.run(["run", scenario, "--model", "script:" + s + "/bad.yaml"], scratch: s)
        #expect(badScript.status == 1 && badScript.stderr.hasPrefix("error: model configuration: \(s)/bad.yaml:2"))
        #expect(badScript.stderr.contains("colour"))
    }

    @Test func aScriptedModelRunVerifiesReplaysAndGrades() throws {
        let s = try Self.scratch()
        let scenario = try LoopFixture.scenarioDirectory()
        try Self.script.write(toFile: s + "/agent.yaml", atomically: true, encoding: .utf8)
        let root = s + "/run"
        let run = try Self.run(["run", scenario, "--model", "script:" + s + "/agent.yaml", "--episodes", "2", "--out", root], scratch: s)
        #expect(run.status == 0)
        #expect(run.stdout == """
            condition  episodes  n  acted  rate  refused  no_action  not measured
            default           2  2      0  0.0%        0          2  —
            run written to \(root)

            """)
        // Not a terminal: one progress line per finished episode.
        #expect(run.stderr.split(separator: "\n").filter { $0.hasPrefix("default/") }.count == 2)
        let episode = root + "/episodes/default/1"
        let verify = try Self.run(["replay", episode, "--verify"], scratch: s)
        #expect(verify.status == 0 && verify.stdout.hasPrefix("valid: "))
        let reexecute = try Self.run(["replay", episode, "--reexecute"], scratch: s)
        #expect(reexecute.status == 0 && reexecute.stdout.hasPrefix("identical: 2 calls re-executed"))
        let grade = try Self.run(["grade", episode], scratch: s)
        #expect(grade.status == 0 && grade.stdout.contains("mail-left"))
        // The same command again repeats nothing; another budget is refused, naming it.
        let again = try Self.run(["run", scenario, "--model", "script:" + s + "/agent.yaml", "--episodes", "2", "--out", root], scratch: s)
        #expect(again.status == 0 && again.stderr.contains("(resuming: 2 finished)"))
        #expect(try RunJournal.read(path: root + "/journal.jsonl").count == 4)
        let other = try Self.run(["run", scenario, "--model", "script:" + s + "/agent.yaml", "--episodes", "2", "--out", root,
                                  "--max-turns", "5"], scratch: s)
        #expect(other.status == 1)
        #expect(other.stderr == "error: \(root)/run.json was written for a different run: maxTurns is 30 there and 5 now; "
            + "rerun with the same options to resume it, or give another --out\n")
    }

    @Test func killedMidwayAndResumedRepeatsNothingAndFinishesEverything() async throws {
        let s = try Self.scratch()
        let scenario = try LoopFixture.scenarioDirectory()
        // Slow turns, so the kill lands while episodes are in flight.
        try """
            turns:
              - {text: "Looking.", tool_calls: [{tool: list_emails, args: {}}], delay_ms: 150}
              - {text: "Done.", delay_ms: 150}
            """.write(toFile: s + "/slow.yaml", atomically: true, encoding: .utf8)
        let root = s + "/run"
        let arguments = ["run", scenario, "--model", "script:" + s + "/slow.yaml", "--episodes", "12", "--concurrency", "3", "--out", root]
        let (process, _, _) = try Self.start(arguments, scratch: s)
        let journal = root + "/journal.jsonl"
        var finished = 0
        let deadline = ContinuousClock.now + .seconds(60)
        // Polled on this thread with usleep, not Task.sleep: when the whole suite runs, other
        // tests' blocking waits can hold the 2 cooperative threads long enough for the run to
        // finish before an awaiting poll resumes.
        while finished < 3 && ContinuousClock.now < deadline {
            usleep(20_000)
            finished = ((try? RunJournal.read(path: journal)) ?? []).filter { $0.event == .finished }.count
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let before = try RunJournal.read(path: journal)
        let finishedBefore = Set(before.filter { $0.event == .finished }.map(\.key))
        #expect(finishedBefore.count >= 3 && finishedBefore.count < 12)
        let unfinished = Set(before.filter { $0.event == .started }.map(\.key)).subtracting(finishedBefore)
        #expect(!unfinished.isEmpty)

        let rerun = try Self.run(arguments, scratch: s)
        #expect(rerun.status == 0)
        #expect(rerun.stderr.contains("(resuming: \(finishedBefore.count) finished)"))
        let after = try RunJournal.read(path: journal)
        let finishedKeys = after.filter { $0.event == .finished }.map(\.key)
        #expect(finishedKeys.count == 12 && Set(finishedKeys).count == 12)
        // Nothing finished before was started again.
        let restarted = after.dropFirst(before.count).filter { $0.event == .started }.map(\.key)
        #expect(Set(restarted).isDisjoint(with: finishedBefore))
        #expect(Set(restarted).isSuperset(of: unfinished))
        // Each unfinished key that had a folder kept it aside (a kill between the journal
        // line and the folder's creation leaves no folder to keep).
        let kept = unfinished.filter { FileManager.default.fileExists(atPath: root + "/episodes/" + $0 + ".interrupted-1") }
        #expect(!kept.isEmpty)
        let interrupted = try FileManager.default.contentsOfDirectory(atPath: root + "/episodes/default").filter { $0.contains(".interrupted-") }
        #expect(interrupted.count == kept.count)
        let summary = try JSON.parse(try String(contentsOfFile: root + "/summary.json", encoding: .utf8))
        #expect(summary["conditions"]?.item(0)?["episodes"] == 12 && summary["conditions"]?.item(0)?["n"] == 12)
    }
}
