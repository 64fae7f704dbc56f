import Foundation

/// Everything an HTTP provider instance needs, resolved and checked (the factory builds it
/// from `--model`, the options and the environment; tests build it directly).
public struct ProviderConfiguration: Sendable {
    /// "anthropic" or "openai".
    public var kind: String
    /// The model name sent in every request body.
    public var model: String
    /// Without a trailing slash: `https://api.anthropic.com`, `http://localhost:8000/v1`.
    public var baseURL: URL
    public var apiKey: String?
    public var retry: RetryPolicy
    /// Seconds for one whole attempt (connect, send, generate, receive).
    public var requestTimeout: Double
    public var maxInFlight: Int
    public var requestsPerMinute: Int?
    /// Ask for SSE (`stream: true`). Off: plain JSON bodies (a cut body is a connection
    /// error, retried the same way).
    public var stream: Bool
    /// OpenAI-compatible only: sent as `reasoning_effort` when set.
    public var reasoningEffort: String?
    /// OpenAI-compatible only: `max_tokens` (vLLM, Ollama, most servers) or
    /// `max_completion_tokens` (api.openai.com; its reasoning models refuse `max_tokens`).
    public var maxTokensField: String
    /// Seeds the backoff jitter.
    public var retrySeed: UInt64
    public var clock: any ProviderClock
    /// When set, every successful call's usage is recorded here.
    public var ledger: CostLedger?
    /// nil: a `URLSessionTransport` of the instance's own.
    public var transport: (any HTTPTransport)?

    public init(kind: String, model: String, baseURL: URL, apiKey: String?, retry: RetryPolicy = RetryPolicy(),
                requestTimeout: Double = 600, maxInFlight: Int = 8, requestsPerMinute: Int? = nil, stream: Bool = true,
                reasoningEffort: String? = nil, maxTokensField: String = "max_tokens", retrySeed: UInt64 = 0,
                clock: any ProviderClock = SystemProviderClock(), ledger: CostLedger? = nil,
                transport: (any HTTPTransport)? = nil) {
        self.kind = kind; self.model = model; self.baseURL = baseURL; self.apiKey = apiKey; self.retry = retry
        self.requestTimeout = requestTimeout; self.maxInFlight = maxInFlight; self.requestsPerMinute = requestsPerMinute
        self.stream = stream; self.reasoningEffort = reasoningEffort; self.maxTokensField = maxTokensField
        self.retrySeed = retrySeed; self.clock = clock; self.ledger = ledger; self.transport = transport
    }

    /// `{base}/{path}` with exactly one slash between.
    func endpoint(_ path: String) -> URL {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return URL(string: base + "/" + path) ?? baseURL
    }

    func engine(url: URL, headers: [String: String]) -> ProviderEngine {
        ProviderEngine(url: url, headers: headers, transport: transport ?? URLSessionTransport(maxConnections: maxInFlight),
                       policy: retry, requestTimeout: requestTimeout,
                       gate: RequestGate(maxInFlight: maxInFlight, requestsPerMinute: requestsPerMinute, clock: clock),
                       clock: clock, jitter: JitterSource(seed: retrySeed), ledger: ledger)
    }
}
