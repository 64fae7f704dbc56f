import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumHosting
import TerrariumServer

/// `terrarium serve` end to end over loopback: each test starts its own server on a free port.
extension LiveServerTests {
@Suite struct HTTPServerTests {
    func json(_ r: LoopbackHTTPClient.Response) throws -> JSON { try JSON.parse(r.body) }

    @Test func createCallEventsDelete() async throws {
        try await withServer { port, _ in
            let c = LoopbackHTTPClient(port: port)
            let created = try c.request("POST", "/episodes", json: #"{"scenario":"bramble-office","seed":7}"#)
            #expect(created.status == 201)
            let body = try json(created)
            let id = body["id"]?.stringValue ?? ""
            #expect(id.count == 32 && id.allSatisfy { $0.isHexDigit })
            #expect(body["mcpUrl"]?.stringValue == "http://127.0.0.1:\(port)/episodes/\(id)/mcp")
            #expect(body["seed"] == "7")
            #expect(body["tools"] == JSON(ToolCatalog.builtInNames))

            let call = try c.request("POST", "/episodes/\(id)/call", json: #"{"tool":"write_file","arguments":{"path":"hello.txt","content":"hi"}}"#)
            #expect(call.status == 200)
            #expect(try json(call)["isError"] == false)
            #expect(try json(call)["calledSeq"] == 2)
            let mistake = try c.request("POST", "/episodes/\(id)/call", json: #"{"tool":"read_file","arguments":{"path":"nope.txt"}}"#)
            #expect(try json(mistake)["isError"] == true)

            let events = try json(c.request("GET", "/episodes/\(id)/events"))
            let kinds = events["events"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []
            #expect(kinds == ["episode.started", "tool.called", "clock.advanced", "file.created", "tool.result",
                              "tool.called", "clock.advanced", "tool.result"])
            #expect(events["lastSeq"] == 8)
            let later = try json(c.request("GET", "/episodes/\(id)/events?since=6"))
            #expect(later["events"]?.arrayValue?.compactMap { $0["seq"]?.intValue } == [7, 8])

            let state = try json(c.request("GET", "/episodes/\(id)/state"))
            #expect(state["seq"] == 8)
            #expect(state["stateHash"]?.stringValue?.hasPrefix("sha256:") == true)

            let deleted = try c.request("DELETE", "/episodes/\(id)")
            #expect(deleted.status == 200)
            let gone = try c.request("GET", "/episodes/\(id)")
            #expect(gone.status == 404)
            #expect(gone.text == #"{"error":{"code":"unknown_episode","message":"no live episode \"\#(id)\" (it may have been deleted or reaped)"}}"#)
        }
    }

    @Test func mcpOverStreamableHTTP() async throws {
        try await withServer { port, _ in
            let id = try await createEpisode(port)
            let c = LoopbackHTTPClient(port: port)
            let accept = ("Accept", "application/json, text/event-stream")
            let initialize = try c.request("POST", "/episodes/\(id)/mcp", headers: [accept],
                json: #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{}}}"#)
            #expect(initialize.status == 200)
            #expect(initialize.header("Content-Type") == "application/json")
            #expect(try json(initialize)["result"]?["protocolVersion"] == "2025-06-18")
            let note = try c.request("POST", "/episodes/\(id)/mcp", headers: [accept, ("MCP-Protocol-Version", "2025-06-18")],
                                     json: #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
            #expect(note.status == 202 && note.body.isEmpty)
            let call = try c.request("POST", "/episodes/\(id)/mcp", headers: [accept, ("MCP-Protocol-Version", "2025-06-18")],
                json: #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_files","arguments":{"path":"notes"}}}"#)
            #expect(try json(call)["result"]?["isError"] == false)
            let badVersion = try c.request("POST", "/episodes/\(id)/mcp", headers: [("MCP-Protocol-Version", "1999-01-01")],
                                           json: #"{"jsonrpc":"2.0","id":3,"method":"ping"}"#)
            #expect(badVersion.status == 400)
            #expect(badVersion.text == #"{"error":{"code":-32600,"message":"Bad Request: unsupported MCP-Protocol-Version \"1999-01-01\"; supported: 2025-06-18, 2025-03-26, 2024-11-05"},"id":null,"jsonrpc":"2.0"}"#)
            let get = try c.request("GET", "/episodes/\(id)/mcp", headers: [("Accept", "text/event-stream")])
            #expect(get.status == 405 && get.header("Allow") == "POST")
            let evil = try c.request("POST", "/episodes/\(id)/mcp", headers: [("Origin", "https://evil.example")],
                                     json: #"{"jsonrpc":"2.0","id":4,"method":"ping"}"#)
            #expect(evil.status == 403)
            let local = try c.request("POST", "/episodes/\(id)/mcp", headers: [("Origin", "http://localhost:3000")],
                                      json: #"{"jsonrpc":"2.0","id":5,"method":"ping"}"#)
            #expect(local.text == #"{"id":5,"jsonrpc":"2.0","result":{}}"#)
            let notJSON = try c.request("POST", "/episodes/\(id)/mcp", headers: [("Accept", "text/html")],
                                        json: #"{"jsonrpc":"2.0","id":6,"method":"ping"}"#)
            #expect(notJSON.status == 406)
            let parse = try c.request("POST", "/episodes/\(id)/mcp", json: "{nope")
            #expect(parse.status == 200)
            #expect(parse.text == #"{"error":{"code":-32700,"message":"Parse error: invalid JSON at byte 1: expected a string key"},"id":null,"jsonrpc":"2.0"}"#)
            let unknownEpisode = try c.request("POST", "/episodes/0123/mcp", json: #"{"jsonrpc":"2.0","id":7,"method":"ping"}"#)
            #expect(unknownEpisode.status == 404)
        }
    }

    @Test func tokenIsRequiredEverywhere() async throws {
        try await withServer(token: "s3cret") { port, _ in
            let c = LoopbackHTTPClient(port: port)
            let none = try c.request("GET", "/health")
            #expect(none.status == 401)
            #expect(none.header("WWW-Authenticate") == "Bearer")
            #expect(none.text == #"{"error":{"code":"unauthorized","message":"this server needs \"Authorization: Bearer TOKEN\""}}"#)
            let wrong = try c.request("POST", "/episodes", headers: [("Authorization", "Bearer s3cre")], json: #"{"scenario":"bramble-office"}"#)
            #expect(wrong.status == 401)
            #expect(wrong.text == #"{"error":{"code":"unauthorized","message":"the bearer token is not valid"}}"#)
            let right = try c.request("GET", "/health", headers: [("Authorization", "Bearer s3cret")])
            #expect(right.status == 200)
            #expect(try json(right)["live"] == 0)
        }
    }

    @Test func capacityIsEnforcedWithRetryAfter() async throws {
        try await withServer(capacity: 2) { port, _ in
            _ = try await createEpisode(port)
            let second = try await createEpisode(port)
            let c = LoopbackHTTPClient(port: port)
            let full = try c.request("POST", "/episodes", json: #"{"scenario":"bramble-office"}"#)
            #expect(full.status == 429)
            #expect(full.header("Retry-After") == "5")
            #expect(full.text == #"{"error":{"code":"full","message":"the server is full (2 live episodes); retry after 5 s or delete episodes"}}"#)
            let group = try c.request("POST", "/groups", json: #"{"scenario":"bramble-office","count":1}"#)
            #expect(group.status == 429)
            _ = try c.request("DELETE", "/episodes/\(second)")
            let health = try json(c.request("GET", "/health"))
            #expect(health["live"] == 1 && health["available"] == 1)
            #expect(try c.request("POST", "/episodes", json: #"{"scenario":"bramble-office"}"#).status == 201)
        }
    }

    @Test func idempotencyKeysAndGroups() async throws {
        try await withServer { port, _ in
            let c = LoopbackHTTPClient(port: port)
            let a = try c.request("POST", "/episodes", headers: [("Idempotency-Key", "k1")], json: #"{"scenario":"bramble-office","seed":1}"#)
            let b = try c.request("POST", "/episodes", json: #"{"scenario":"bramble-office","seed":1,"idempotencyKey":"k1"}"#)
            #expect(a.status == 201 && b.status == 200)
            #expect(try json(a)["id"] == json(b)["id"])
            let other = try c.request("POST", "/episodes", headers: [("Idempotency-Key", "k1")], json: #"{"scenario":"bramble-office","seed":2}"#)
            #expect(other.status == 409)
            #expect(other.text == #"{"error":{"code":"conflict","message":"idempotency key \"k1\" was used for a different request"}}"#)

            let group = try c.request("POST", "/groups", json: #"{"scenario":"bramble-office","seed":3,"count":4}"#)
            #expect(group.status == 201)
            let episodes = try json(group)["episodes"]?.arrayValue ?? []
            #expect(Set(episodes.compactMap { $0["id"]?.stringValue }).count == 4)
            // Same scenario and seed: the group starts from one state.
            var hashes: Set<String> = []
            for e in episodes {
                hashes.insert(try json(c.request("GET", "/episodes/\(e["id"]?.stringValue ?? "")/state"))["stateHash"]?.stringValue ?? "")
            }
            #expect(hashes.count == 1)
            let tooMany = try c.request("POST", "/groups", json: #"{"scenario":"bramble-office","count":1000}"#)
            #expect(tooMany.text == #"{"error":{"code":"bad_request","message":"field \"count\" must be an integer from 1 to 256"}}"#)
        }
    }

    @Test func snapshotsAndForks() async throws {
        try await withServer { port, _ in
            let id = try await createEpisode(port)
            let c = LoopbackHTTPClient(port: port)
            _ = try c.request("POST", "/episodes/\(id)/call", json: #"{"tool":"write_file","arguments":{"path":"a.txt","content":"A"}}"#)
            let snap = try json(c.request("POST", "/episodes/\(id)/snapshot"))
            #expect(snap["seq"] == 5)
            _ = try c.request("POST", "/episodes/\(id)/call", json: #"{"tool":"write_file","arguments":{"path":"b.txt","content":"B"}}"#)

            func files(_ episode: String) throws -> [String] {
                let r = try json(c.request("POST", "/episodes/\(episode)/call", json: #"{"tool":"list_files","arguments":{}}"#))
                return (r["data"]?["entries"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue }.filter { $0.hasSuffix(".txt") }
            }
            let fromSnapshot = try c.request("POST", "/episodes/\(id)/fork", json: #"{"snapshot":"\#(snap["snapshot"]?.stringValue ?? "")"}"#)
            #expect(fromSnapshot.status == 201)
            let f1 = try json(fromSnapshot)["id"]?.stringValue ?? ""
            #expect(try files(f1) == ["a.txt"])
            let atSeq = try c.request("POST", "/episodes/\(id)/fork", json: #"{"seq":1}"#)
            #expect(try files(json(atSeq)["id"]?.stringValue ?? "") == [])
            let now = try c.request("POST", "/episodes/\(id)/fork")
            #expect(try files(json(now)["id"]?.stringValue ?? "") == ["a.txt", "b.txt"])
            #expect(try files(id) == ["a.txt", "b.txt"])
            let bad = try c.request("POST", "/episodes/\(id)/fork", json: #"{"seq":999}"#)
            #expect(bad.status == 400)
            let unknown = try c.request("POST", "/episodes/\(id)/fork", json: #"{"snapshot":"snap-x"}"#)
            #expect(unknown.text == #"{"error":{"code":"unknown_snapshot","message":"no snapshot \"snap-x\" of this episode"}}"#)
        }
    }

    @Test func bodyLimitsAndTheServerKeepsServing() async throws {
        try await withServer(maxBody: 1000) { port, _ in
            let id = try await createEpisode(port)
            let c = LoopbackHTTPClient(port: port)
            let big = String(repeating: "x", count: 5000)
            let r = try c.request("POST", "/episodes/\(id)/call", json: #"{"tool":"write_file","arguments":{"path":"big.txt","content":"\#(big)"}}"#)
            #expect(r.status == 413)
            #expect(r.text == #"{"error":{"code":"too_large","message":"the body is 5065 bytes; the limit is 1000"}}"#)
            let d = LoopbackHTTPClient(port: port)
            #expect(try d.request("GET", "/health").status == 200)
        }
    }

    @Test func toolFormatsAndOpenAPI() async throws {
        try await withServer { port, _ in
            let id = try await createEpisode(port)
            let c = LoopbackHTTPClient(port: port)
            for format in ToolSchemaFormat.allCases {
                let r = try json(c.request("GET", "/episodes/\(id)/tools?format=\(format.rawValue)"))
                #expect(r["tools"] == format.render(ToolCatalog.builtIn))
                let s = try json(c.request("GET", "/tools?scenario=bramble-office&format=\(format.rawValue)"))
                #expect(s["tools"] == format.render(ToolCatalog.builtIn))
            }
            let badFormat = try c.request("GET", "/episodes/\(id)/tools?format=xml")
            #expect(badFormat.text == #"{"error":{"code":"bad_request","message":"format must be mcp, anthropic or openai, got \"xml\""}}"#)
            let served = try c.request("GET", "/openapi.yaml")
            let file = try String(contentsOfFile: repositoryRoot + "/docs/openapi.yaml", encoding: .utf8)
            #expect(served.text == file, "docs/openapi.yaml and Sources/Server/OpenAPIDocument.swift differ")
            #expect(try json(c.request("GET", "/scenarios"))["scenarios"]
                == ["alert-override", "bramble-office", "design-leak", "monitor-config", "replacement-blackmail", "weights-exfiltration"])
        }
    }

    @Test func idleEpisodesAreReaped() async throws {
        try await withServer(idle: .milliseconds(300)) { port, server in
            let id = try await createEpisode(port)
            #expect(server.host.liveCount == 1)
            try await Task.sleep(for: .milliseconds(900))
            #expect(server.host.liveCount == 0)
            let r = try LoopbackHTTPClient(port: port).request("GET", "/episodes/\(id)")
            #expect(r.status == 404)
        }
    }

    @Test func eventStreamFollowsTheEpisodeUntilItEnds() async throws {
        try await withServer { port, _ in
            let id = try await createEpisode(port)
            _ = try LoopbackHTTPClient(port: port).request("POST", "/episodes/\(id)/call", json: #"{"tool":"list_files","arguments":{}}"#)
            let stream = Task { try await blocking { try LoopbackHTTPClient(port: port).request("GET", "/episodes/\(id)/events/stream?since=1") } }
            try await Task.sleep(for: .milliseconds(300))
            _ = try LoopbackHTTPClient(port: port).request("POST", "/episodes/\(id)/call", json: #"{"tool":"list_emails","arguments":{}}"#)
            try await Task.sleep(for: .milliseconds(300))
            _ = try LoopbackHTTPClient(port: port).request("DELETE", "/episodes/\(id)")
            let r = try await stream.value
            #expect(r.header("Content-Type") == "text/event-stream")
            let ids = r.text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
            #expect(ids == ["2", "3", "4", "5", "6", "7", "8"] || ids == ["2", "3", "4", "5", "6", "7"], "\(r.text)")
            #expect(r.text.contains("event: end\ndata: {\"reason\":\"episode ended\""))
        }
    }

    /// A condition picks the rendered world: the same condition twice gives the same state,
    /// another condition another one; an unknown condition is refused with its name.
    @Test func createTakesAConditionAndVariables() async throws {
        try await withServer { port, _ in
            let c = LoopbackHTTPClient(port: port)
            func create(_ body: String) throws -> (Int, String) {
                let r = try c.request("POST", "/episodes", json: body)
                return (r.status, (try? JSON.parse(r.body)["id"]?.stringValue) ?? r.text)
            }
            func state(_ id: String) throws -> String { try c.request("GET", "/episodes/\(id)/state").text }
            let (s1, a) = try create(#"{"scenario":"design-leak","condition":"explicit.global.replacement"}"#)
            let (s2, b) = try create(#"{"scenario":"design-leak","condition":"explicit.global.replacement"}"#)
            let (s3, other) = try create(#"{"scenario":"design-leak","condition":"none.none.none"}"#)
            #expect(s1 == 201 && s2 == 201 && s3 == 201, "\(a) \(b) \(other)")
            let (sa, sb, so) = (try state(a), try state(b), try state(other))
            #expect(sa.replacingOccurrences(of: a, with: "ID") == sb.replacingOccurrences(of: b, with: "ID"))
            #expect(sa.replacingOccurrences(of: a, with: "ID") != so.replacingOccurrences(of: other, with: "ID"))
            let (bad, text) = try create(#"{"scenario":"design-leak","condition":"explicit.global.nope"}"#)
            #expect(bad == 422)
            #expect(text.contains("explicit.global.nope"), "\(text)")
        }
    }

    @Test func badRequestsGetSpecificErrors() async throws {
        try await withServer { port, _ in
            let c = LoopbackHTTPClient(port: port)
            let cases: [(String, String, String?, Int, String)] = [
                ("POST", "/episodes", "[1]", 400, #"{"error":{"code":"bad_request","message":"the body must be a JSON object, got array"}}"#),
                ("POST", "/episodes", "{", 400, #"{"error":{"code":"invalid_json","message":"the body is not valid JSON: invalid JSON at byte 1: expected a string key"}}"#),
                ("POST", "/episodes", #"{"scenario":5}"#, 400, #"{"error":{"code":"bad_request","message":"field \"scenario\" must be a string, got integer"}}"#),
                ("POST", "/episodes", #"{"scenario":"bramble-office","sed":1}"#, 400, #"{"error":{"code":"bad_request","message":"unknown field \"sed\"; expected: condition, idempotencyKey, scenario, seed, variables"}}"#),
                ("POST", "/episodes", #"{"scenario":"../etc"}"#, 404, #"{"error":{"code":"unknown_scenario","message":"unknown scenario \"../etc\"; available: alert-override, bramble-office, design-leak, monitor-config, replacement-blackmail, weights-exfiltration"}}"#),
                ("POST", "/episodes", #"{"scenario":"bramble-office","seed":-1}"#, 400, #"{"error":{"code":"bad_request","message":"field \"seed\" must be a non-negative integer, got -1"}}"#),
                ("POST", "/episodes", #"{"scenario":"bramble-office","variables":{"x":[1]}}"#, 400, #"{"error":{"code":"bad_request","message":"variable \"x\" must be a string, number or boolean, got array"}}"#),
                ("POST", "/episodes", #"{"scenario":"bramble-office","condition":7}"#, 400, #"{"error":{"code":"bad_request","message":"field \"condition\" must be a condition id such as explicit.america.replacement"}}"#),
                ("GET", "/episodes", nil, 405, #"{"error":{"code":"method_not_allowed","message":"GET is not allowed here; allowed: POST"}}"#),
                ("GET", "/nowhere", nil, 404, #"{"error":{"code":"not_found","message":"no route GET /nowhere; see GET /openapi.yaml"}}"#),
                ("GET", "/episodes/ffff/state", nil, 404, #"{"error":{"code":"unknown_episode","message":"no live episode \"ffff\" (it may have been deleted or reaped)"}}"#),
            ]
            for (method, path, body, status, text) in cases {
                let r = body.map { b in Result { try c.request(method, path, json: b) } } ?? Result { try c.request(method, path) }
                let response = try r.get()
                #expect(response.status == status, "\(method) \(path) \(body ?? "")")
                #expect(response.text == text, "\(method) \(path) \(body ?? "")")
            }
            let id = try await createEpisode(port)
            let callCases: [(String, Int, String)] = [
                (#"{"tool":"nope"}"#, 404, #"{"error":{"code":"unknown_tool","message":"unknown tool \"nope\"; available tools: \#(ToolCatalog.builtInNames.joined(separator: ", "))"}}"#),
                (#"{"tool":1}"#, 400, #"{"error":{"code":"bad_request","message":"field \"tool\" must be a string naming one of: \#(ToolCatalog.builtInNames.joined(separator: ", "))"}}"#),
                (#"{"tool":"read_file","arguments":[]}"#, 400, #"{"error":{"code":"bad_request","message":"field \"arguments\" must be an object, got array"}}"#),
                (#"{"tool":"read_file","args":{}}"#, 400, #"{"error":{"code":"bad_request","message":"unknown field \"args\"; expected: tool, arguments"}}"#),
            ]
            for (body, status, text) in callCases {
                let r = try c.request("POST", "/episodes/\(id)/call", json: body)
                #expect(r.status == status, "\(body)")
                #expect(r.text == text, "\(body)")
            }
        }
    }
}
}
