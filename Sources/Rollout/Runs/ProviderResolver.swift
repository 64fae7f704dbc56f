import TerrariumBase
import TerrariumScenarios

/// The provider options of `terrarium run --model` (never an API key itself: only the
/// name of the variable that holds it).
public struct ProviderFlags: Sendable, Equatable {
    public var baseURL: String?
    public var apiKeyEnv: String?
    public var maxRetries: Int
    public var requestTimeout: Double
    public var maxInFlight: Int?
    public var rpm: Int?
    public init(baseURL: String? = nil, apiKeyEnv: String? = nil, maxRetries: Int = 6, requestTimeout: Double = 600,
                maxInFlight: Int? = nil, rpm: Int? = nil) {
        self.baseURL = baseURL; self.apiKeyEnv = apiKeyEnv; self.maxRetries = maxRetries; self.requestTimeout = requestTimeout
        self.maxInFlight = maxInFlight; self.rpm = rpm
    }
}

/// Turns `--model` into a provider. The runner and the CLI only see this hook, so the
/// network providers plug in without touching them.
public protocol ProviderResolver: Sendable {
    func provider(for spec: ModelSpec, flags: ProviderFlags, environment: [String: String]) throws(ProviderError) -> any ModelProvider
}

/// Every provider `ProviderFactory` knows: anthropic, openai (any Chat Completions
/// server), cassette (offline re-drive of a recorded episode) and script (a scripted model).
public struct BuiltInProviderResolver: ProviderResolver {
    public init() {}

    public func provider(for spec: ModelSpec, flags: ProviderFlags, environment: [String: String]) throws(ProviderError) -> any ModelProvider {
        try ProviderFactory.make(modelSpec: spec.description, options: flags.providerOptions, environment: environment)
    }
}

extension ProviderFlags {
    /// The factory's options for these flags (`--max-in-flight` defaults to 8 per provider).
    public var providerOptions: ProviderOptions {
        ProviderOptions(baseURL: baseURL, apiKeyEnv: apiKeyEnv, maxRetries: maxRetries, requestTimeout: requestTimeout,
                        maxInFlight: maxInFlight ?? 8, requestsPerMinute: rpm)
    }
}

/// A run's pricing for the loop: the built-in table (Providers/Cost/PriceTable.swift), or
/// one `--price` for every model. Unknown model: nil (the cost is reported unknown).
public func tablePricing(override: ModelPrice? = nil) -> RolloutLoop.Pricing {
    { model, usage in (override ?? PriceTable.price(for: model))?.cost(of: usage) }
}
