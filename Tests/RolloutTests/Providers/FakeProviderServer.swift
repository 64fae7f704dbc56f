import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TerrariumBase

/// A scripted model API on 127.0.0.1 for tests (providers here; the loop and the judge in
/// the other suites). Each path has a queue of responses, served in order; every request
/// is recorded (method, path, headers, body). Responses are given as the provider's
/// documented wire bytes: JSON bodies, SSE streams, error bodies with retry headers, a
/// stream that stops before its final event, or a body cut by dropping the connection.
final class FakeProviderServer: Sendable {
    struct Reply: Sendable {
        var status: Int = 200
        var headers: [(String, String)] = []
        var chunks: [[UInt8]] = []
        /// Drop the connection after the chunks (no proper end of body).
        var dropConnection = false
        /// Wait this long before answering.
        var delay: Duration?

        static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("content-type", "application/json")] + headers, chunks: [Array(text.utf8)])
        }
        static func json(_ value: JSON, status: Int = 200, headers: [(String, String)] = []) -> Reply {
            json(value.canonicalString(), status: status, headers: headers)
        }
        /// An SSE stream; each element is one event's text (`event: x\ndata: {...}`), sent
        /// as its own chunk followed by the blank line.
        static func sse(_ events: [String], dropConnection: Bool = false) -> Reply {
            Reply(status: 200, headers: [("content-type", "text/event-stream"), ("cache-control", "no-cache")],
                  chunks: events.map { Array(($0 + "\n\n").utf8) }, dropConnection: dropConnection)
        }
    }

    struct Received: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: [UInt8]
        var json: JSON? { try? JSON.parse(body) }
    }

    actor State {
        var scripts: [String: [Reply]] = [:]
        var received: [Received] = []
        func add(_ path: String, _ replies: [Reply]) { scripts[path, default: []] += replies }
        func take(_ request: Received) -> Reply? {
            received.append(request)
            guard var queue = scripts[request.path], !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            scripts[request.path] = queue
            return first
        }
    }

    let port: Int
    let state: State
    private let task: Task<Void, any Error>

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, state: State, task: Task<Void, any Error>) { self.port = port; self.state = state; self.task = task }

    static func start() async throws -> FakeProviderServer {
        let state = State()
        var logger = Logger(label: "fake-provider")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(responder: Responder(state: state),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: logger)
        let task = Task { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw CancellationError() }
        return FakeProviderServer(port: port, state: state, task: task)
    }

    func script(_ path: String, _ replies: Reply...) async { await state.add(path, replies) }
    var requests: [Received] { get async { await state.received } }
    func stop() { task.cancel() }

    struct Responder: HTTPResponder {
        typealias Context = BasicRequestContext
        let state: State

        struct Dropped: Error {}

        func respond(to request: Request, context: Context) async throws -> Response {
            var buffer = try await request.body.collect(upTo: 16 << 20)
            let body = buffer.readBytes(length: buffer.readableBytes) ?? []
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let received = Received(method: request.method.rawValue, path: request.uri.path, headers: headers, body: body)
            guard let reply = await state.take(received) else {
                let text = #"{"error":{"type":"not_found","message":"no scripted response for \#(received.method) \#(received.path)"}}"#
                return Response(status: .notFound, headers: [.contentType: "application/json"],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(text.utf8))))
            }
            if let delay = reply.delay { try? await Task.sleep(for: delay) }
            var fields = HTTPFields()
            for (name, value) in reply.headers {
                if let n = HTTPField.Name(name) { fields[n] = value }
            }
            let status = HTTPResponse.Status(code: reply.status)
            if reply.chunks.count == 1 && !reply.dropConnection {
                return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.chunks[0])))
            }
            let chunks = reply.chunks, drop = reply.dropConnection
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                for chunk in chunks { try await writer.write(ByteBuffer(bytes: chunk)) }
                // Throwing from the body writer makes the server close the connection
                // mid-body: the client sees a transfer that never ended properly.
                if drop { throw Dropped() }
                try await writer.finish(nil)
            })
        }
    }
}

/// Runs `body` with a fresh fake server, stopped afterwards.
func withFakeProvider<T>(_ body: (FakeProviderServer) async throws -> T) async throws -> T {
    let server = try await FakeProviderServer.start()
    defer { server.stop() }
    return try await body(server)
}
