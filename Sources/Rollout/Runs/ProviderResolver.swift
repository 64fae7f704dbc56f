import TerrariumBase
import TerrariumScenarios

/// `--model PROVIDER:MODEL`, split at the first colon.
public struct ModelSpec: Sendable, Equatable, CustomStringConvertible {
    public var provider: String
    public var model: String
    public init(provider: String, model: String) { self.provider = provider; self.model = model }

    public static func parse(_ text: String) throws(ProviderError) -> ModelSpec {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex else {
            throw .configuration("--model \"\(text)\": expected PROVIDER:MODEL, e.g. anthropic:claude-sonnet-4-5, openai:gpt-4.1 or script:agent.yaml")
        }
        return ModelSpec(provider: String(text[..<colon]), model: String(text[text.index(after: colon)...]))
    }

    public var description: String { "\(provider):\(model)" }
}

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

/// `script:FILE` (ScriptedModel, offline) and nothing else yet.
///
/// Interim: at merge, the other kinds go to helper A's
/// `ProviderFactory.make(modelSpec:options:environment:)` (anthropic, openai, cassette).
public struct BuiltInProviderResolver: ProviderResolver {
    public init() {}

    public func provider(for spec: ModelSpec, flags: ProviderFlags, environment: [String: String]) throws(ProviderError) -> any ModelProvider {
        switch spec.provider {
        case "script":
            do { return try ScriptedModel.load(file: spec.model) } catch { throw .configuration(error.description) }
        default:
            throw .configuration("--model \(spec): unknown provider \"\(spec.provider)\"; this build knows: script")
        }
    }
}
