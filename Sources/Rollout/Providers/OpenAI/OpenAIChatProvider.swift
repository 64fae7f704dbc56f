import TerrariumBase

/// Any Chat Completions server (`POST {base}/chat/completions`): OpenAI, vLLM, Ollama,
/// OpenRouter, llama.cpp, LiteLLM. Native tools as `tool_calls`, `reasoning_content`
/// kept as reasoning, cached prompt tokens counted apart, SSE streaming with usage.
public struct OpenAIChatProvider: ModelProvider {
    public var kind: String { "openai" }
    public let configuration: ProviderConfiguration
    let engine: ProviderEngine
    let encoder: OpenAIChatRequest

    public init(configuration: ProviderConfiguration) {
        self.configuration = configuration
        var headers = ["content-type": "application/json"]
        if let key = configuration.apiKey, !key.isEmpty { headers["authorization"] = "Bearer " + key }
        if configuration.stream { headers["accept"] = "text/event-stream" }
        engine = configuration.engine(url: configuration.endpoint("chat/completions"), headers: headers)
        encoder = OpenAIChatRequest(stream: configuration.stream, maxTokensField: configuration.maxTokensField,
                                    reasoningEffort: configuration.reasoningEffort)
    }

    public func complete(_ request: ModelRequest) async throws(ProviderError) -> ModelExchange {
        try await engine.send(encoder.body(request), model: request.model, judge: OpenAIChatResponse.judge)
    }

    public var gate: RequestGate { engine.gate }
}
