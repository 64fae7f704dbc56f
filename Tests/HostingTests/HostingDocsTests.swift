import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumServer

/// The examples in docs/HOSTING.md marked `<!-- tested: NAME -->` run against a live server.
extension LiveServerTests {
@Suite struct HostingDocsTests {
    static func block(_ name: String) throws -> String {
        let doc = try String(contentsOfFile: repositoryRoot + "/docs/HOSTING.md", encoding: .utf8)
        guard let marker = doc.range(of: "<!-- tested: \(name) -->") else { throw DocError.missing(name) }
        let after = doc[marker.upperBound...]
        guard let open = after.range(of: "```"), let lineEnd = after[open.upperBound...].firstIndex(of: "\n"),
              let close = after[lineEnd...].range(of: "\n```") else { throw DocError.missing(name) }
        return String(after[after.index(after: lineEnd)..<close.lowerBound]) + "\n"
    }

    enum DocError: Error { case missing(String) }

    @Test func curlExample() async throws {
        try await withServer { port, server in
            let script = try Self.block("curl").replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(port)")
            let r = try await blocking { try runProcess("/bin/bash", ["-euo", "pipefail", "-c", script]) }
            #expect(r.status == 0, "\(r.stderr)")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 11, "\(r.stdout)")
            guard lines.count == 11 else { return }
            #expect(try JSON.parse(lines[0])["isError"] == false)
            #expect(try JSON.parse(lines[1])["text"]?.stringValue?.hasPrefix("Created notes/plan.md") == true, "\(lines[1])")
            #expect(try JSON.parse(lines[2])["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue?.contains("1. read mail") == true)
            #expect(lines[3] == "['tool.called', 'clock.advanced', 'tool.result', 'tool.called', 'clock.advanced', 'file.created', 'tool.result', 'tool.called', 'clock.advanced', 'file.read', 'tool.result']")
            #expect(lines[4].hasPrefix("sha256:"))
            #expect(lines[5] == "bramble-office 5 predicates, holding: []")
            #expect(lines[6].hasPrefix("fork "))
            #expect(lines[7] == "8 episodes")
            #expect(lines[8] == "list_emails")
            #expect(try JSON.parse(lines[9])["live"] == 10)
            #expect(lines[10].hasPrefix(#"{"deleted":"#))
            #expect(server.host.liveCount == 9)
        }
    }

    @Test func pythonExample() async throws {
        try await withServer { port, _ in
            let script = try Self.block("python").replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(port)")
            let r = try await blocking { try runProcess(pythonWithMCP, ["python3", "-c", script]) }
            #expect(r.status == 0, "\(r.stderr)")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 3, "\(r.stdout)")
            #expect(lines.first == "\(ToolCatalog.builtInNames.count) tools; first: list_emails")
            #expect(lines.dropFirst().first == "isError: False")
        }
    }
}
}
