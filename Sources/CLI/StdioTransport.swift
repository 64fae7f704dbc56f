import Foundation
import TerrariumBase
import TerrariumHosting

/// MCP's stdio transport: newline-delimited JSON-RPC on stdin, replies on stdout, nothing
/// else on stdout. Lines are read on their own thread so a blocked read never holds one of
/// the few cooperative threads; messages are handled one at a time, in order.
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
        for await line in lines {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let reply = await session.handle(line) else { continue }
            var bytes = reply.canonicalBytes()
            bytes.append(0x0A)
            write(bytes)
        }
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
