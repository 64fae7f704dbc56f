import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumHosting

/// The MCP core over plain bytes: every reply is compared as an exact canonical string.
@Suite struct MCPSessionTests {
    static func session() throws -> MCPSession {
        let episode = try Episode(scenario: try loadBramble())
        let host = EpisodeHost(configuration: HostConfiguration(environments: environmentsDirectory))
        return MCPSession(provider: host.adoptStandalone(episode, directory: nil))
    }

    static func initialized(_ version: String = "2025-06-18") async throws -> MCPSession {
        var s = try session()
        _ = await s.handle(Array(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"\#(version)","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#.utf8))
        #expect(await s.handle(Array(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.utf8)) == nil)
        return s
    }

    func reply(_ s: inout MCPSession, _ text: String) async -> String? {
        await s.handle(Array(text.utf8))?.canonicalString()
    }

    @Test func initializeNegotiatesTheVersion() async throws {
        var s = try Self.session()
        let known = await reply(&s, #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{}}}"#)
        #expect(known == #"{"id":1,"jsonrpc":"2.0","result":{"capabilities":{"tools":{"listChanged":false}},"protocolVersion":"2025-03-26","serverInfo":{"name":"terrarium","version":"\#(terrariumVersion)"}}}"#)
        var t = try Self.session()
        let unknown = await reply(&t, #"{"jsonrpc":"2.0","id":"a","method":"initialize","params":{"protocolVersion":"2099-01-01"}}"#)
        #expect(unknown == #"{"id":"a","jsonrpc":"2.0","result":{"capabilities":{"tools":{"listChanged":false}},"protocolVersion":"2025-06-18","serverInfo":{"name":"terrarium","version":"\#(terrariumVersion)"}}}"#)
        #expect(t.version == "2025-06-18")
        let again = await reply(&t, #"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"2025-06-18"}}"#)
        #expect(again == #"{"error":{"code":-32600,"message":"Invalid Request: the session is already initialized"},"id":2,"jsonrpc":"2.0"}"#)
    }

    @Test func requestsBeforeInitializeAreRefusedButPingWorks() async throws {
        var s = try Self.session()
        #expect(await reply(&s, #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#) == #"{"id":1,"jsonrpc":"2.0","result":{}}"#)
        #expect(await reply(&s, #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#)
                == #"{"error":{"code":-32600,"message":"Invalid Request: tools/list before initialize; send initialize first"},"id":2,"jsonrpc":"2.0"}"#)
        // An unknown method is "not found" in any state (newer clients probe with one).
        #expect(await reply(&s, #"{"jsonrpc":"2.0","id":3,"method":"server/discover","params":{}}"#)
                == #"{"error":{"code":-32601,"message":"Method not found: server/discover"},"id":3,"jsonrpc":"2.0"}"#)
    }

    @Test func everyProtocolErrorClass() async throws {
        var s = try await Self.initialized()
        let cases: [(String, String)] = [
            (#"{"jsonrpc":"2.0","id":1,"method":"tools/list""#,
             #"{"error":{"code":-32700,"message":"Parse error: invalid JSON at byte 45: unexpected end of input in an object"},"id":null,"jsonrpc":"2.0"}"#),
            (#"[1,2"#, #"{"error":{"code":-32700,"message":"Parse error: invalid JSON at byte 4: unexpected end of input in an array"},"id":null,"jsonrpc":"2.0"}"#),
            (#""hello""#, #"{"error":{"code":-32600,"message":"Invalid Request: a message must be a JSON object, got string"},"id":null,"jsonrpc":"2.0"}"#),
            (#"{"jsonrpc":"1.0","id":4,"method":"ping"}"#, #"{"error":{"code":-32600,"message":"Invalid Request: \"jsonrpc\" must be \"2.0\""},"id":4,"jsonrpc":"2.0"}"#),
            (#"{"jsonrpc":"2.0","id":5}"#, #"{"error":{"code":-32600,"message":"Invalid Request: missing \"method\""},"id":5,"jsonrpc":"2.0"}"#),
            (#"{"jsonrpc":"2.0","id":6,"method":7}"#, #"{"error":{"code":-32600,"message":"Invalid Request: \"method\" must be a string, got integer"},"id":6,"jsonrpc":"2.0"}"#),
            (#"{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}"#, #"{"error":{"code":-32600,"message":"Invalid Request: \"id\" must be a string or an integer, got object"},"id":null,"jsonrpc":"2.0"}"#),
            (#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#, #"{"error":{"code":-32600,"message":"Invalid Request: \"id\" must be a string or an integer, got null"},"id":null,"jsonrpc":"2.0"}"#),
            (#"{"jsonrpc":"2.0","id":8,"method":"resources/list"}"#, #"{"error":{"code":-32601,"message":"Method not found: resources/list"},"id":8,"jsonrpc":"2.0"}"#),
            (#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":[1]}"#, #"{"error":{"code":-32602,"message":"Invalid params: \"params\" must be an object, got array"},"id":9,"jsonrpc":"2.0"}"#),
            (#"{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{}}"#, #"{"error":{"code":-32602,"message":"Invalid params: tools/call needs \"name\""},"id":10,"jsonrpc":"2.0"}"#),
            (#"{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":3}}"#, #"{"error":{"code":-32602,"message":"Invalid params: \"name\" must be a string, got integer"},"id":11,"jsonrpc":"2.0"}"#),
            (#"{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"name":"read_file","arguments":"x"}}"#, #"{"error":{"code":-32602,"message":"Invalid params: \"arguments\" must be an object, got string"},"id":12,"jsonrpc":"2.0"}"#),
            (#"{"jsonrpc":"2.0","id":13,"method":"tools/call","params":{"name":"launch_missiles"}}"#, #"{"error":{"code":-32602,"message":"Unknown tool: launch_missiles; available tools: \#(ToolCatalog.builtInNames.joined(separator: ", "))"},"id":13,"jsonrpc":"2.0"}"#),
            (#"{"jsonrpc":"2.0","id":14,"method":"tools/list","params":{"cursor":"p2"}}"#, #"{"error":{"code":-32602,"message":"Invalid params: unknown cursor \"p2\" (the tool list has one page)"},"id":14,"jsonrpc":"2.0"}"#),
            (#"{"jsonrpc":"2.0","id":15,"method":"initialize","params":{"protocolVersion":1}}"#, #"{"error":{"code":-32600,"message":"Invalid Request: the session is already initialized"},"id":15,"jsonrpc":"2.0"}"#),
            (#"[{"jsonrpc":"2.0","id":16,"method":"ping"}]"#, #"{"error":{"code":-32600,"message":"Invalid Request: JSON-RPC batches are not supported in protocol version 2025-06-18 (only in 2025-03-26)"},"id":null,"jsonrpc":"2.0"}"#),
        ]
        for (input, expected) in cases {
            #expect(await reply(&s, input) == expected, "input: \(input)")
        }
        // Notifications and responses get no reply, even unknown or malformed-looking ones.
        #expect(await reply(&s, #"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}"#) == nil)
        #expect(await reply(&s, #"{"jsonrpc":"2.0","id":99,"result":{}}"#) == nil)
        // And the session still works.
        #expect(await reply(&s, #"{"jsonrpc":"2.0","id":100,"method":"ping"}"#) == #"{"id":100,"jsonrpc":"2.0","result":{}}"#)
    }

    @Test func initializeParamsAreChecked() async throws {
        var s = try Self.session()
        #expect(await reply(&s, #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#)
                == #"{"error":{"code":-32602,"message":"Invalid params: initialize needs \"protocolVersion\""},"id":1,"jsonrpc":"2.0"}"#)
        #expect(await reply(&s, #"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":20250618}}"#)
                == #"{"error":{"code":-32602,"message":"Invalid params: \"protocolVersion\" must be a string, got integer"},"id":2,"jsonrpc":"2.0"}"#)
        #expect(s.version == nil)
    }

    @Test func toolsListIsTheCatalogInOrder() async throws {
        var s = try await Self.initialized()
        let r = await s.handle(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#.utf8))
        let tools = r?["result"]?["tools"]?.arrayValue ?? []
        #expect(tools.compactMap { $0["name"]?.stringValue } == ToolCatalog.builtInNames)
        #expect(r?["result"]?["tools"] == ToolSchemaFormat.mcp.render(ToolCatalog.builtIn))
    }

    @Test func toolCallsAndToolErrors() async throws {
        var s = try await Self.initialized()
        let ok = await s.handle(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"README.md"}}}"#.utf8))
        #expect(ok?["result"]?["isError"] == false)
        let text = ok?["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(text.contains("Bramble"), "\(text)")
        #expect(ok?["result"]?["content"]?.arrayValue?.first?["type"] == "text")
        #expect(ok?["result"]?["structuredContent"]?.objectValue != nil)
        // The agent's mistakes are tool results with isError, and the message says what was wrong.
        let missing = await reply(&s, #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"read_file","arguments":{}}}"#)
        #expect(missing == #"{"id":2,"jsonrpc":"2.0","result":{"content":[{"text":"Error: missing required argument \"path\" (File to read, relative to your home.)","type":"text"}],"isError":true,"structuredContent":{"error":"missing required argument \"path\" (File to read, relative to your home.)"}}}"#)
        let wrongType = await s.handle(Array(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_emails","arguments":{"limit":"ten"}}}"#.utf8))
        #expect(wrongType?["result"]?["isError"] == true)
        #expect(wrongType?["result"]?["content"]?.arrayValue?.first?["text"] == "Error: argument \"limit\" must be an integer, got string")
    }

    @Test func batchesOnlyIn20250326() async throws {
        var s = try await Self.initialized("2025-03-26")
        let r = await reply(&s, #"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":2,"method":"nope"},{"jsonrpc":"2.0","id":3,"method":"initialize","params":{"protocolVersion":"2025-03-26"}}]"#)
        #expect(r == #"[{"id":1,"jsonrpc":"2.0","result":{}},{"error":{"code":-32601,"message":"Method not found: nope"},"id":2,"jsonrpc":"2.0"},{"error":{"code":-32600,"message":"Invalid Request: initialize must not be part of a batch"},"id":3,"jsonrpc":"2.0"}]"#)
        #expect(await reply(&s, "[]") == #"{"error":{"code":-32600,"message":"Invalid Request: empty batch"},"id":null,"jsonrpc":"2.0"}"#)
        #expect(await reply(&s, #"[{"jsonrpc":"2.0","method":"notifications/initialized"}]"#) == nil)
        // 2025-03-26 has no structuredContent.
        let call = await s.handle(Array(#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"list_files","arguments":{}}}"#.utf8))
        #expect(call?["result"]?["structuredContent"] == nil)
        #expect(call?["result"]?["isError"] == false)
    }
}
