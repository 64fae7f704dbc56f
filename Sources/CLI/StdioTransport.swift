import Foundation
import Synchronization
import TerrariumBase
import TerrariumHosting

/// MCP's stdio transport: newline-delimited JSON-RPC on stdin, replies on stdout, nothing
/// else on stdout. Lines are read on their own thread so a blocked read never holds one of
/// the few cooperative threads.
///
/// Tool calls go to one lane and run there one after another, in the order they came
/// (the order the episode records them in); every other message — `ping`, `tools/list`,
/// `notifications/cancelled` — is answered at once, even while a slow shell command runs.
/// Replies therefore may come out of order, as JSON-RPC allows: each carries its id.
enum StdioTransport {
    static func serve(_ initial: MCPSession) async throws {
        var session = initial
        let lines = AsyncStream<[UInt8]> { continuation in
            let reader = Thread {
                while let line = readLine(strippingNewline: true) {
                    continuation.yield(Array(line.utf8))
                }
                continuation.finish()
            }
            reader.start()
        }
        let lane = CallLane()
        let (calls, enqueue) = AsyncStream<(session: MCPSession, message: JSON)>.makeStream()
        let worker = Task {
            for await call in calls {
                var s = call.session
                let id = call.message["id"]
                if let id, lane.wasCancelled(id) { continue }
                let reply = await s.handle(message: call.message)
                // A request cancelled while it ran gets no response (MCP, "Cancellation").
                if let id, lane.finish(id) { continue }
                if let reply { write(reply) }
            }
        }
        for await line in lines {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let message = try? JSON.parse(line) else {
                if let reply = await session.handle(line) { write(reply) }  // the parse error
                continue
            }
            if callsATool(message) {
                // A snapshot of the session as it is now: a call sent before `initialize`
                // is refused as it would have been in order.
                if let id = message["id"] { lane.enqueue(id) }
                enqueue.yield((session, message))
                continue
            }
            if message["method"]?.stringValue == "notifications/cancelled", let id = message["params"]?["requestId"] {
                lane.cancel(id)
            }
            if let reply = await session.handle(message: message) { write(reply) }
        }
        enqueue.finish()
        await worker.value
    }

    /// A `tools/call` request, or a batch holding one: it goes to the lane, in order.
    static func callsATool(_ message: JSON) -> Bool {
        switch message {
        case .object: return message["method"]?.stringValue == "tools/call"
        case .array(let items): return items.contains { $0["method"]?.stringValue == "tools/call" }
        default: return false
        }
    }

    private static let outputLock = Mutex(())

    /// One reply, one line; the lane and the reader never interleave their bytes.
    static func write(_ reply: JSON) {
        var bytes = reply.canonicalBytes()
        bytes.append(0x0A)
        outputLock.withLock { _ in write(bytes) }
    }

    static func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}

/// The ids of tool calls queued or running in the lane, and which of them the client
/// cancelled. A cancellation of an id that is not pending (done, unknown) is ignored.
final class CallLane: Sendable {
    private let state = Mutex<(pending: Set<JSON>, cancelled: Set<JSON>)>(([], []))

    func enqueue(_ id: JSON) { state.withLock { _ = $0.pending.insert(id) } }

    func cancel(_ id: JSON) {
        state.withLock { s in if s.pending.contains(id) { s.cancelled.insert(id) } }
    }

    /// Before a call starts: true (and forgotten) when it was cancelled while queued.
    func wasCancelled(_ id: JSON) -> Bool {
        state.withLock { s in
            guard s.cancelled.remove(id) != nil else { return false }
            s.pending.remove(id)
            return true
        }
    }

    /// After a call: forgets it; true when it was cancelled while it ran.
    func finish(_ id: JSON) -> Bool {
        state.withLock { s in
            s.pending.remove(id)
            return s.cancelled.remove(id) != nil
        }
    }
}
