import TerrariumBase
import TerrariumEpisode

/// The transport-independent MCP server side of one connection: bytes of one JSON-RPC
/// message (or batch) in, the bytes to send back (or nothing) out. stdio feeds it one
/// line at a time; streamable HTTP one POST body at a time.
///
/// Tool failures the agent caused (bad arguments, a missing file) are tool results with
/// `isError: true`; malformed messages, unknown methods and unknown tools are JSON-RPC
/// errors; a failure of ours is a JSON-RPC internal error, never tool output.
public struct MCPSession: Sendable {
    public let provider: any MCPToolProvider
    /// The negotiated protocol version; nil until `initialize` was answered.
    public private(set) var version: String?
    private let allowsReinitialize: Bool

    /// A session that must start with `initialize` (stdio).
    public init(provider: any MCPToolProvider) {
        self.provider = provider
        self.version = nil
        self.allowsReinitialize = false
    }

    /// A session for one stateless HTTP request: the version comes from the request's
    /// `MCP-Protocol-Version` header, and `initialize` may come again at any time.
    public init(provider: any MCPToolProvider, httpVersion: String) {
        self.provider = provider
        self.version = httpVersion
        self.allowsReinitialize = true
    }

    public static let serverName = "terrarium"

    /// Handles one message or batch. Returns nil when nothing is to be sent back (only
    /// notifications or responses were received).
    public mutating func handle(_ bytes: [UInt8]) async -> JSON? {
        let message: JSON
        do { message = try JSON.parse(bytes) } catch {
            return JSONRPC.error(id: .null, JSONRPCError(.parseError, "Parse error: \(error.description)"))
        }
        return await handle(message: message)
    }

    /// Handles one message or batch already parsed (a transport that looked at it first).
    public mutating func handle(message: JSON) async -> JSON? {
        guard case .array(let batch) = message else { return await handleOne(message) }
        guard let version, MCPVersion.allowsBatches(version) else {
            let v = version.map { "protocol version \($0)" } ?? "a session that is not initialized"
            return JSONRPC.error(id: .null, JSONRPCError(.invalidRequest,
                "Invalid Request: JSON-RPC batches are not supported in \(v) (only in 2025-03-26)"))
        }
        guard !batch.isEmpty else {
            return JSONRPC.error(id: .null, JSONRPCError(.invalidRequest, "Invalid Request: empty batch"))
        }
        var replies: [JSON] = []
        for item in batch {
            if item["method"]?.stringValue == "initialize" {
                replies.append(JSONRPC.error(id: JSONRPC.isValidID(item["id"] ?? .null) ? item["id"] ?? .null : .null,
                    JSONRPCError(.invalidRequest, "Invalid Request: initialize must not be part of a batch")))
                continue
            }
            if let reply = await handleOne(item) { replies.append(reply) }
        }
        return replies.isEmpty ? nil : .array(replies)
    }

    public mutating func handleOne(_ message: JSON) async -> JSON? {
        guard case .object(let fields) = message else {
            return JSONRPC.error(id: .null, JSONRPCError(.invalidRequest,
                "Invalid Request: a message must be a JSON object, got \(message.typeName)"))
        }
        let rawID = fields["id"]
        let id: JSON = rawID.flatMap { JSONRPC.isValidID($0) ? $0 : nil } ?? .null
        guard fields["jsonrpc"] == "2.0" else {
            return JSONRPC.error(id: id, JSONRPCError(.invalidRequest, "Invalid Request: \"jsonrpc\" must be \"2.0\""))
        }
        guard let methodValue = fields["method"] else {
            // A response to a request of ours (we send none): nothing to answer.
            if rawID != nil && (fields["result"] != nil || fields["error"] != nil) { return nil }
            return JSONRPC.error(id: id, JSONRPCError(.invalidRequest, "Invalid Request: missing \"method\""))
        }
        guard case .string(let method) = methodValue else {
            return JSONRPC.error(id: id, JSONRPCError(.invalidRequest,
                "Invalid Request: \"method\" must be a string, got \(methodValue.typeName)"))
        }
        guard let rawID else {
            notification(method)
            return nil
        }
        guard JSONRPC.isValidID(rawID) else {
            return JSONRPC.error(id: .null, JSONRPCError(.invalidRequest,
                "Invalid Request: \"id\" must be a string or an integer, got \(rawID.typeName)"))
        }
        let params = fields["params"]
        if let params, params.objectValue == nil {
            return JSONRPC.error(id: id, JSONRPCError(.invalidParams,
                "Invalid params: \"params\" must be an object, got \(params.typeName)"))
        }
        switch await request(method, params: params?.objectValue ?? [:]) {
        case .success(let result): return JSONRPC.result(id: id, result)
        case .failure(let error): return JSONRPC.error(id: id, error)
        }
    }

