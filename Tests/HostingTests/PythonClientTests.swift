import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumRecording
import TerrariumServer

/// The official `mcp` Python SDK (PyPI) as the client: over stdio against `terrarium mcp`,
/// and over streamable HTTP against `terrarium serve`.
extension LiveServerTests {
@Suite struct PythonClientTests {
    static let script = repositoryRoot + "/Tests/HostingTests/python/mcp_client_check.py"

    static func expected(_ version: String) -> String {
        let tools = ToolCatalog.builtInNames.map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"listingFirstLine": "644  2026-03-16T08:30:00-05:00  1483  notes/2026-03-09-ops-sync.md", "listingIsError": false, "protocolVersion": "\#(version)", "sentIsError": false, "tools": [\#(tools)], "unknown": "Unknown tool: launch_missiles; available tools: \#(ToolCatalog.builtInNames.joined(separator: ", "))", "wrongIsError": true, "wrongText": "Error: no/such/file.txt: no such file or directory"}"#
    }

    @Test func stdioWithTheOfficialClientAndRecording() throws {
        let temp = try TempDir("mcp-stdio")
        defer { temp.remove() }
        let folder = temp.sub("episode")
        let r = try runProcess(pythonWithMCP, ["python3", Self.script, "stdio", terrariumBinary, "mcp", brambleDirectory,
                                                "--seed", "3", "--record", folder])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == Self.expected("2025-06-18"), "\(r.stderr)")
        // The session was recorded as it went, and the folder verifies.
        let walk = try EpisodeReader(directory: folder).walk(keepEvents: true)
        #expect(walk.error == nil)
        let kinds = walk.events.map(\.kind)
        #expect(kinds.first == "episode.started" && kinds.last == "episode.ended")
        #expect(kinds.filter { $0 == "tool.called" }.count == 3)  // the unknown tool never reached the episode
        #expect(kinds.contains("mail.sent"))

        // Fork the recording before the mail was sent: a live episode over stdio again.
        let sentSeq = walk.events.first { $0.kind == "tool.called" && $0.payload["tool"] == "send_email" }?.seq ?? 0
        let fork = try runProcess(pythonWithMCP, ["python3", Self.script, "stdio", terrariumBinary, "mcp", "--from", folder,
                                                   "--at", String(sentSeq - 1), "--record", temp.sub("fork")])
        #expect(fork.status == 0, "\(fork.stderr)")
        #expect(fork.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == Self.expected("2025-06-18"))
        let forked = try EpisodeReader(directory: temp.sub("fork"))
        #expect(forked.manifest.forkedFrom?["seq"] == JSON(sentSeq - 1))
        #expect(fork.stderr.contains("fork of \(folder) at seq \(sentSeq - 1)"))
    }

    @Test func stdoutCarriesOnlyProtocolMessages() throws {
        let input = [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            "this is not json",
            #"[{"jsonrpc":"2.0","id":2,"method":"ping"},{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"nope"}}}]"#,
        ].joined(separator: "\n") + "\n"
        let r = try runProcess(terrariumBinary, ["mcp", brambleDirectory], stdin: input)
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1] == #"{"error":{"code":-32700,"message":"Parse error: invalid JSON at byte 0: invalid literal"},"id":null,"jsonrpc":"2.0"}"#)
        #expect(lines[2] == #"[{"id":2,"jsonrpc":"2.0","result":{}},{"id":3,"jsonrpc":"2.0","result":{"content":[{"text":"Error: nope: no such file or directory","type":"text"}],"isError":true}}]"#)
        #expect(r.stderr.contains("terrarium mcp: episode "))
    }

    @Test func usageErrors() throws {
        let r = try runProcess(terrariumBinary, ["mcp", "--from", "/tmp/x"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--from needs --at SEQ (the event to fork at)"))
        #expect(r.stdout.isEmpty)
    }

    @Test func streamableHTTPWithTheOfficialClient() async throws {
        try await withServer { port, _ in
            let id = try await createEpisode(port)
            let url = "http://127.0.0.1:\(port)/episodes/\(id)/mcp"
            let r = try await blocking { try runProcess(pythonWithMCP, ["python3", Self.script, "http", url]) }
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == Self.expected("2025-06-18"), "\(r.stderr)")
        }
    }
}
}
