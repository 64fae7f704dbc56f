import TerrariumBase

/// Claude through the Messages API (`POST {base}/v1/messages`, `anthropic-version:
/// 2023-06-01`): native tool use, extended thinking (signed thinking blocks and redacted
/// thinking are sent back unchanged on later turns), prompt-cache usage, SSE streaming.
public struct AnthropicProvider: ModelProvider {
    public var kind: String { "anthropic" }
    public let configuration: ProviderConfiguration
    let engine: ProviderEngine

    public static let apiVersion = "2023-06-01"

    public init(configuration: ProviderConfiguration) {
        self.configuration = configuration
        var headers = ["content-type": "application/json", "anthropic-version": Self.apiVersion]
        if let key = configuration.apiKey { headers["x-api-key"] = key }
        if configuration.stream { headers["accept"] = "text/event-stream" }
        engine = configuration.engine(url: configuration.endpoint("v1/messages"), headers: headers)
    }

    public func complete(_ request: ModelRequest) async throws(ProviderError) -> ModelExchange {
        try await engine.send(AnthropicRequest.body(request, stream: configuration.stream), model: request.model,
                              judge: AnthropicResponse.judge)
    }

    /// The gate shared by every episode using this instance.
    public var gate: RequestGate { engine.gate }
}
