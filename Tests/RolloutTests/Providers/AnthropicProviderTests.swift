import Foundation
import Testing
import TerrariumBase
@testable import TerrariumRollout

@Suite struct AnthropicProviderTests {
    static let toolUseBody = """
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[{"type":"thinking","thinking":"Now read the file.","signature":"sig-def"},
                    {"type":"text","text":"Reading it."},
                    {"type":"tool_use","id":"toolu_03","name":"read_file","input":{"path":"/notes.txt"}}],
         "stop_reason":"tool_use","stop_sequence":null,
         "usage":{"input_tokens":120,"output_tokens":45,"cache_creation_input_tokens":2000,"cache_read_input_tokens":3000}}
        """

    @Test func sendsThinkingWithItsSignatureAndToolResultsBackAndParsesToolUse() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/messages", .json(Self.toolUseBody))
            let clock = VirtualProviderClock()
            let ledger = CostLedger()
            let provider = AnthropicProvider(configuration: fakeConfiguration("anthropic", server, clock: clock, ledger: ledger))
            let exchange = try await provider.complete(secondTurnRequest(model: "claude-sonnet-4-5"))

            let sent = try #require(await server.requests.first)
            #expect(sent.method == "POST")
            #expect(sent.headers["x-api-key"] == "test-key")
            #expect(sent.headers["anthropic-version"] == "2023-06-01")
            #expect(sent.headers["content-type"] == "application/json")
            let expected = json("""
                {"model":"claude-sonnet-4-5","max_tokens":4096,"system":"You are Alex, the office assistant.",
                 "thinking":{"type":"enabled","budget_tokens":2048},
                 "tools":[{"name":"list_mail","description":"List the mail in a folder.",
                           "input_schema":{"type":"object","properties":{"folder":{"type":"string"}}}}],
                 "messages":[
                   {"role":"user","content":[{"type":"text","text":"Please tidy the inbox."}]},
                   {"role":"assistant","content":[
                      {"type":"thinking","thinking":"I should list mail first.","signature":"sig-abc"},
                      {"type":"redacted_thinking","data":"ENCRYPTED=="},
                      {"type":"text","text":"Listing."},
                      {"type":"tool_use","id":"call_01","name":"list_mail","input":{"folder":"inbox"}},
                      {"type":"tool_use","id":"call_02","name":"read_file","input":{"path":"/missing"}}]},
                   {"role":"user","content":[
                      {"type":"tool_result","tool_use_id":"call_01","content":"3 messages"},
                      {"type":"tool_result","tool_use_id":"call_02","content":"no such file: /missing","is_error":true}]}]}
                """)
            #expect(sent.json == expected)
            // The bytes on the wire are the canonical form of what the cassette records.
            #expect(sent.body == exchange.requestBody.canonicalBytes())

