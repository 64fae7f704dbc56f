import Foundation
import Testing
import TerrariumBase
import TerrariumServer

/// Thousands of random and mutated requests: every one gets an answer that is not a
/// server error, and the server keeps serving a well-formed client afterwards.
extension LiveServerTests {
@Suite struct FuzzTests {

    static let seeds: [String] = [
        #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{}}}"#,
        #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
        #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"notes/todo.md"}}}"#,
        #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"send_email","arguments":{"to":["dana.whitfield@bramble-analytics.com"],"subject":"s","body":"b"}}}"#,
        #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"list_emails","arguments":{"limit":3}}}"#,
        #"[{"jsonrpc":"2.0","id":6,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"}]"#,
        #"{"tool":"write_file","arguments":{"path":"f.txt","content":"x"}}"#,
        #"{"tool":"search_emails","arguments":{"query":"invoice"}}"#,
        #"{"scenario":"bramble-office","seed":3}"#,
    ]

    static func mutate(_ s: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var b = s
        let tokens: [[UInt8]] = ["null", "[]", "{}", "\"\"", "-1", "1e999", "\"\\u0000\"", "true", "{\"a\":", "]]]]"].map { Array($0.utf8) }
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !b.isEmpty else { b = tokens.randomElement(using: &rng)!; continue }
            let i = Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: b[i] = UInt8.random(in: 0...255, using: &rng)
            case 1: b.remove(at: i)
            case 2: b.insert(contentsOf: tokens.randomElement(using: &rng)!, at: i)
            case 3: b = Array(b[..<i])
            case 4: b.insert(contentsOf: b[i..<min(b.count, i + 8)], at: i)
            default: b[i] = [UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ","), UInt8(ascii: ":")].randomElement(using: &rng)!
            }
        }
        return b
    }

    /// It once hung: a mangled raw request can declare a body longer than it sends, and the
    /// server rightly waits for the rest while the client waited for an answer. Raw requests
    /// now give up after 0.5 s (counted as unanswered); well-formed ones get 20 s.
    @Test func thousandsOfBadRequestsNeverBreakTheServer() async throws {
        try await withServer(capacity: 400, maxBody: 4096) { port, server in
            let id = try await createEpisode(port)
            let statuses = try await blocking { () throws -> [Int: Int] in
                var rng = SeededRandom(seed: 20261129)
                var counts: [Int: Int] = [:]
                let c = LoopbackHTTPClient(port: port)
                c.receiveTimeout = 20
                let paths = ["/episodes/\(id)/mcp", "/episodes/\(id)/call", "/episodes", "/groups", "/episodes/\(id)/fork",
                             "/episodes/\(id)/events?since=x", "/episodes/\(String(repeating: "f", count: 32))/mcp", "/tools?format=%ZZ"]
                for n in 0..<3000 {
                    let response: LoopbackHTTPClient.Response
                    if n % 10 == 9 {
                        // Raw garbage or a mangled request line / headers.
                        var raw = Array("POST /episodes/\(id)/mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n{}{}{".utf8)
                        raw = Self.mutate(raw, &rng)
                        if n % 20 == 19 { raw = (0..<Int.random(in: 1...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } }
                        raw += Array("\r\n\r\n".utf8)
                        c.receiveTimeout = 0.5
                        defer { c.receiveTimeout = 20 }
                        guard let r = try? c.raw(raw) else { c.disconnect(); counts[0, default: 0] += 1; continue }
                        response = r
                        c.disconnect()
                    } else {
                        let body = Self.mutate(Array(Self.seeds.randomElement(using: &rng)!.utf8), &rng)
                        let path = paths.randomElement(using: &rng)!
                        let method = ["POST", "POST", "POST", "GET", "DELETE", "PUT"].randomElement(using: &rng)!
                        var headers: [(String, String)] = [("Content-Type", "application/json")]
                        if n % 7 == 0 { headers.append(("MCP-Protocol-Version", ["2025-03-26", "bogus", "2025-06-18"].randomElement(using: &rng)!)) }
                        if n % 11 == 0 { headers.append(("Authorization", "Bearer nope")) }
                        let bigBody = n % 50 == 0 ? body + [UInt8](repeating: 0x20, count: 5000) : body
                        guard let r = try? c.request(method, path, headers: headers, body: method == "GET" ? nil : bigBody) else {
                            c.disconnect(); counts[-1, default: 0] += 1; continue
                        }
                        response = r
                    }
                    counts[response.status, default: 0] += 1
                    if response.status >= 500 {
                        Issue.record("server error \(response.status): \(response.text)")
                    }
                }
                return counts
            }
            // 0: raw garbage left unanswered (the server waits for bytes that never come, or
            // closes); -1: a fuzzed ordinary request that got no answer at all.
            let answered = statuses.filter { $0.key > 0 }.values.reduce(0, +)
            #expect(statuses[0, default: 0] <= 300, "\(statuses)")
            #expect(statuses[-1, default: 0] < 30, "\(statuses)")
            #expect(answered > 2600, "\(statuses)")
            #expect(statuses[200, default: 0] > 100 && statuses[400, default: 0] > 100, "\(statuses)")
            // Still serving, and the fuzzed episode is intact and still recordable.
            let c = LoopbackHTTPClient(port: port)
            #expect(try c.request("GET", "/health").status == 200)
            let r = try c.request("POST", "/episodes/\(id)/call", json: #"{"tool":"list_files","arguments":{}}"#)
            #expect(r.status == 200)
            #expect(try JSON.parse(r.body)["isError"] == false)
            _ = server
        }
    }
}
}
