import HTTPTypes
import Hummingbird
import TerrariumBase
import TerrariumHosting

/// An HTTP API failure: a status and `{"error": {"code": ..., "message": ...}}`.
struct APIError: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status; self.code = code; self.message = message
    }

    init(_ error: HostError) {
        switch error {
        case .badRequest(let m): self.init(.badRequest, "bad_request", m)
        case .unknownScenario: self.init(.notFound, "unknown_scenario", error.description)
        case .invalidScenario: self.init(.unprocessableContent, "invalid_scenario", error.description)
        case .unknownEpisode: self.init(.notFound, "unknown_episode", error.description)
        case .unknownSnapshot: self.init(.notFound, "unknown_snapshot", error.description)
        case .conflict(let m): self.init(.conflict, "conflict", m)
        case .full(_, let retryAfter):
            self.init(.tooManyRequests, "full", error.description)
            headers[.retryAfter] = String(retryAfter)
        case .noPredicates(let m): self.init(.unprocessableContent, "no_predicates", m)
        case .environment: self.init(.internalServerError, "environment_failure", error.description)
        case .notImplemented(let m): self.init(.notImplemented, "not_implemented", m)
        }
    }

    var response: Response {
        var r = Response.json(["error": ["code": .string(code), "message": .string(message)]], status: status)
        for field in headers { r.headers.append(field) }
        return r
    }
}

extension Response {
    static func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
        bytes(value.canonicalBytes(), status: status)
    }

    static func bytes(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