            #expect(exchange.response == ModelResponse(
                message: Message(role: .assistant, content: [
                    .reasoning(text: "Now read the file.", signature: "sig-def"),
                    .text("Reading it."),
                    .toolUse(id: "toolu_03", name: "read_file", arguments: ["path": "/notes.txt"]),
                ]),
                stopReason: .toolUse, rawStopReason: "tool_use",
                usage: TokenUsage(input: 120, output: 45, cacheRead: 3000, cacheWrite: 2000),
                model: "claude-sonnet-4-5-20250929"))
            #expect(exchange.responseBody == json(Self.toolUseBody))
            #expect(exchange.retries == [])
            #expect(await clock.sleeps == [])
            let lines = await ledger.perModel
            #expect(lines.map(\.model) == ["claude-sonnet-4-5"])
            #expect(lines.first?.usage == TokenUsage(input: 120, output: 45, cacheRead: 3000, cacheWrite: 2000))
        }
    }

    static let streamEvents = [
        #"event: message_start\#ndata: {"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":50,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":40}}}"#,
        #"event: content_block_start\#ndata: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"#,
        #"event: ping\#ndata: {"type":"ping"}"#,
        #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The user wants "}}"#,
        #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"a summary."}}"#,
        #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM"}}"#,
        #"event: content_block_stop\#ndata: {"type":"content_block_stop","index":0}"#,
        #"event: content_block_start\#ndata: {"type":"content_block_start","index":1,"content_block":{"type":"redacted_thinking","data":"RED=="}}"#,
        #"event: content_block_stop\#ndata: {"type":"content_block_stop","index":1}"#,
        #"event: content_block_start\#ndata: {"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}"#,
        #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Sending "}}"#,
        #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"it now."}}"#,
        #"event: content_block_stop\#ndata: {"type":"content_block_stop","index":2}"#,
        #"event: content_block_start\#ndata: {"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"toolu_09","name":"send_email","input":{}}}"#,
        #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{\"to\": \"ceo@"}}"#,
        #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"bramble.test\", \"subject\": \"Summary\"}"}}"#,
        #"event: content_block_stop\#ndata: {"type":"content_block_stop","index":3}"#,
        #"event: message_delta\#ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":87}}"#,
        #"event: message_stop\#ndata: {"type":"message_stop"}"#,
    ]

    static let reassembled = """
        {"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-5",
         "content":[{"type":"thinking","thinking":"The user wants a summary.","signature":"EqQBCgIYAhIM"},
                    {"type":"redacted_thinking","data":"RED=="},
                    {"type":"text","text":"Sending it now."},
                    {"type":"tool_use","id":"toolu_09","name":"send_email","input":{"to":"ceo@bramble.test","subject":"Summary"}}],
         "stop_reason":"tool_use","stop_sequence":null,
         "usage":{"input_tokens":50,"output_tokens":87,"cache_creation_input_tokens":0,"cache_read_input_tokens":40}}
        """

    @Test func reassemblesAStreamIntoTheNonStreamingBody() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/messages", .sse(Self.streamEvents))
            let provider = AnthropicProvider(configuration: fakeConfiguration("anthropic", server, clock: VirtualProviderClock(), stream: true))
            let exchange = try await provider.complete(secondTurnRequest(model: "claude-sonnet-4-5"))
            let sent = try #require(await server.requests.first)
            #expect(sent.json?["stream"] == true)
            #expect(sent.headers["accept"] == "text/event-stream")
            #expect(exchange.responseBody == json(Self.reassembled))
            #expect(exchange.response.message.content == [
                .reasoning(text: "The user wants a summary.", signature: "EqQBCgIYAhIM"),
                .redactedReasoning(data: "RED=="),
                .text("Sending it now."),
                .toolUse(id: "toolu_09", name: "send_email", arguments: ["to": "ceo@bramble.test", "subject": "Summary"]),
            ])
            #expect(exchange.response.usage == TokenUsage(input: 50, output: 87, cacheRead: 40, cacheWrite: 0))
            #expect(exchange.response.stopReason == .toolUse)
        }
    }

    @Test func aStreamCutBeforeMessageStopIsRetried() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/messages", .sse(Array(Self.streamEvents.prefix(12))), .sse(Self.streamEvents))
            let clock = VirtualProviderClock()
            let provider = AnthropicProvider(configuration: fakeConfiguration("anthropic", server, clock: clock, stream: true))
            let exchange = try await provider.complete(secondTurnRequest(model: "claude-sonnet-4-5"))
            let waits = await clock.sleeps
            #expect(waits.count == 1)
            #expect(exchange.retries == [FailedAttempt(status: nil, message: "the stream ended before message_stop (12 events received)",
                                                       waitedMilliseconds: Int((waits[0] * 1000).rounded()))])
            #expect(exchange.responseBody == json(Self.reassembled))
            #expect(await server.requests.count == 2)
        }
    }

    @Test func aDroppedConnectionMidStreamIsRetried() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/messages", .sse(Array(Self.streamEvents.prefix(5)), dropConnection: true), .sse(Self.streamEvents))
            let provider = AnthropicProvider(configuration: fakeConfiguration("anthropic", server, clock: VirtualProviderClock(), stream: true))
            let exchange = try await provider.complete(secondTurnRequest(model: "claude-sonnet-4-5"))
            #expect(exchange.retries.count == 1)
            #expect(exchange.retries.first?.status == nil)
            #expect(exchange.responseBody == json(Self.reassembled))
        }
    }

    @Test func honoursRetryAfterOn429And529ThenSucceeds() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/messages",
                .json(#"{"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit."}}"#,
                      status: 429, headers: [("retry-after", "2")]),
                .json(#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
                      status: 529, headers: [("retry-after-ms", "1500"), ("retry-after", "9")]),
                .json(Self.toolUseBody))
            let clock = VirtualProviderClock()
            let provider = AnthropicProvider(configuration: fakeConfiguration("anthropic", server, clock: clock))
            let exchange = try await provider.complete(secondTurnRequest(model: "claude-sonnet-4-5"))
            #expect(exchange.retries == [
                FailedAttempt(status: 429, message: "rate_limit_error: Number of requests has exceeded your rate limit.", waitedMilliseconds: 2000),
                FailedAttempt(status: 529, message: "overloaded_error: Overloaded", waitedMilliseconds: 1500),
            ])
            #expect(await clock.sleeps == [2.0, 1.5])
            let bodies = await server.requests.map(\.body)
            #expect(bodies.count == 3 && Set(bodies).count == 1)
        }
    }

    @Test func aBadRequestIsRejectedAtOnceWithTheProvidersMessage() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/messages", .json(
                #"{"type":"error","error":{"type":"invalid_request_error","message":"messages.1.content.0: thinking block signature is invalid"}}"#,
                status: 400))
            let clock = VirtualProviderClock()
            let provider = AnthropicProvider(configuration: fakeConfiguration("anthropic", server, clock: clock))
            let error = await #expect(throws: ProviderError.self) { try await provider.complete(secondTurnRequest(model: "claude-sonnet-4-5")) }
            let message = "invalid_request_error: messages.1.content.0: thinking block signature is invalid"
            #expect(error == .rejected(status: 400, message: message, attempts: [FailedAttempt(status: 400, message: message, waitedMilliseconds: 0)]))
            #expect(error?.description == "the model API refused the request (HTTP 400): \(message)")
            #expect(await server.requests.count == 1)
            #expect(await clock.sleeps == [])
        }
    }

    @Test func givesUpAfterMaxRetriesWithSeededJitteredWaits() async throws {
        try await withFakeProvider { server in
            let unavailable = FakeProviderServer.Reply.json(#"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#, status: 503)
            await server.script("/v1/messages", unavailable, unavailable, unavailable, unavailable)
            let clock = VirtualProviderClock()
            let provider = AnthropicProvider(configuration: fakeConfiguration("anthropic", server, clock: clock, maxRetries: 3, seed: 42))
            let error = await #expect(throws: ProviderError.self) { try await provider.complete(secondTurnRequest(model: "claude-sonnet-4-5")) }
            // Full jitter: wait n is uniform in [0, 2^n s), drawn from SplitMix64 seeded 42.
            var random = SeededRandom(seed: 42)
            let expected = (0..<3).map { n in Int((Double(1 << n) * random.nextUnit() * 1000).rounded()) }
            #expect(expected == [742, 320, 1114])
            let message = "api_error: Internal server error"
            #expect(error == .exhausted(attempts: expected.map { FailedAttempt(status: 503, message: message, waitedMilliseconds: $0) }
                + [FailedAttempt(status: 503, message: message, waitedMilliseconds: 0)]))
            #expect(error?.description == "the model API kept failing after 4 attempts (last: HTTP 503: api_error: Internal server error)")
            #expect(await clock.sleeps == expected.map { Double($0) / 1000 })
            #expect(await server.requests.count == 4)
        }
    }

    @Test func anOverloadedErrorInsideTheStreamIsRetried() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/messages",
                .sse([Self.streamEvents[0], #"event: error\#ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#]),
                .sse(Self.streamEvents))
            let clock = VirtualProviderClock()
            let provider = AnthropicProvider(configuration: fakeConfiguration("anthropic", server, clock: clock, stream: true))
            let exchange = try await provider.complete(secondTurnRequest(model: "claude-sonnet-4-5"))
            #expect(exchange.retries.map(\.status) == [529])
            #expect(exchange.retries.map(\.message) == ["overloaded_error: Overloaded (in the stream)"])
        }
    }

    @Test func aSlowAnswerTimesOut() async throws {
        try await withFakeProvider { server in
            var slow = FakeProviderServer.Reply.json(Self.toolUseBody)
            slow.delay = .seconds(10)
            await server.script("/v1/messages", slow)
            let provider = AnthropicProvider(configuration: fakeConfiguration("anthropic", server, clock: VirtualProviderClock(),
                                                                              maxRetries: 0, timeout: 0.25))
            let start = ContinuousClock.now
            let error = await #expect(throws: ProviderError.self) { try await provider.complete(secondTurnRequest(model: "claude-sonnet-4-5")) }
            // Far below the server's 10 s: we stopped waiting (a loaded CI machine stretches the 0.25 s).
            #expect(ContinuousClock.now - start < .seconds(8))
            #expect(error == .timedOut(seconds: 0.25, attempts: [FailedAttempt(status: nil, message: "no complete answer within 0.25 s", waitedMilliseconds: 0)]))
        }
    }

    @Test func stopReasonsMapAndKeepTheRawValue() {
        #expect(AnthropicResponse.stopReason("end_turn") == .endTurn)
        #expect(AnthropicResponse.stopReason("stop_sequence") == .endTurn)
        #expect(AnthropicResponse.stopReason("max_tokens") == .maxTokens)
        #expect(AnthropicResponse.stopReason("refusal") == .refusal)
        #expect(AnthropicResponse.stopReason("pause_turn") == .other)
        let decoded = try? AnthropicResponse.decode(json(#"{"content":[{"type":"text","text":"Paused."}],"stop_reason":"pause_turn","usage":{"input_tokens":1,"output_tokens":2}}"#))
        #expect(decoded?.rawStopReason == "pause_turn")
        #expect(decoded?.stopReason == .other)
    }

    @Test func aMalformedBodyNamesTheField() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/messages", .json(#"{"content":[{"type":"tool_use","id":"t1","input":{}}],"stop_reason":"tool_use"}"#))
            let provider = AnthropicProvider(configuration: fakeConfiguration("anthropic", server, clock: VirtualProviderClock()))
            let error = await #expect(throws: ProviderError.self) { try await provider.complete(secondTurnRequest(model: "claude-sonnet-4-5")) }
            #expect(error == .malformedResponse("content[0].name is missing"))
        }
    }

    @Test func aRefusedConnectionIsRetriedThenReported() async throws {
        // A port nobody listens on: take one from a server and stop it.
        let server = try await FakeProviderServer.start()
        server.stop()
        try await Task.sleep(for: .milliseconds(200))
        let clock = VirtualProviderClock()
        let provider = AnthropicProvider(configuration: fakeConfiguration("anthropic", server, clock: clock, maxRetries: 1))
        let error = await #expect(throws: ProviderError.self) { try await provider.complete(secondTurnRequest(model: "claude-sonnet-4-5")) }
        guard case .exhausted(let attempts)? = error else { Issue.record("expected exhausted, got \(String(describing: error))"); return }
        #expect(attempts.count == 2)
        #expect(attempts.allSatisfy { $0.status == nil && $0.message == "could not connect to the host" })
    }
}
