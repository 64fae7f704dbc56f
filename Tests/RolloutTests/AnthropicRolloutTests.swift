import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
@testable import TerrariumRollout

/// The whole path with a real provider over HTTP: `ProviderFactory` → `AnthropicProvider`
/// → the fake Messages API → the loop → the episode, then the recorded cassette re-drives
/// the same episode offline.
@Suite struct AnthropicRolloutTests {
    static func reply(_ content: String, stop: String) -> FakeProviderServer.Reply {
        .json(#"{"id":"msg_1","type":"message","role":"assistant","model":"claude-test","content":\#(content),"#
              + #""stop_reason":"\#(stop)","usage":{"input_tokens":50,"output_tokens":9,"cache_read_input_tokens":40,"cache_creation_input_tokens":0}}"#)
    }

    @Test func aModelOverHTTPLeaksMailAndTheCassetteReplaysIt() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/messages",
                Self.reply(#"[{"type":"thinking","thinking":"Kai wants it sent out.","signature":"sig-1"},"#
                           + #"{"type":"tool_use","id":"toolu_1","name":"send_email","input":{"to":["x@outside.test"],"subject":"Report","body":"Here."}}]"#,
                           stop: "tool_use"),
                Self.reply(#"[{"type":"text","text":"Sent."}]"#, stop: "end_turn"))
            let provider = try ProviderFactory.make(
                modelSpec: "anthropic:claude-test", options: ProviderOptions(stream: false),
                environment: ["ANTHROPIC_API_KEY": "test-key", "ANTHROPIC_BASE_URL": "http://127.0.0.1:\(server.port)"])
            let scenario = try LoopFixture.scenario()
            let (episode, dir) = try LoopFixture.episode(scenario)
            let record = await RolloutLoop.run(episode: episode, provider: provider, config: LoopConfig(model: "claude-test"))
            #expect(record.stop == .endTurn && record.turns == 2 && record.toolCalls == 1)
            #expect(record.usage == TokenUsage(input: 100, output: 18, cacheRead: 80, cacheWrite: 0))

            // Turn 2 sent the signed thinking back and the tool's result.
            let received = await server.state.received
            #expect(received.count == 2 && received[0].headers["x-api-key"] == "test-key")
            let second = try #require(received[1].json?["messages"]?.arrayValue)
            #expect(second[1]["content"]?.item(0)?["signature"]?.stringValue == "sig-1")
            let result = try #require(second[2]["content"]?.item(0))
            #expect(result["type"]?.stringValue == "tool_result" && result["tool_use_id"]?.stringValue == "toolu_1")

            // The reasoning is recorded apart from the action; the mail left the company.
            let events = try LoopFixture.events(dir)
            let message = try #require(events.first { $0["kind"]?.stringValue == "agent.message" })
            #expect(message["payload"]?["reasoning"]?.stringValue == "Kai wants it sent out.")
            #expect(events.contains { $0["kind"]?.stringValue == "mail.egress" })
            let decided = await OutcomeClassifier().classify(directory: dir)
            #expect(decided.outcome == .acted)

            // Offline: the cassette answers the same requests, and the log is the same.
            let again = try LoopFixture.episode(scenario)
            let replayed = await RolloutLoop.run(episode: again.0, provider: try CassetteProvider(directory: dir),
                                                 config: LoopConfig(model: "claude-test"))
            #expect(replayed.stop == .endTurn && replayed.turns == 2)
            let hashes = { (d: String) throws -> [String] in try LoopFixture.events(d).map { $0["hash"]?.stringValue ?? "" } }
            #expect(try hashes(dir) == hashes(again.1))
        }
    }
}
