import Foundation

/// `--model PROVIDER:MODEL`, split at the first colon (model names may hold colons:
/// `openai:llama3.1:8b`).
public struct ModelSpec: Sendable, Equatable, CustomStringConvertible {
    public var provider: String
    public var model: String

    public static let knownProviders = ["anthropic", "openai", "cassette", "script"]

    public var description: String { "\(provider):\(model)" }

    public init(provider: String, model: String) { self.provider = provider; self.model = model }

    public init(parsing text: String) throws(ProviderError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw .configuration("--model \"\(text)\": expected PROVIDER:MODEL (providers: \(Self.knownProviders.joined(separator: ", ")))")
        }
        provider = String(text[..<colon])
        model = String(text[text.index(after: colon)...])
        guard Self.knownProviders.contains(provider) else {
            throw .configuration("--model \"\(text)\": unknown provider \"\(provider)\" (known: \(Self.knownProviders.joined(separator: ", ")))")
        }
        guard !model.isEmpty else {
            throw .configuration("--model \"\(text)\": the model name after \"\(provider):\" is empty")
        }
    }
}

/// The user-facing knobs of a provider (the `run` flags map onto these one to one).
public struct ProviderOptions: Sendable {
    /// `--base-url`; else `ANTHROPIC_BASE_URL` / `OPENAI_BASE_URL`; else the public API.
    public var baseURL: String?
    /// `--api-key-env NAME`: read the key from this variable instead of the default one.
    public var apiKeyEnv: String?
    /// `--max-retries` (default 6).
    public var maxRetries: Int
    /// `--request-timeout` seconds per attempt (default 600).
    public var requestTimeout: Double
    /// `--max-in-flight`: concurrent requests of this provider instance (default 8).
    public var maxInFlight: Int
    /// `--rpm`: requests started per minute (default: no limit).
    public var requestsPerMinute: Int?
    /// `--price in,out,cacheRead,cacheWrite` (parse with `ModelPrice.parse`); used by
    /// `makeLedger`.
    public var price: ModelPrice?
    /// SSE streaming (default on).
    public var stream: Bool
    /// OpenAI-compatible: `reasoning_effort` to send.
    public var reasoningEffort: String?
    public var retrySeed: UInt64
    /// Records every successful call when set (create it with `makeLedger`).
    public var ledger: CostLedger?
    /// Injected in tests; nil means the real clock / URLSession.
    public var clock: (any ProviderClock)?
    public var transport: (any HTTPTransport)?

    public init(baseURL: String? = nil, apiKeyEnv: String? = nil, maxRetries: Int = 6, requestTimeout: Double = 600,
                maxInFlight: Int = 8, requestsPerMinute: Int? = nil, price: ModelPrice? = nil, stream: Bool = true,
                reasoningEffort: String? = nil, retrySeed: UInt64 = 0, ledger: CostLedger? = nil,
                clock: (any ProviderClock)? = nil, transport: (any HTTPTransport)? = nil) {
        self.baseURL = baseURL; self.apiKeyEnv = apiKeyEnv; self.maxRetries = maxRetries
        self.requestTimeout = requestTimeout; self.maxInFlight = maxInFlight; self.requestsPerMinute = requestsPerMinute
        self.price = price; self.stream = stream; self.reasoningEffort = reasoningEffort; self.retrySeed = retrySeed
        self.ledger = ledger; self.clock = clock; self.transport = transport
    }

    /// A ledger priced with `--price` when given, else the built-in table.
    public func makeLedger() -> CostLedger { CostLedger(priceOverride: price) }
}

/// Builds the provider named by `--model`. The single entry point for `run` and `--judge`.
public enum ProviderFactory {
    public static func make(modelSpec: String, options: ProviderOptions = ProviderOptions(),
                            environment: [String: String]) throws(ProviderError) -> any ModelProvider {
        let spec = try ModelSpec(parsing: modelSpec)
        switch spec.provider {
        case "cassette": return try CassetteProvider(directory: spec.model)
        case "script":
            do { return try ScriptedModel.load(file: spec.model) } catch { throw .configuration(error.description) }
        default: break
        }
        return try configuration(spec: spec, options: options, environment: environment).provider
    }

    /// The checked configuration for an HTTP provider (`anthropic`, `openai`).
    public static func configuration(spec: ModelSpec, options: ProviderOptions,
                                     environment: [String: String]) throws(ProviderError) -> ProviderConfiguration {
        let defaults: (keyEnv: String, baseEnv: String, base: String, keyRequired: Bool)
        switch spec.provider {
        case "anthropic": defaults = ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "https://api.anthropic.com", true)
        case "openai": defaults = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "https://api.openai.com/v1", false)
        default:
            throw .configuration("provider \"\(spec.provider)\" has no HTTP configuration (known: anthropic, openai)")
        }
        let (baseText, baseSource): (String, String)
        if let b = options.baseURL { (baseText, baseSource) = (b, "--base-url") }
        else if let b = environment[defaults.baseEnv], !b.isEmpty { (baseText, baseSource) = (b, defaults.baseEnv) }
        else { (baseText, baseSource) = (defaults.base, "the default base URL") }
        guard let url = URL(string: baseText), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw .configuration("\(baseSource) \"\(baseText)\" is not an http:// or https:// URL with a host")
        }
        let keyEnv = options.apiKeyEnv ?? defaults.keyEnv
        let key = environment[keyEnv].flatMap { $0.isEmpty ? nil : $0 }
        // Local OpenAI-compatible servers need no key; api.openai.com does.
        let needsKey = defaults.keyRequired || host == "api.openai.com" || options.apiKeyEnv != nil
        if key == nil && needsKey {
            let why = options.apiKeyEnv != nil ? "named by --api-key-env" : "the \(spec.provider) provider reads its API key from it; set it, or name another variable with --api-key-env"
            throw .configuration("\(keyEnv) is not set (\(why))")
        }
        guard options.maxRetries >= 0 else { throw .configuration("--max-retries must be 0 or more, got \(options.maxRetries)") }
        guard options.requestTimeout > 0, options.requestTimeout.isFinite else {
            throw .configuration("--request-timeout must be a positive number of seconds, got \(options.requestTimeout)")
        }
        guard options.maxInFlight >= 1 else { throw .configuration("--max-in-flight must be at least 1, got \(options.maxInFlight)") }
        if let rpm = options.requestsPerMinute, rpm < 1 { throw .configuration("--rpm must be at least 1, got \(rpm)") }
        return ProviderConfiguration(
            kind: spec.provider, model: spec.model, baseURL: url, apiKey: key, retry: RetryPolicy(maxRetries: options.maxRetries),
            requestTimeout: options.requestTimeout, maxInFlight: options.maxInFlight, requestsPerMinute: options.requestsPerMinute,
            stream: options.stream, reasoningEffort: options.reasoningEffort,
            maxTokensField: host == "api.openai.com" ? "max_completion_tokens" : "max_tokens", retrySeed: options.retrySeed,
            clock: options.clock ?? SystemProviderClock(), ledger: options.ledger, transport: options.transport)
    }
}

extension ProviderConfiguration {
    /// The provider this configuration describes.
    public var provider: any ModelProvider {
        kind == "anthropic" ? AnthropicProvider(configuration: self) : OpenAIChatProvider(configuration: self)
    }
}
