import Foundation
import Testing
import TerrariumBase
@testable import TerrariumRollout

@Suite struct CassetteTests {
    @Test func anEntryWritesCanonicalJSONAndReadsBack() throws {
        let body = json(AnthropicProviderTests.toolUseBody)
        let exchange = ModelExchange(
            response: try AnthropicResponse.decode(body), requestBody: ["model": "claude-sonnet-4-5", "max_tokens": 10, "messages": []],
            responseBody: body, retries: [FailedAttempt(status: 529, message: "overloaded_error: Overloaded", waitedMilliseconds: 1500)])
        let entry = CassetteEntry(turn: 1, provider: "anthropic", model: "claude-sonnet-4-5", exchange: exchange, wallMilliseconds: 830)
        let line = entry.jsonLine
        #expect(line.hasSuffix("}\n"))
        #expect(line.hasPrefix(#"{"model":"claude-sonnet-4-5","provider":"anthropic","request":{"#))
        #expect(line.contains(#""retries":[{"message":"overloaded_error: Overloaded","status":529,"waitedMs":1500}],"#))
        #expect(line.contains(#""turn":1,"usage":{"cacheRead":3000,"cacheWrite":2000,"input":120,"output":45},"wallMs":830}"#))
        let back = try CassetteEntry(json: try JSON.parse(line), where: "test")
        #expect(back == entry)
    }

    @Test func replaysRecordedCallsOfflineAndStopsAtTheFirstDifference() async throws {
        let dir = NSTemporaryDirectory() + "terrarium-cassette-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = ModelRequest(model: "claude-sonnet-4-5", system: "S", messages: [Message(role: .user, content: [.text("hi")])],
                                 tools: [], maxTokens: 100)
        var second = secondTurnRequest(model: "claude-sonnet-4-5")
        // Record two live calls (streamed) through the fake server.
        var lines = ""
        try await withFakeProvider { server in
            await server.script("/v1/messages", .sse(AnthropicProviderTests.streamEvents), .json(AnthropicProviderTests.toolUseBody))
            let provider = AnthropicProvider(configuration: fakeConfiguration("anthropic", server, clock: VirtualProviderClock(), stream: true))
            for (turn, request) in [first, second].enumerated() {
                let exchange = try await provider.complete(request)
                lines += CassetteEntry(turn: turn + 1, provider: provider.kind, model: request.model, exchange: exchange,
                                       wallMilliseconds: 5).jsonLine
            }
        }
        try lines.write(toFile: dir + "/cassette.jsonl", atomically: true, encoding: .utf8)

        let replay = try ProviderFactory.make(modelSpec: "cassette:" + dir, environment: [:])
        #expect(replay.kind == "cassette")
        let a = try await replay.complete(first)
        #expect(a.response.message.content.last == .toolUse(id: "toolu_09", name: "send_email",
                                                               arguments: ["to": "ceo@bramble.test", "subject": "Summary"]))
        #expect(a.requestBody["stream"] == true)
        let b = try await replay.complete(second)
        #expect(b.response.usage == TokenUsage(input: 120, output: 45, cacheRead: 3000, cacheWrite: 2000))
        let error = await #expect(throws: ProviderError.self) { try await replay.complete(first) }
        #expect(error == .cassetteMismatch("call 3: the cassette in \(dir) holds only 2 calls"))

        // A re-drive whose second request differs stops there, naming the field.
        let diverged = try CassetteProvider(directory: dir)
        _ = try await diverged.complete(first)
        second.messages[2].content[0] = .toolResult(id: "call_01", text: "4 messages", isError: false)
        let mismatch = await #expect(throws: ProviderError.self) { try await diverged.complete(second) }
        #expect(mismatch == .cassetteMismatch(#"turn 2: the request differs at messages[2].content[0].content: recorded "3 messages", now "4 messages""#))
        #expect(mismatch?.description == #"the cassette does not match this run: turn 2: the request differs at messages[2].content[0].content: recorded "3 messages", now "4 messages""#)
    }

    @Test func replaysAnOpenAICassetteAndReportsMissingFields() async throws {
        let body = json(OpenAIChatProviderTests.toolCallsBody)
        let request = secondTurnRequest(model: "qwen3-8b", thinking: false)
        let sent = OpenAIChatRequest(stream: true, maxTokensField: "max_completion_tokens", reasoningEffort: "low").body(request)
        let exchange = ModelExchange(response: try OpenAIChatResponse.decode(body), requestBody: sent, responseBody: body)
        let entry = CassetteEntry(turn: 1, provider: "openai", model: "qwen3-8b", exchange: exchange, wallMilliseconds: 1)
        let replay = CassetteProvider(entries: [try CassetteEntry(json: entry.json, where: "line 1")])
        #expect(try await replay.complete(request) == exchange)

        var missing = entry.json.objectValue ?? [:]
        missing["request"] = nil
        #expect(throws: ProviderError.cassetteMismatch(#"cassette.jsonl line 4: field "request" is missing"#)) {
            try CassetteEntry(json: .object(missing), where: "cassette.jsonl line 4")
        }
        #expect(JSONDifference.first(["a": [1, 2]], ["a": [1, 2, 3]]) == "a: recorded 2 items, now 3")
        #expect(JSONDifference.first(["a": 1], ["b": 1]) == "a: recorded 1, now absent")
    }
}