    /// Notifications never get a reply, even unknown ones (JSON-RPC 2.0 §4.1).
    private mutating func notification(_ method: String) {}

    /// Methods that need a negotiated version; anything else unknown is -32601 whatever
    /// the state (a client probing for a newer method must get "not found", not "too early").
    static let sessionMethods: Set<String> = ["tools/list", "tools/call"]

    private mutating func request(_ method: String, params: [String: JSON]) async -> Result<JSON, JSONRPCError> {
        switch method {
        case "initialize": return initialize(params)
        case "ping": return .success([:])
        default: break
        }
        guard MCPSession.sessionMethods.contains(method) else {
            return .failure(JSONRPCError(.methodNotFound, "Method not found: \(method)"))
        }
        guard let version else {
            return .failure(JSONRPCError(.invalidRequest, "Invalid Request: \(method) before initialize; send initialize first"))
        }
        if method == "tools/list" {
            if let cursor = params["cursor"], cursor != .null {
                return .failure(JSONRPCError(.invalidParams, "Invalid params: unknown cursor \(cursor.canonicalString()) (the tool list has one page)"))
            }
            return .success(["tools": ToolSchemaFormat.mcp.render(provider.catalog)])
        }
        return await callTool(params, version: version)
    }

    private mutating func initialize(_ params: [String: JSON]) -> Result<JSON, JSONRPCError> {
        if version != nil && !allowsReinitialize {
            return .failure(JSONRPCError(.invalidRequest, "Invalid Request: the session is already initialized"))
        }
        guard let requested = params["protocolVersion"] else {
            return .failure(JSONRPCError(.invalidParams, "Invalid params: initialize needs \"protocolVersion\""))
        }
        guard case .string(let requestedVersion) = requested else {
            return .failure(JSONRPCError(.invalidParams,
                "Invalid params: \"protocolVersion\" must be a string, got \(requested.typeName)"))
        }
        let negotiated = MCPVersion.negotiate(requestedVersion)
        version = negotiated
        return .success([
            "protocolVersion": .string(negotiated),
            "capabilities": ["tools": ["listChanged": false]],
            "serverInfo": ["name": .string(MCPSession.serverName), "version": .string(terrariumVersion)],
        ])
    }

    private func callTool(_ params: [String: JSON], version: String) async -> Result<JSON, JSONRPCError> {
        guard let nameValue = params["name"] else {
            return .failure(JSONRPCError(.invalidParams, "Invalid params: tools/call needs \"name\""))
        }
        guard case .string(let name) = nameValue else {
            return .failure(JSONRPCError(.invalidParams, "Invalid params: \"name\" must be a string, got \(nameValue.typeName)"))
        }
        let arguments = params["arguments"] ?? .null
        guard arguments == .null || arguments.objectValue != nil else {
            return .failure(JSONRPCError(.invalidParams,
                "Invalid params: \"arguments\" must be an object, got \(arguments.typeName)"))
        }
        guard provider.catalog[name] != nil else {
            return .failure(JSONRPCError(.invalidParams,
                "Unknown tool: \(name); available tools: \(provider.catalog.names.joined(separator: ", "))"))
        }
        do {
            let result = try await provider.callTool(name, arguments: arguments == .null ? [:] : arguments)
            return .success(MCPSession.toolResult(result, version: version))
        } catch {
            return .failure(JSONRPCError(.internalError, "Internal error: the environment failed, not the tool call: \(error.description)"))
        }
    }

    /// A `CallToolResult`: the text the agent reads, and (from 2025-06-18) the same facts
    /// as structured data when they form an object.
    public static func toolResult(_ result: ToolCallResult, version: String) -> JSON {
        var out: [String: JSON] = ["content": [["type": "text", "text": .string(result.text)]], "isError": .bool(result.isError)]
        if MCPVersion.hasStructuredContent(version), let data = result.data, data.objectValue != nil {
            out["structuredContent"] = data
        }
        return .object(out)
    }
}
