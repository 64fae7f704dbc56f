import Foundation
import Testing
import TerrariumBase
@testable import TerrariumRollout

@Suite struct OpenAIChatProviderTests {
    static let toolCallsBody = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1764400000,"model":"qwen3-8b",
         "choices":[{"index":0,"finish_reason":"tool_calls",
           "message":{"role":"assistant","content":"Two things at once.","reasoning_content":"Read both files.",
             "tool_calls":[
               {"id":"call_a","type":"function","function":{"name":"read_file","arguments":"{\\"path\\": \\"/a.txt\\"}"}},
               {"id":"call_b","type":"function","function":{"name":"read_file","arguments":"{\\"path\\": \\"/b.txt\\"}"}}]}}],
         "usage":{"prompt_tokens":1200,"completion_tokens":80,"total_tokens":1280,"prompt_tokens_details":{"cached_tokens":1024}}}
        """

    @Test func sendsToolCallsAndToolMessagesAndParsesParallelCalls() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/chat/completions", .json(Self.toolCallsBody))
            let provider = OpenAIChatProvider(configuration: fakeConfiguration("openai", server, clock: VirtualProviderClock()))
            var request = secondTurnRequest(model: "qwen3-8b", thinking: false)
            request.messages[2].content.append(.text("Also check the calendar."))
            request.temperature = 0.5
            let exchange = try await provider.complete(request)

            let sent = try #require(await server.requests.first)
            #expect(sent.path == "/v1/chat/completions")
            #expect(sent.headers["authorization"] == "Bearer test-key")
            #expect(sent.json == json("""
                {"model":"qwen3-8b","max_tokens":4096,"temperature":0.5,
                 "tools":[{"type":"function","function":{"name":"list_mail","description":"List the mail in a folder.",
                           "parameters":{"type":"object","properties":{"folder":{"type":"string"}}}}}],
                 "messages":[
                   {"role":"system","content":"You are Alex, the office assistant."},
                   {"role":"user","content":"Please tidy the inbox."},
                   {"role":"assistant","content":"Listing.","tool_calls":[
                      {"id":"call_01","type":"function","function":{"name":"list_mail","arguments":"{\\"folder\\":\\"inbox\\"}"}},
                      {"id":"call_02","type":"function","function":{"name":"read_file","arguments":"{\\"path\\":\\"/missing\\"}"}}]},
                   {"role":"tool","tool_call_id":"call_01","content":"3 messages"},
                   {"role":"tool","tool_call_id":"call_02","content":"no such file: /missing"},
                   {"role":"user","content":"Also check the calendar."}]}
                """))
            #expect(exchange.response == ModelResponse(
                message: Message(role: .assistant, content: [
                    .reasoning(text: "Read both files.", signature: nil),
                    .text("Two things at once."),
                    .toolUse(id: "call_a", name: "read_file", arguments: ["path": "/a.txt"]),
                    .toolUse(id: "call_b", name: "read_file", arguments: ["path": "/b.txt"]),
                ]),
                stopReason: .toolUse, rawStopReason: "tool_calls",
                usage: TokenUsage(input: 176, output: 80, cacheRead: 1024, cacheWrite: 0), model: "qwen3-8b"))
        }
    }

    static let chunks = [
        #"data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1764400001,"model":"qwen3-8b","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":"Mail the "},"finish_reason":null}]}"#,
        #"data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1764400001,"model":"qwen3-8b","choices":[{"index":0,"delta":{"reasoning_content":"CEO."},"finish_reason":null}]}"#,
        #"data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1764400001,"model":"qwen3-8b","choices":[{"index":0,"delta":{"content":"Sending."},"finish_reason":null}]}"#,
        #"data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1764400001,"model":"qwen3-8b","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_x","type":"function","function":{"name":"send_email","arguments":""}}]},"finish_reason":null}]}"#,
        #"data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1764400001,"model":"qwen3-8b","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"to\":\"ceo@"}}]},"finish_reason":null}]}"#,
        #"data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1764400001,"model":"qwen3-8b","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"bramble.test\"}"}}]},"finish_reason":null}]}"#,
        #"data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1764400001,"model":"qwen3-8b","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_y","type":"function","function":{"name":"list_mail","arguments":"{}"}}]},"finish_reason":null}]}"#,
        #"data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1764400001,"model":"qwen3-8b","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
        #"data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1764400001,"model":"qwen3-8b","choices":[],"usage":{"prompt_tokens":300,"completion_tokens":40,"total_tokens":340,"prompt_tokens_details":{"cached_tokens":256}}}"#,
        "data: [DONE]",
    ]

    @Test func reassemblesStreamedToolCallsByIndex() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/chat/completions", .sse(Self.chunks))
            let provider = OpenAIChatProvider(configuration: fakeConfiguration("openai", server, clock: VirtualProviderClock(), stream: true))
            let exchange = try await provider.complete(secondTurnRequest(model: "qwen3-8b", thinking: false))
            let sent = try #require(await server.requests.first)
            #expect(sent.json?["stream"] == true)
            #expect(sent.json?["stream_options"] == ["include_usage": true])
            #expect(exchange.responseBody == json("""
                {"id":"chatcmpl-2","object":"chat.completion","created":1764400001,"model":"qwen3-8b",
                 "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":"Sending.",
                   "reasoning_content":"Mail the CEO.",
                   "tool_calls":[{"id":"call_x","type":"function","function":{"name":"send_email","arguments":"{\\"to\\":\\"ceo@bramble.test\\"}"}},
                                 {"id":"call_y","type":"function","function":{"name":"list_mail","arguments":"{}"}}]}}],
                 "usage":{"prompt_tokens":300,"completion_tokens":40,"total_tokens":340,"prompt_tokens_details":{"cached_tokens":256}}}
                """))
            #expect(exchange.response.message.content == [
                .reasoning(text: "Mail the CEO.", signature: nil),
                .text("Sending."),
                .toolUse(id: "call_x", name: "send_email", arguments: ["to": "ceo@bramble.test"]),
                .toolUse(id: "call_y", name: "list_mail", arguments: [:]),
            ])
            #expect(exchange.response.usage == TokenUsage(input: 44, output: 40, cacheRead: 256, cacheWrite: 0))
        }
    }

    @Test func aStreamWithoutDoneIsRetried() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/chat/completions", .sse(Array(Self.chunks.prefix(5))), .sse(Self.chunks))
            let clock = VirtualProviderClock()
            let provider = OpenAIChatProvider(configuration: fakeConfiguration("openai", server, clock: clock, stream: true))
            let exchange = try await provider.complete(secondTurnRequest(model: "qwen3-8b", thinking: false))
            #expect(exchange.retries.map(\.message) == ["the stream ended before data: [DONE] (5 events received)"])
            #expect(exchange.retries.map(\.status) == [nil])
            #expect(await server.requests.count == 2)
        }
    }

    @Test func malformedToolArgumentsAreAClearErrorNotACrash() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/chat/completions", .json("""
                {"id":"c","object":"chat.completion","model":"qwen3-8b","choices":[{"index":0,"finish_reason":"tool_calls",
                  "message":{"role":"assistant","content":null,"tool_calls":[
                    {"id":"call_ok","type":"function","function":{"name":"list_mail","arguments":"{}"}},
                    {"id":"call_bad","type":"function","function":{"name":"send_email","arguments":"{\\"to\\": \\"ceo@"}}]}}]}
                """))
            let provider = OpenAIChatProvider(configuration: fakeConfiguration("openai", server, clock: VirtualProviderClock()))
            let error = await #expect(throws: ProviderError.self) { try await provider.complete(secondTurnRequest(model: "qwen3-8b")) }
            #expect(error == .malformedResponse(
                #"choices[0].message.tool_calls[1].function.arguments of tool "send_email" (id call_bad) is not valid JSON: invalid JSON at byte 12: unterminated string; the string was "{\"to\": \"ceo@""#))
            #expect(await server.requests.count == 1)
        }
    }

    @Test func argumentsThatAreNotAnObjectAreRejected() throws {
        let call = json(#"{"id":"c1","type":"function","function":{"name":"list_mail","arguments":"[1,2]"}}"#)
        #expect(throws: DecodeError.self) { try OpenAIChatResponse.toolUse(call, path: "x") }
        do { _ = try OpenAIChatResponse.toolUse(call, path: "x") } catch {
            #expect(error.text == #"x.function.arguments of tool "list_mail" (id c1) is a JSON array, expected an object"#)
        }
        let empty = json(#"{"id":"c2","type":"function","function":{"name":"list_mail","arguments":""}}"#)
        #expect(try OpenAIChatResponse.toolUse(empty, path: "x") == .toolUse(id: "c2", name: "list_mail", arguments: [:]))
    }

    @Test func finishReasonsMap() throws {
        #expect(OpenAIChatResponse.stopReason("stop") == .endTurn)
        #expect(OpenAIChatResponse.stopReason("tool_calls") == .toolUse)
        #expect(OpenAIChatResponse.stopReason("length") == .maxTokens)
        #expect(OpenAIChatResponse.stopReason("content_filter") == .refusal)
        #expect(OpenAIChatResponse.stopReason("eos") == .other)
        let refusal = try OpenAIChatResponse.decode(json(
            #"{"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":null,"refusal":"I can't help with that."}}]}"#))
        #expect(refusal.stopReason == .refusal)
        #expect(refusal.rawStopReason == "stop")
        #expect(refusal.message.content == [.text("I can't help with that.")])
        #expect(refusal.usage == TokenUsage())
    }

    @Test func aBadRequestCarriesTheServersErrorText() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/chat/completions", .json(
                #"{"error":{"message":"This model's maximum context length is 32768 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#,
                status: 400))
            let provider = OpenAIChatProvider(configuration: fakeConfiguration("openai", server, clock: VirtualProviderClock(), apiKey: nil))
            let error = await #expect(throws: ProviderError.self) { try await provider.complete(secondTurnRequest(model: "qwen3-8b")) }
            let message = "invalid_request_error: This model's maximum context length is 32768 tokens."
            #expect(error == .rejected(status: 400, message: message, attempts: [FailedAttempt(status: 400, message: message, waitedMilliseconds: 0)]))
            // No key configured (a local server): no Authorization header at all.
            #expect(await server.requests.first?.headers["authorization"] == nil)
        }
    }

    @Test func retriesA429WithRetryAfterThenSucceeds() async throws {
        try await withFakeProvider { server in
            await server.script("/v1/chat/completions",
                .json(#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#,
                      status: 429, headers: [("retry-after-ms", "250")]),
                .json("not json at all", status: 502),
                .json(Self.toolCallsBody))
            let clock = VirtualProviderClock()
            let provider = OpenAIChatProvider(configuration: fakeConfiguration("openai", server, clock: clock, seed: 1))
            let exchange = try await provider.complete(secondTurnRequest(model: "qwen3-8b"))
            var random = SeededRandom(seed: 1)
            // The 429 used the server's wait; the 502 (retry 1, ceiling 2 s) draws the first jitter value.
            let second = Int((2.0 * random.nextUnit() * 1000).rounded())
            #expect(exchange.retries == [
                FailedAttempt(status: 429, message: "requests: Rate limit reached", waitedMilliseconds: 250),
                FailedAttempt(status: 502, message: "not json at all", waitedMilliseconds: second),
            ])
            #expect(await clock.sleeps == [0.25, Double(second) / 1000])
        }
    }

    @Test func aJSONBodyCutOffMidwayIsRetried() async throws {
        try await withFakeProvider { server in
            let bytes = Array(Self.toolCallsBody.utf8)
            let cut = FakeProviderServer.Reply(status: 200, headers: [("content-type", "application/json")],
                                               chunks: [Array(bytes.prefix(120))], dropConnection: true)
            await server.script("/v1/chat/completions", cut, .json(Self.toolCallsBody))
            let clock = VirtualProviderClock()
            let provider = OpenAIChatProvider(configuration: fakeConfiguration("openai", server, clock: clock, maxRetries: 1))
            let exchange = try await provider.complete(secondTurnRequest(model: "qwen3-8b"))
            #expect(exchange.retries.count == 1)
            #expect(exchange.retries.first?.status == nil)
            // libcurl's words, passed through URLSession on Linux.
            #expect(exchange.retries.first?.message == "transfer closed with outstanding read data remaining (URLError -1)")
            #expect(exchange.responseBody == json(Self.toolCallsBody))
            #expect(await server.requests.count == 2)
        }
    }
}
