import HTTPTypes
import Hummingbird
import TerrariumBase
import TerrariumHosting

/// MCP's streamable HTTP transport for one episode, stateless: every POST carries one
/// message or batch and is answered with `application/json` (the transport lets a server
/// answer a POST with JSON instead of an event stream). No `Mcp-Session-Id` is issued —
/// the episode id in the URL already names the state — so GET (a server-initiated stream)
/// and DELETE (end a session) are answered 405, as the transport allows.
enum MCPOverHTTP {
    static func post(_ request: Request, episode: HostedEpisode, configuration: ServerConfiguration) async throws -> Response {
        try checkOrigin(request, configuration: configuration)
        if let accept = request.headers[.accept], !accepts(accept) {
            throw APIError(.notAcceptable, "not_acceptable", "this endpoint answers with application/json; the Accept header was \"\(accept)\"")
        }
        let version = request.headers[.mcpProtocolVersion] ?? MCPVersion.httpDefault
        guard MCPVersion.supported.contains(version) else {
            let error = JSONRPC.error(id: .null, JSONRPCError(.invalidRequest,
                "Bad Request: unsupported MCP-Protocol-Version \"\(version)\"; supported: \(MCPVersion.supported.joined(separator: ", "))"))
            return .json(error, status: .badRequest)
        }
        let bytes = try await EpisodeAPI.collect(request, limit: configuration.maxBodyBytes)
        var session = MCPSession(provider: episode, httpVersion: version)
        guard let reply = await session.handle(bytes) else {
            return Response(status: .accepted)
        }
        return .json(reply)
    }

    static func accepts(_ accept: String) -> Bool {
        let types = accept.split(separator: ",").map { item in
            String(item.split(separator: ";").first ?? "").filter { $0 != " " && $0 != "\t" }.lowercased()
        }
        return types.contains { $0 == "application/json" || $0 == "*/*" || $0 == "application/*" }
    }

    /// DNS rebinding defence (the transport's security warning): a browser page on another
    /// site must not reach a loopback server, so an Origin, when sent, must be local.
    static func checkOrigin(_ request: Request, configuration: ServerConfiguration) throws(APIError) {
        guard let origin = request.headers[.origin], origin != "null" else { return }
        let hostPart = origin.split(separator: "/").dropFirst(1).first.map(String.init) ?? ""
        let hostname: String
        if hostPart.hasPrefix("[") {
            hostname = String(hostPart.prefix { $0 != "]" }) + "]"
        } else {
            hostname = String(hostPart.split(separator: ":").first ?? "")
        }
        let allowed = ["localhost", "127.0.0.1", "[::1]", configuration.host]
        guard allowed.contains(hostname) else {
            throw APIError(.forbidden, "forbidden_origin", "requests from origin \"\(origin)\" are not allowed")
        }
    }
}

