#if canImport(Glibc)
import Glibc
#endif

/// A small blocking HTTP/1.1 client over one keep-alive TCP connection to 127.0.0.1. The
/// test suite and `terrarium-bench hosting` use it: it sends exactly the bytes it is given
/// (malformed requests included) and measures without a client library in the way.
public final class LoopbackHTTPClient {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case connect(Int32), io(String), malformed(String)
        public var description: String {
            switch self {
            case .connect(let e): return "connect failed (errno \(e))"
            case .io(let m): return "i/o: \(m)"
            case .malformed(let m): return "malformed response: \(m)"
            }
        }
    }

    let port: Int
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []

    /// How long to wait for a response before giving up (nil: forever). A fuzzer sets it:
    /// a mangled request whose declared body never arrives is rightly left waiting by the
    /// server, and the client must not wait with it.
    public var receiveTimeout: Double?

    public init(port: Int) { self.port = port }
    deinit { if fd >= 0 { close(fd) } }

    private func connectIfNeeded() throws(Failure) {
        guard fd < 0 else { return }
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw .connect(errno) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { let e = errno; close(s); throw .connect(e) }
        var one: Int32 = 1
        setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        fd = s
        buffer = []
    }

    public func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
        buffer = []
    }

    /// Sends a request built from its parts (Content-Length added for a body).
    public func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil)
        throws(Failure) -> Response
    {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if let body { bytes += body }
        return try raw(bytes)
    }

    public func request(_ method: String, _ path: String, headers: [(String, String)] = [], json: String) throws(Failure) -> Response {
        try request(method, path, headers: [("Content-Type", "application/json")] + headers, body: Array(json.utf8))
    }

    /// Sends `bytes` as they are and reads one response.
    public func raw(_ bytes: [UInt8]) throws(Failure) -> Response {
        try connectIfNeeded()
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { let e = errno; disconnect(); throw .io("send: errno \(e)") }
            offset += n
        }
        if let t = receiveTimeout {
            var tv = timeval(tv_sec: Int(t), tv_usec: Int((t - Double(Int(t))) * 1_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        }
        do {
            let response = try readResponse()
            if response.header("Connection")?.lowercased() == "close" { disconnect() }
            return response
        } catch {
            disconnect()
            throw error
        }
    }

    private func fill() throws(Failure) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw .io(n == 0 ? "connection closed" : "recv: errno \(errno)") }
        buffer.append(contentsOf: chunk[0..<n])
    }

    private func readLine() throws(Failure) -> String {
        while true {
            if let i = buffer.firstIndex(of: 0x0A) {
                let line = buffer[..<i].last == 0x0D ? buffer[..<(i - 1)] : buffer[..<i]
                let text = String(decoding: line, as: UTF8.self)
                buffer.removeFirst(i + 1)
                return text
            }
            try fill()
        }
    }

    private func readExactly(_ n: Int) throws(Failure) -> [UInt8] {
        while buffer.count < n { try fill() }
        let out = Array(buffer[..<n])
        buffer.removeFirst(n)
        return out
    }

    private func readResponse() throws(Failure) -> Response {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw .malformed("status line \"\(statusLine)\"")
        }
        var headers: [(String, String)] = []
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw .malformed("header \"\(line)\"") }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmedSpaces))
        }
        let response = Response(status: status, headers: headers, body: [])
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            var body: [UInt8] = []
            while true {
                let sizeLine = try readLine()
                guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else { throw .malformed("chunk size \"\(sizeLine)\"") }
                if size == 0 { _ = try readLine(); break }
                body += try readExactly(size)
                _ = try readLine()
            }
            return Response(status: status, headers: headers, body: body)
        }
        let length = response.header("Content-Length").flatMap { Int($0) } ?? 0
        return Response(status: status, headers: headers, body: try readExactly(length))
    }
}

extension String {
    var trimmedSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
