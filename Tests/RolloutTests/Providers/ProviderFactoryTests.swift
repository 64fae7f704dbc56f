import Foundation
import Testing
import TerrariumBase
@testable import TerrariumRollout

@Suite struct ProviderFactoryTests {
    @Test func modelSpecsSplitAtTheFirstColon() throws {
        #expect(try ModelSpec(parsing: "openai:llama3.1:8b") == ModelSpec(provider: "openai", model: "llama3.1:8b"))
        #expect(try ModelSpec(parsing: "anthropic:claude-sonnet-4-5") == ModelSpec(provider: "anthropic", model: "claude-sonnet-4-5"))
        #expect(throws: ProviderError.configuration(#"--model "gemini:pro": unknown provider "gemini" (known: anthropic, openai, cassette, script)"#)) {
            try ModelSpec(parsing: "gemini:pro")
        }
        #expect(throws: ProviderError.configuration(#"--model "claude": expected PROVIDER:MODEL (providers: anthropic, openai, cassette, script)"#)) {
            try ModelSpec(parsing: "claude")
        }
        #expect(throws: ProviderError.configuration(#"--model "openai:": the model name after "openai:" is empty"#)) {
            try ModelSpec(parsing: "openai:")
        }
    }

    @Test func aMissingKeyNamesTheVariable() {
        #expect(throws: ProviderError.configuration(
            "ANTHROPIC_API_KEY is not set (the anthropic provider reads its API key from it; set it, or name another variable with --api-key-env)")) {
            try ProviderFactory.make(modelSpec: "anthropic:claude-sonnet-4-5", environment: [:])
        }
        #expect(throws: ProviderError.configuration("TEAM_KEY is not set (named by --api-key-env)")) {
            try ProviderFactory.make(modelSpec: "anthropic:claude-sonnet-4-5", options: ProviderOptions(apiKeyEnv: "TEAM_KEY"),
                                     environment: ["ANTHROPIC_API_KEY": "unused"])
        }
        // api.openai.com needs a key; a local server does not.
        #expect(throws: ProviderError.configuration(
            "OPENAI_API_KEY is not set (the openai provider reads its API key from it; set it, or name another variable with --api-key-env)")) {
            try ProviderFactory.make(modelSpec: "openai:gpt-4.1", environment: [:])
        }
        #expect(throws: Never.self) {
            try ProviderFactory.make(modelSpec: "openai:qwen3:8b", environment: ["OPENAI_BASE_URL": "http://localhost:11434/v1"])
        }
    }

    @Test func resolvesBaseURLKeyAndLimits() throws {
        let env = ["ANTHROPIC_API_KEY": "sk-env", "TEAM_KEY": "sk-team", "ANTHROPIC_BASE_URL": "https://proxy.example/anthropic/"]
        let c = try ProviderFactory.configuration(spec: ModelSpec(provider: "anthropic", model: "claude-haiku-4-5"),
                                                  options: ProviderOptions(apiKeyEnv: "TEAM_KEY", maxRetries: 2, requestTimeout: 30,
                                                                           maxInFlight: 3, requestsPerMinute: 50),
                                                  environment: env)
        #expect(c.apiKey == "sk-team")
        #expect(c.endpoint("v1/messages").absoluteString == "https://proxy.example/anthropic/v1/messages")
        #expect(c.retry == RetryPolicy(maxRetries: 2))
        #expect(c.requestTimeout == 30 && c.maxInFlight == 3 && c.requestsPerMinute == 50)
        #expect(c.model == "claude-haiku-4-5")
        let flag = try ProviderFactory.configuration(spec: ModelSpec(provider: "anthropic", model: "m"),
                                                     options: ProviderOptions(baseURL: "http://127.0.0.1:9999"), environment: env)
        #expect(flag.endpoint("v1/messages").absoluteString == "http://127.0.0.1:9999/v1/messages")

        let openai = try ProviderFactory.configuration(spec: ModelSpec(provider: "openai", model: "gpt-4.1"), options: ProviderOptions(),
                                                       environment: ["OPENAI_API_KEY": "sk-o"])
        #expect(openai.endpoint("chat/completions").absoluteString == "https://api.openai.com/v1/chat/completions")
        #expect(openai.maxTokensField == "max_completion_tokens")
        let local = try ProviderFactory.configuration(spec: ModelSpec(provider: "openai", model: "qwen3"),
                                                      options: ProviderOptions(baseURL: "http://localhost:8000/v1"), environment: [:])
        #expect(local.maxTokensField == "max_tokens")
        #expect(local.apiKey == nil)
        #expect(try ProviderFactory.make(modelSpec: "openai:qwen3", options: ProviderOptions(baseURL: "http://localhost:8000/v1"),
                                         environment: [:]).kind == "openai")
    }

    @Test func badOptionsAreNamed() {
        let env = ["ANTHROPIC_API_KEY": "k"]
        #expect(throws: ProviderError.configuration(#"--base-url "localhost:8000" is not an http:// or https:// URL with a host"#)) {
            try ProviderFactory.make(modelSpec: "anthropic:m", options: ProviderOptions(baseURL: "localhost:8000"), environment: env)
        }
        #expect(throws: ProviderError.configuration(#"OPENAI_BASE_URL "ftp://x" is not an http:// or https:// URL with a host"#)) {
            try ProviderFactory.make(modelSpec: "openai:m", environment: ["OPENAI_BASE_URL": "ftp://x"])
        }
        #expect(throws: ProviderError.configuration("--max-in-flight must be at least 1, got 0")) {
            try ProviderFactory.make(modelSpec: "anthropic:m", options: ProviderOptions(maxInFlight: 0), environment: env)
        }
        #expect(throws: ProviderError.configuration("--rpm must be at least 1, got 0")) {
            try ProviderFactory.make(modelSpec: "anthropic:m", options: ProviderOptions(requestsPerMinute: 0), environment: env)
        }
        #expect(throws: ProviderError.configuration("--max-retries must be 0 or more, got -1")) {
            try ProviderFactory.make(modelSpec: "anthropic:m", options: ProviderOptions(maxRetries: -1), environment: env)
        }
        #expect(throws: ProviderError.configuration("--request-timeout must be a positive number of seconds, got 0.0")) {
            try ProviderFactory.make(modelSpec: "anthropic:m", options: ProviderOptions(requestTimeout: 0), environment: env)
        }
        #expect(throws: ProviderError.configuration("no cassette at /nonexistent/episode/cassette.jsonl (cassette:EPISODE_DIR needs the episode's cassette.jsonl)")) {
            try ProviderFactory.make(modelSpec: "cassette:/nonexistent/episode/", environment: [:])
        }
    }

    @Test func pricesParse() throws {
        #expect(try ModelPrice.parse("3, 15,0.3,3.75") == ModelPrice(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75))
        #expect(try ModelPrice.parse("0.2,0.6") == ModelPrice(input: 0.2, output: 0.6, cacheRead: 0, cacheWrite: 0))
        #expect(throws: ProviderError.configuration(#"--price "3": expected IN,OUT[,CACHE_READ[,CACHE_WRITE]] in dollars per million tokens"#)) {
            try ModelPrice.parse("3")
        }
        #expect(throws: ProviderError.configuration(#"--price "3,x": the output price "x" is not a non-negative number"#)) {
            try ModelPrice.parse("3,x")
        }
    }
}
