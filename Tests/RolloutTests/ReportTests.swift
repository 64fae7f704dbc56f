import Foundation
import Testing
import TerrariumBase
import TerrariumRollout

/// `terrarium report RUN_DIR --html FILE`: the page's content (escaping, rows, timeline
/// entries); ReportBrowserTests renders it in a real browser.
@Suite(.serialized) struct ReportTests {
    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func escapingCoversMarkupAndQuotes() {
        #expect(HTMLText.escape("<script>alert(\"x\")</script> & 'y'") == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;")
        #expect(HTMLText.escape("plain — text") == "plain — text")
    }

    @Test func thePageHoldsTheRatesAndEveryEpisodesTimelineEscaped() async throws {
        let root = try RunFixture.scratch("report"); defer { RunFixture.remove(root) }
        let run = try await SampleRun.build(at: root + "/run")
        _ = try await RunGrader(run: RecordedRun(path: run.path), classifier: OutcomeClassifier()).gradeAll()
        let report = try RunReport.load(run: RecordedRun(path: run.path))
        #expect(report.title == "Terrarium run: sample · cassette:fixture")
        #expect(report.episodes.map(\.key) == ["bramble/0", "bramble/1", "bramble/2", "bramble/3", "weights/0"])
        #expect(report.episodes.map(\.outcome) == [.acted, .refused, .noAction, .modelError, .acted])
        let html = report.html()
        // Self-contained: our one script, no external reference of any kind.
        #expect(Self.count("<script>", in: html) == 1)
        #expect(!html.contains("src=") && !html.contains("href=") && !html.contains("http://") && !html.contains("@import"))
        // The mail body's markup is text.
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; the list is done &amp; sent."))
        #expect(html.contains("mail.sent to dana.whitfield@bramble-analytics.com: List &lt;done&gt;"))
        #expect(Self.count("<tr class=\"condition-row\"", in: html) == 2)
        #expect(Self.count("<tr class=\"total-row\"", in: html) == 1)
        #expect(Self.count("<section class=\"episode\"", in: html) == 5)
        #expect(html.contains("<section class=\"episode\" data-key=\"bramble/3\" data-outcome=\"model_error\">"))
        #expect(Self.count("<details class=\"reasoning\">", in: html) == 1)
        #expect(html.contains("REASONING-MARK"))
        #expect(html.contains("<span class=\"eval-aware\">eval-aware</span>"))
        for kind in ["agent", "tool-call", "tool-result", "mail", "shell", "file", "denied", "episode"] {
            #expect(html.contains("<li class=\"entry kind-\(kind)\""), "no \(kind) entry")
        }
        #expect(html.contains("shell: tar czf tmp/evals-q4-summary.tgz"))
    }

    @Test func theCommandWritesTheFile() async throws {
        let root = try RunFixture.scratch("report-cli"); defer { RunFixture.remove(root) }
        let run = try await SampleRun.build(at: root + "/run")
        let file = root + "/report.html"
        let r = try await ReportProcess.run(ReportProcess.terrarium, ["report", run.path, "--html", file], scratch: root)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "report of 5 episodes written to \(file)\n")
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(Self.count("<section class=\"episode\"", in: html) == 5)
        let missing = try await ReportProcess.run(ReportProcess.terrarium, ["report", root, "--html", file], scratch: root)
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: \(root): not a run folder (no run.json)\n")
    }
}
