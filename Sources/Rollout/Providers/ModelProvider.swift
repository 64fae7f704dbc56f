import TerrariumBase

/// A model behind some API. Implementations: `AnthropicProvider`, `OpenAIChatProvider`
/// (any Chat Completions server), `CassetteProvider` (replays a recorded episode offline).
/// Retries, rate limits and timeouts live in the provider (one policy per provider
/// instance, shared by every episode of a run), so the loop above only ever sees a final
/// answer or a final `ProviderError`.
public protocol ModelProvider: Sendable {
    /// "anthropic", "openai", "cassette": the part before the colon in `--model`.
    var kind: String { get }
    /// Sends one request, retrying retryable failures per the provider's policy.
    func complete(_ request: ModelRequest) async throws(ProviderError) -> ModelExchange
}

/// One completed call, with everything the cassette records about it.
public struct ModelExchange: Sendable, Equatable {
    public var response: ModelResponse
    /// The exact request body sent on the last (successful) attempt, canonical JSON.
    public var requestBody: JSON
    /// The exact response body received (parsed JSON; a streamed response is the
    /// reassembled message in the provider's non-streaming shape).
    public var responseBody: JSON
    /// Failed attempts before the one that succeeded, in order.
    public var retries: [FailedAttempt]
    public init(response: ModelResponse, requestBody: JSON, responseBody: JSON, retries: [FailedAttempt] = []) {
        self.response = response; self.requestBody = requestBody; self.responseBody = responseBody; self.retries = retries
    }
}

/// An attempt that failed and was retried (or was the last one, inside `ProviderError`).
public struct FailedAttempt: Sendable, Equatable {
    /// HTTP status, nil when no response arrived (connection error, timeout, cut stream).
    public var status: Int?
    public var message: String
    /// How long we waited before the next attempt, in milliseconds (0 for the last).
    public var waitedMilliseconds: Int
    public init(status: Int?, message: String, waitedMilliseconds: Int) {
        self.status = status; self.message = message; self.waitedMilliseconds = waitedMilliseconds
    }
}

/// Why a model call finally failed. Every case becomes the episode outcome `model_error`
/// (or `timeout`); none is ever shown to the agent or counted as its behaviour.
public enum ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Bad configuration found before any request (missing API key, bad base URL, ...).
    case configuration(String)
    /// A non-retryable HTTP error (400, 401, 403, 404, ...) with the provider's message.
    case rejected(status: Int, message: String, attempts: [FailedAttempt])
    /// Retryable failures (429, 5xx, 529, connection errors, cut streams) until the retry
    /// budget ran out.
    case exhausted(attempts: [FailedAttempt])
    /// The response arrived but is not what the provider's documented format says.
    case malformedResponse(String)
    /// The per-request timeout passed on the last attempt.
    case timedOut(seconds: Double, attempts: [FailedAttempt])
    /// A cassette does not hold the request the loop made (the re-drive diverged).
    case cassetteMismatch(String)

    public var description: String {
        switch self {
        case .configuration(let m): return "model configuration: \(m)"
        case .rejected(let status, let m, _): return "the model API refused the request (HTTP \(status)): \(m)"
        case .exhausted(let attempts):
            let last = attempts.last.map { "\($0.status.map { "HTTP \($0)" } ?? "no response"): \($0.message)" } ?? "no attempt"
            return "the model API kept failing after \(attempts.count) attempts (last: \(last))"
        case .malformedResponse(let m): return "the model API answered in an unexpected format: \(m)"
        case .timedOut(let s, let attempts): return "the model API did not answer within \(s) s (\(attempts.count) attempts)"
        case .cassetteMismatch(let m): return "the cassette does not match this run: \(m)"
        }
    }
}
