import HTTPTypes
import Hummingbird
import NIOCore
import TerrariumBase
import TerrariumEpisode
import TerrariumHosting

/// The HTTP API of `terrarium serve`: one responder that checks the token, reads the path
/// and hands each route to a small handler. Routing by hand keeps every failure ours to
/// word: an unknown path or method is a JSON error like any other, never a bare 404.
struct EpisodeAPI: HTTPResponder {
    typealias Context = BasicRequestContext
    let host: EpisodeHost
    let configuration: ServerConfiguration

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            try authorize(request)
            return try await route(request)
        } catch let error as APIError {
            return error.response
        } catch let error as HostError {
            return APIError(error).response
        } catch {
            return APIError(.internalServerError, "internal", "\(error)").response
        }
    }

    private func authorize(_ request: Request) throws(APIError) {
        guard let token = configuration.token else { return }
        let given = request.headers[.authorization] ?? ""
        let expected = "Bearer " + token
        // Compare every byte whatever the first difference, so timing says nothing.
        let a = Array(given.utf8), b = Array(expected.utf8)
        var diff = a.count ^ b.count
        for i in 0..<b.count { diff |= Int((i < a.count ? a[i] : 0) ^ b[i]) }
        guard diff == 0 else {
            var e = APIError(.unauthorized, "unauthorized",
                             given.isEmpty ? "this server needs \"Authorization: Bearer TOKEN\"" : "the bearer token is not valid")
            e.headers[.wwwAuthenticate] = "Bearer"
            throw e
        }
    }

    private func route(_ request: Request) async throws -> Response {
        let parts = request.uri.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let method = request.method
        switch (method, parts.count, parts.first) {
        case (.get, 1, "health"): return .json(await host.health())
        case (.get, 1, "openapi.yaml"): return .bytes(Array(OpenAPIDocument.yaml.utf8), contentType: "application/yaml")
        case (.get, 1, "scenarios"): return .json(["scenarios": JSON(host.availableScenarios())])
        case (.get, 1, "tools"): return try toolsForScenario(request)
        case (.post, 1, "episodes"): return try await create(request, group: false)
        case (.post, 1, "groups"): return try await create(request, group: true)
        case (_, 1, "health"), (_, 1, "openapi.yaml"), (_, 1, "scenarios"), (_, 1, "tools"):
            throw methodNotAllowed(method, allowed: "GET")
        case (_, 1, "episodes"), (_, 1, "groups"):
            throw methodNotAllowed(method, allowed: "POST")
        default: break
        }
        guard parts.count >= 2, parts[0] == "episodes" else {
            throw APIError(.notFound, "not_found", "no route \(method.rawValue) \(request.uri.path); see GET /openapi.yaml")
        }
        let episode = try host.episode(parts[1])
        let rest = parts.dropFirst(2).joined(separator: "/")
        switch (method, rest) {
        case (.get, ""): return .json(host.summary(episode, mcpBase: base(request)))
        case (.delete, ""):
            try await host.delete(episode.id)
            return .json(["deleted": .string(episode.id)])
        case (.post, "mcp"): return try await MCPOverHTTP.post(request, episode: episode, configuration: configuration)
        case (_, "mcp"):
            // We offer no server-to-client stream and keep no session to end.
            throw methodNotAllowed(method, allowed: "POST")
        case (.post, "call"): return try await directCall(request, episode)
        case (.get, "tools"): return try .json(["tools": format(request).render(episode.catalog)])
        case (.get, "events"):
            let since = try intQuery(request, "since", default: 0)
            return .bytes(try host.events(episode, since: since).body)
        case (.get, "events/stream"): return try EventStream.response(request, episode: episode, host: host, configuration: configuration)
        case (.get, "state"): return .json(await host.state(episode))
        case (.get, "grade"): return .json(try await host.grade(episode))
        case (.post, "grade"):
            try await emptyObjectBody(request, what: "grade")
            return .json(try await host.grade(episode))
        case (.post, "snapshot"): return .json(await host.snapshot(episode), status: .created)
        case (.post, "fork"):
            let point = try EpisodeHost.forkPoint(try await body(request, emptyAs: [:]))
            let forked = try await host.fork(episode, at: point)
            return .json(host.summary(forked, mcpBase: base(request)), status: .created)
        case (_, ""): throw methodNotAllowed(method, allowed: "GET, DELETE")
        case (_, "call"), (_, "snapshot"), (_, "fork"): throw methodNotAllowed(method, allowed: "POST")
        case (_, "tools"), (_, "events"), (_, "events/stream"), (_, "state"): throw methodNotAllowed(method, allowed: "GET")
        case (_, "grade"): throw methodNotAllowed(method, allowed: "GET, POST")
        default:
            throw APIError(.notFound, "not_found", "no route \(method.rawValue) \(request.uri.path); see GET /openapi.yaml")
        }
    }

    // MARK: Handlers

    private func create(_ request: Request, group: Bool) async throws -> Response {
        let parsed = try CreateRequest.parse(try await body(request), group: group)
        var spec = parsed
        if let key = request.headers[.idempotencyKey] {
            guard spec.idempotencyKey == nil || spec.idempotencyKey == key else {
                throw APIError(.badRequest, "bad_request", "the Idempotency-Key header and the body's idempotencyKey differ")
            }
            spec.idempotencyKey = key
        }
        let (episodes, reused) = try host.create(spec)
        let status: HTTPResponse.Status = reused ? .ok : .created
        let base = base(request)
        if group {
            return .json(["episodes": .array(episodes.map { host.summary($0, mcpBase: base) }), "count": JSON(episodes.count)],
                         status: status)
        }
        guard let first = episodes.first else { throw APIError(.internalServerError, "internal", "no episode was created") }
        return .json(host.summary(first, mcpBase: base), status: status)
    }

    private func directCall(_ request: Request, _ episode: HostedEpisode) async throws -> Response {
        let json = try await body(request)
        guard case .object(let fields) = json else {
            throw APIError(.badRequest, "bad_request", "the body must be a JSON object {\"tool\": NAME, \"arguments\": {...}}, got \(json.typeName)")
        }
        if let unknown = fields.keys.sorted().first(where: { $0 != "tool" && $0 != "arguments" }) {
            throw APIError(.badRequest, "bad_request", "unknown field \"\(unknown)\"; expected: tool, arguments")
        }
        guard case .string(let tool)? = fields["tool"] else {
            throw APIError(.badRequest, "bad_request", "field \"tool\" must be a string naming one of: \(episode.catalog.names.joined(separator: ", "))")
        }
        let arguments = fields["arguments"] ?? [:]
        guard arguments.objectValue != nil else {
            throw APIError(.badRequest, "bad_request", "field \"arguments\" must be an object, got \(arguments.typeName)")
        }
        guard episode.catalog[tool] != nil else {
            throw APIError(.notFound, "unknown_tool", "unknown tool \"\(tool)\"; available tools: \(episode.catalog.names.joined(separator: ", "))")
        }
        do {
            let r = try await episode.callTool(tool, arguments: arguments)
            return .json(["isError": .bool(r.isError), "text": .string(r.text), "data": r.data ?? .null,
                          "calledSeq": JSON(r.calledSeq), "resultSeq": JSON(r.resultSeq)])
        } catch {
            throw APIError(.internalServerError, "environment_failure", error.description)
        }
    }

    /// A body that must say nothing: empty or `{}` (a field we do not know is refused, so a
    /// client expecting an option we lack learns it).
    private func emptyObjectBody(_ request: Request, what: String) async throws {
        let json = try await body(request, emptyAs: [:])
        guard case .object(let fields) = json else {
            throw APIError(.badRequest, "bad_request", "the body of \(what) must be empty or {}, got \(json.typeName)")
        }
        if let unknown = fields.keys.sorted().first {
            throw APIError(.badRequest, "bad_request", "unknown field \"\(unknown)\"; \(what) takes no fields (send {} or nothing)")
        }
    }

    private func toolsForScenario(_ request: Request) throws -> Response {
        guard let name = request.uri.queryParameters["scenario"].map(String.init) else {
            return .json(["tools": try format(request).render(ToolCatalog.builtIn)])
        }
        let scenario = try host.loadScenario(name)
        return .json(["tools": try format(request).render(ToolCatalog.builtIn.without(scenario.disabledTools))])
    }

    // MARK: Helpers

    /// The request body as JSON, at most `maxBodyBytes`.
    func body(_ request: Request, emptyAs empty: JSON? = nil) async throws -> JSON {
        let bytes = try await Self.collect(request, limit: configuration.maxBodyBytes)
        if bytes.isEmpty, let empty { return empty }
        do { return try JSON.parse(bytes) } catch {
            throw APIError(.badRequest, "invalid_json", "the body is not valid JSON: \(error.description)")
        }
    }

    static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(.contentTooLarge, "too_large", "the body is \(length) bytes; the limit is \(limit)")
        }
        do {
            var buffer = try await request.body.collect(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "too_large", "the body is larger than the limit of \(limit) bytes")
        }
    }

    private func format(_ request: Request) throws(APIError) -> ToolSchemaFormat {
        guard let raw = request.uri.queryParameters["format"] else { return .mcp }
        guard let f = ToolSchemaFormat(rawValue: String(raw)) else {
            throw APIError(.badRequest, "bad_request", "format must be mcp, anthropic or openai, got \"\(raw)\"")
        }
        return f
    }

    private func intQuery(_ request: Request, _ name: String, default d: Int) throws(APIError) -> Int {
        guard let raw = request.uri.queryParameters[Substring(name)] else { return d }
        guard let v = Int(raw), v >= 0 else {
            throw APIError(.badRequest, "bad_request", "query parameter \"\(name)\" must be a non-negative integer, got \"\(raw)\"")
        }
        return v
    }

    private func base(_ request: Request) -> String {
        "http://" + (request.head.authority ?? "\(configuration.host):\(configuration.port)")
    }

    private func methodNotAllowed(_ method: HTTPRequest.Method, allowed: String) -> APIError {
        var e = APIError(.methodNotAllowed, "method_not_allowed", "\(method.rawValue) is not allowed here; allowed: \(allowed)")
        e.headers[.allow] = allowed
        return e
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let mcpProtocolVersion = HTTPField.Name("MCP-Protocol-Version")!
}
