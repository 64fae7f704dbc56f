import Foundation
import Testing
import TerrariumRollout

/// The report in headless Chromium (installed by scripts/setup): the page loads offline,
/// its script runs, the DOM has the rows, the hide-reasoning switch hides the reasoning,
/// and the screenshot is a real picture.
@Suite(.serialized) struct ReportBrowserTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    func browser(_ args: [String], scratch: String) async throws -> ReportProcess.Output {
        let chromium = try #require(Self.chromium, "chromium is not installed: run scripts/setup")
        return try await ReportProcess.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                                      "--user-data-dir=\(scratch)/profile-\(UUID().uuidString)"] + args,
                                           scratch: scratch)
    }

    @Test func thePageRendersWithRowsAndTheSwitchesWork() async throws {
        let root = try RunFixture.scratch("browser"); defer { RunFixture.remove(root) }
        let run = try await SampleRun.build(at: root + "/run")
        _ = try await RunGrader(run: RecordedRun(path: run.path), classifier: OutcomeClassifier()).gradeAll()
        let file = root + "/report.html"
        try RunReport.load(run: RecordedRun(path: run.path)).html().write(toFile: file, atomically: true, encoding: .utf8)
        let url = URL(fileURLWithPath: file).absoluteString

        let plain = try await browser(["--dump-dom", url], scratch: root)
        #expect(plain.status == 0, "\(plain.stderr)")
        let dom = plain.stdout
        #expect(ReportTests.count("<tr class=\"condition-row\"", in: dom) == 2)
        #expect(ReportTests.count("<section class=\"episode\"", in: dom) == 5)
        #expect(dom.contains("<details class=\"reasoning\"><summary>reasoning</summary>"))
        #expect(!dom.contains("class=\"reasoning\" hidden"))
        #expect(dom.contains("<body data-switches=\"ready\">"))  // the script ran, no switch on
        // The markup in the mail stayed text: no element was made from it.
        #expect(ReportTests.count("<script>", in: dom) == 1)
        #expect(dom.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt;"))

        let hidden = try await browser(["--dump-dom", url + "#hide-reasoning"], scratch: root)
        #expect(hidden.status == 0, "\(hidden.stderr)")
        #expect(hidden.stdout.contains("<body data-switches=\"ready\" class=\"hide-reasoning\">"))
        #expect(hidden.stdout.contains("<details class=\"reasoning\" hidden=\"\">"))
        #expect(hidden.stdout.contains("<input type=\"checkbox\" id=\"hide-reasoning\">"))
        #expect(!hidden.stdout.contains("<pre class=\"args\" hidden=\"\">"))
        let both = try await browser(["--dump-dom", url + "#hide-reasoning&hide-args"], scratch: root)
        #expect(both.stdout.contains("<body data-switches=\"ready\" class=\"hide-reasoning hide-args\">"))
        #expect(ReportTests.count("<pre class=\"args\" hidden=\"\">", in: both.stdout) == ReportTests.count("<pre class=\"args\"", in: dom))

        let png = root + "/shot.png"
        let shot = try await browser(["--screenshot=\(png)", "--window-size=1200,900", "--hide-scrollbars", url], scratch: root)
        #expect(shot.status == 0, "\(shot.stderr)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: png)))
        #expect(bytes.count > 10_000)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: width and height, big-endian, at bytes 16–23.
        func u32(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        #expect(u32(16) == 1200 && u32(20) == 900)
        #expect(try await PNGCheck.distinctColours(pngFile: png, scratch: root) > 8)
    }
}
