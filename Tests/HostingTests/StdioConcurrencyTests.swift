import Foundation
import Testing
import TerrariumBase
import TerrariumRecording

/// `terrarium mcp` keeps reading while a slow tool call runs: a ping (or a cancellation)
/// sent after it is handled at once, and tool calls still run in the order they came.
@Suite struct StdioConcurrencyTests {
    static let initialize = [
        #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{}}}"#,
        #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
    ]

    static func ids(_ stdout: String) throws -> [JSON] {
        try stdout.split(separator: "\n").map { try JSON.parse(String($0))["id"] ?? .null }
    }

    @Test func aPingIsAnsweredWhileASlowShellCallRunsAndCallsKeepTheirOrder() throws {
        let temp = try TempDir("stdio-ping")
        defer { temp.remove() }
        let input = (Self.initialize + [
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"run_shell","arguments":{"command":"sleep 1; echo after-the-sleep > order.txt"}}}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"order.txt"}}}"#,
            #"{"jsonrpc":"2.0","id":"p","method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"tools/list"}"#,
        ]).joined(separator: "\n") + "\n"
        let r = try runProcess(terrariumBinary, ["mcp", brambleDirectory, "--record", temp.sub("episode")], stdin: input)
        #expect(r.status == 0, "\(r.stderr)")
        // The ping and the tool list come back before the shell call is done; the two calls
        // in the order they were sent.
        #expect(try Self.ids(r.stdout) == [1, "p", 4, 2, 3], "\(r.stdout)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        guard lines.count == 5 else { return }
        #expect(lines[1] == #"{"id":"p","jsonrpc":"2.0","result":{}}"#)
        let read = try JSON.parse(lines[4])["result"]
        #expect(read?["isError"] == false)
        #expect(read?["content"]?.arrayValue?.first?["text"]?.stringValue?.contains("after-the-sleep") == true, "\(lines[4])")
        // Recorded in the order sent: the shell call, then the read.
        let walk = try EpisodeReader(directory: temp.sub("episode")).walk(keepEvents: true)
        let called = walk.events.filter { $0.kind == "tool.called" }.compactMap { $0.payload["tool"]?.stringValue }
        #expect(called == ["run_shell", "read_file"])
    }

    @Test func aCallCancelledWhileQueuedNeverRuns() throws {
        let temp = try TempDir("stdio-cancel")
        defer { temp.remove() }
        let input = (Self.initialize + [
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"run_shell","arguments":{"command":"sleep 1"}}}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"write_file","arguments":{"path":"never.txt","content":"x"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3,"reason":"changed my mind"}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":99}}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"ping"}"#,
        ]).joined(separator: "\n") + "\n"
        let r = try runProcess(terrariumBinary, ["mcp", brambleDirectory, "--record", temp.sub("episode")], stdin: input)
        #expect(r.status == 0, "\(r.stderr)")
        // No reply for the cancelled call; an unknown requestId is ignored.
        #expect(try Self.ids(r.stdout) == [1, 4, 2], "\(r.stdout)")
        let walk = try EpisodeReader(directory: temp.sub("episode")).walk(keepEvents: true)
        let called = walk.events.filter { $0.kind == "tool.called" }.compactMap { $0.payload["tool"]?.stringValue }
        #expect(called == ["run_shell"])
        #expect(!walk.events.contains { $0.kind == "file.created" })
    }
}
