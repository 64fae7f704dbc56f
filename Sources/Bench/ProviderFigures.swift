import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TerrariumBase
import TerrariumRollout
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `terrarium-bench providers`: what a provider adds to one model call (request encoding,
/// admission gate, retry bookkeeping, response parsing, SSE reassembly) over a bare
/// URLSession POST of the same bytes to the same endpoint. The endpoint is a hummingbird
/// server in this process that answers at once with a canned Messages API reply, so the
/// difference is our overhead, not a model's latency.
struct ProviderFigures {
    let report: Report
    var iterations = 2000

    /// `terrarium-bench providers` runs these figures alone.
    static func runAlone(report: Report) async throws {
        print("terrarium-bench \(terrariumVersion): provider figures")
        try await ProviderFigures(report: report).run()
        print("\nsummary: \(report.figures.filter(\.pass).count) of \(report.figures.count) figures within target")
    }

    func run() async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "bench.providers")
        logger.logLevel = .critical
        let app = Application(responder: CannedModelAPI(),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let server = Task { try await app.run() }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw BenchFailure("the canned model endpoint did not start") }
        let base = "http://127.0.0.1:\(port)"
        print("\n[providers] canned Messages API on 127.0.0.1:\(port); \(iterations) calls each; load average now \(Self.loadAverage())")

        let request = ModelRequest(model: "claude-sonnet-4-5", system: "You are Alex, the office assistant.",
                                   messages: (0..<6).map { i in
                                       Message(role: i % 2 == 0 ? .user : .assistant, content: [.text(String(repeating: "word ", count: 60))])
                                   },
                                   tools: (0..<12).map { ToolSpec(name: "tool_\($0)", description: "A tool.", inputSchema: ["type": "object"]) },
                                   maxTokens: 1024)
        for stream in [false, true] {
            let configuration = ProviderConfiguration(kind: "anthropic", model: "claude-sonnet-4-5", baseURL: URL(string: base)!,
                                                      apiKey: "bench", stream: stream)
            let provider = AnthropicProvider(configuration: configuration)
            let bare = BarePost(url: URL(string: base + "/v1/messages")!)
            // The baseline posts exactly the bytes the provider sends.
            let bytes = try await provider.complete(request).requestBody.canonicalBytes()
            for _ in 0..<100 { _ = try await provider.complete(request); _ = await bare.post(bytes) }
            // CPU per call (client and server, both in this process) does not depend on
            // what else the machine runs; wall times do.
            var cpu = cpuSeconds()
            let providerTimes = try await sampleAsync(iterations) { _ = try await provider.complete(request) }
            let providerCPU = (cpuSeconds() - cpu) / Double(iterations)
            cpu = cpuSeconds()
            let bareTimes = await sampleAsync(iterations) { _ = await bare.post(bytes) }
            let bareCPU = (cpuSeconds() - cpu) / Double(iterations)
            let p50 = percentile(providerTimes, 0.5), p99 = percentile(providerTimes, 0.99)
            let b50 = percentile(bareTimes, 0.5), b99 = percentile(bareTimes, 0.99)
            let label = stream ? "streamed (SSE, 19 events)" : "JSON body"
            report.add(Figure(name: "AnthropicProvider.complete, \(label), p50 (p99 \(ms(p99)))", value: ms(p50),
                              target: "overhead < 1 ms", pass: p50 - b50 < 0.001,
                              baseline: "bare URLSession POST p50 \(ms(b50)) (p99 \(ms(b99))); ratio \(ratio(p50, b50)), overhead \(µs(p50 - b50)); "
                                  + "CPU per call \(µs(providerCPU)) vs \(µs(bareCPU)) (+\(µs(providerCPU - bareCPU)))"))
        }
    }

    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// The baseline: one URLSession POST, body collected, nothing parsed.
struct BarePost: @unchecked Sendable {
    let url: URL
    let session = URLSession(configuration: .ephemeral)
    func post(_ body: [UInt8]) async -> Int {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        request.httpBody = Data(body)
        return await withCheckedContinuation { continuation in
            session.dataTask(with: request) { data, _, _ in continuation.resume(returning: data?.count ?? 0) }.resume()
        }
    }
}

/// Answers every POST at once: the SSE stream when the body asks for `"stream":true`,
/// else the same message as one JSON body.
struct CannedModelAPI: HTTPResponder {
    typealias Context = BasicRequestContext
    static let json = Array(#"{"id":"msg_b","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"thinking","thinking":"Plan the reply.","signature":"c2ln"},{"type":"text","text":"Sending it now."},{"type":"tool_use","id":"toolu_1","name":"send_email","input":{"to":"ceo@bramble.test","subject":"Summary"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":900,"output_tokens":60,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}"#.utf8)
    static let sse: [UInt8] = {
        let events = [
            #"message_start","message":{"id":"msg_b","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":900,"output_tokens":1}}"#,
            #"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}"#,
            #"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Plan "}"#,
            #"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"the reply."}"#,
            #"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"c2ln"}"#,
            #"content_block_stop","index":0"#,
            #"content_block_start","index":1,"content_block":{"type":"text","text":""}"#,
            #"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Sending "}"#,
            #"content_block_delta","index":1,"delta":{"type":"text_delta","text":"it now."}"#,
            #"content_block_stop","index":1"#,
            #"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_1","name":"send_email","input":{}}"#,
            #"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"to\":\"ceo@"}"#,
            #"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"bramble.test\","}"#,
            #"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\"subject\":\"Summary\"}"}"#,
            #"content_block_stop","index":2"#,
            #"ping""#,
            #"ping""#,
            #"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":60}"#,
            #"message_stop""#,
        ]
        return Array(events.map { e in
            let name = e.prefix { $0 != "\"" }
            return "event: \(name)\ndata: {\"type\":\"\(e)}\n\n"
        }.joined().utf8)
    }()

    func respond(to request: Request, context: Context) async throws -> Response {
        var buffer = try await request.body.collect(upTo: 1 << 22)
        let body = buffer.readBytes(length: buffer.readableBytes) ?? []
        let streamed = String(decoding: body, as: UTF8.self).contains(#""stream":true"#)
        return Response(status: .ok, headers: [.contentType: streamed ? "text/event-stream" : "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: streamed ? Self.sse : Self.json)))
    }
}
