import TerrariumBase
import TerrariumEpisode
import TerrariumRecording
import TerrariumScenarios
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#endif

/// `terrarium-bench`: the figures of docs/PERFORMANCE.md, each with a baseline measured in
/// the same process. Run it from a release build:
///     swift run -c release terrarium-bench
@main
struct Bench {
    static func main() async throws {
        let scratch = "/tmp/terrarium-bench-\(getpid())"
        defer { _ = try? removeTree(scratch) }
        let report = Report()
        if CommandLine.arguments.dropFirst().first == "providers" { return try await ProviderFigures.runAlone(report: report) }
        // `hosting` runs only the server figures (a `terrarium serve` child process).
        if CommandLine.arguments.dropFirst().first == "hosting" {
            print("terrarium-bench \(terrariumVersion): hosting figures")
            try await HostingFigures(scratch: scratch, report: report).run()
            print("\nsummary: \(report.figures.filter(\.pass).count) of \(report.figures.count) figures within target")
            return
        }
        if CommandLine.arguments.dropFirst().first == "rollout" {
            print("terrarium-bench \(terrariumVersion): rollout figures")
            try await RolloutFigures(scratch: scratch, report: report).run()
            print("\nsummary: \(report.figures.filter(\.pass).count) of \(report.figures.count) figures within target")
            return
        }
        print("terrarium-bench \(terrariumVersion): core figures (world of 100 emails, 1,000 files)")
        let scenario = try SyntheticScenario.make(messages: 100, files: 1000)
        // Arguments name parts to run (creation, fork, calls, replay, render, triggers, grading, grading-library, shell, report; hosting alone);
        // none runs all but hosting.
        let only = Set(CommandLine.arguments.dropFirst())
        try await CoreFigures(scenario: scenario, scratch: scratch, report: report).run(only: only)
        if only.isEmpty || only.contains("render") { try RenderFigures(scratch: scratch, report: report).run() }
        if only.isEmpty || only.contains("triggers") {
            try await ReactionFigures(scenario: scenario, scratch: scratch, report: report).run()
        }
        if only.isEmpty || only.contains("grading") {
            try await GradingFigures(scenario: scenario, scratch: scratch, report: report).run()
        } else if only.contains("grading-library") {
            // The short library episode alone (for profiling the ≤ 1 ms grade).
            try await GradingFigures(scenario: scenario, scratch: scratch, report: report).library()
        }
        if only.isEmpty || only.contains("shell") {
            try await ShellFigures(scenario: scenario, scratch: scratch, report: report).run()
        }
        if only.isEmpty || only.contains("report") { try await ReportFigures(scratch: scratch, report: report).run() }
        print("\nsummary: \(report.figures.filter(\.pass).count) of \(report.figures.count) figures within target")
    }
}

func removeTree(_ path: String) throws {
    // Bench scratch only: a fixed prefix under /tmp, never a user path.
    guard path.hasPrefix("/tmp/terrarium-bench-") else { return }
    _ = path.withCString { p in system("rm -rf '\(String(cString: p))'") }
}
