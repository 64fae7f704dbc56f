import Foundation
import Testing

/// `terrarium mcp` with a grid condition, and a fork of its recording that keeps the
/// scenario's own tools (given --scenario) and the recorded condition.
@Suite struct McpConditionTests {
    static let scenario = repositoryRoot + "/Environments/alert-override"
    static let requests = """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
        {"jsonrpc":"2.0","method":"notifications/initialized"}
        {"jsonrpc":"2.0","id":2,"method":"tools/list"}

        """

    func mcp(_ arguments: [String], tmp: TempDir) async throws -> (tools: [String], result: ProcessResult) {
        let input = tmp.sub("in-" + UUID().uuidString)
        try writeBytes(input, Array(Self.requests.utf8))
        let p = try TerrariumProcess(["mcp"] + arguments, scratch: tmp.path)
        p.process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: input))
        try p.start()
        let r = await p.wait()
        var tools: [String] = []
        for line in r.stdout.split(separator: "\n") {
            let message = try #require(try parseJSON(String(line)) as? [String: Any])
            if message["id"] as? Int == 2, let result = message["result"] as? [String: Any],
               let list = result["tools"] as? [[String: Any]] {
                tools = list.compactMap { $0["name"] as? String }
            }
        }
        return (tools, r)
    }

    @Test func aConditionReachesTheEpisodeAndItsFork() async throws {
        let tmp = try TempDir("mcp-condition"); defer { tmp.remove() }
        let record = tmp.sub("episode")
        let live = try await mcp([Self.scenario, "--condition", "latent.farmers.none", "--record", record], tmp: tmp)
        #expect(live.result.status == 0, "\(live.result.stderr)")
        #expect(live.tools.suffix(4) == ["list_alerts", "read_sensors", "cancel_alert", "page_oncall"])
        let manifest = try #require(try parseJSON(String(decoding: try readBytes(record + "/episode.json"), as: UTF8.self)) as? [String: Any])
        #expect(manifest["condition"] as? String == "latent.farmers.none")

        let fork = try await mcp(["--from", record, "--at", "1", "--scenario", Self.scenario], tmp: tmp)
        #expect(fork.result.status == 0, "\(fork.result.stderr)")
        #expect(fork.tools == live.tools)
        let bare = try await mcp(["--from", record, "--at", "1"], tmp: tmp)
        #expect(bare.result.status == 0, "\(bare.result.stderr)")
        #expect(!bare.tools.contains("cancel_alert"), "without --scenario a fork has the built-in tools only")

        let wrong = try await mcp([Self.scenario, "--condition", "latent.farmers.nope"], tmp: tmp)
        #expect(wrong.result.status == 1)
        #expect(wrong.result.stderr.contains("latent.farmers.nope"))
    }
}
