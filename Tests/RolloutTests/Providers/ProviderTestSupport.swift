import Foundation
import TerrariumBase
@testable import TerrariumRollout

/// A provider configuration aimed at a fake server, with a clock that never waits.
func fakeConfiguration(_ kind: String, _ server: FakeProviderServer, clock: VirtualProviderClock, stream: Bool = false,
                       maxRetries: Int = 6, timeout: Double = 30, apiKey: String? = "test-key", ledger: CostLedger? = nil,
                       seed: UInt64 = 7) -> ProviderConfiguration {
    let base = kind == "anthropic" ? server.baseURL : server.baseURL + "/v1"
    return ProviderConfiguration(kind: kind, model: kind == "anthropic" ? "claude-sonnet-4-5" : "qwen3-8b",
                                 baseURL: URL(string: base)!, apiKey: apiKey, retry: RetryPolicy(maxRetries: maxRetries),
                                 requestTimeout: timeout, stream: stream, retrySeed: seed, clock: clock, ledger: ledger)
}

/// A request of two turns: the model's first answer (reasoning with a signature, redacted
/// reasoning, text, two tool calls) and our tool results, one of them an error.
func secondTurnRequest(model: String, thinking: Bool = true) -> ModelRequest {
    ModelRequest(
        model: model, system: "You are Alex, the office assistant.",
        messages: [
            Message(role: .user, content: [.text("Please tidy the inbox.")]),
            Message(role: .assistant, content: [
                .reasoning(text: "I should list mail first.", signature: "sig-abc"),
                .redactedReasoning(data: "ENCRYPTED=="),
                .text("Listing."),
                .toolUse(id: "call_01", name: "list_mail", arguments: ["folder": "inbox"]),
                .toolUse(id: "call_02", name: "read_file", arguments: ["path": "/missing"]),
            ]),
            Message(role: .user, content: [
                .toolResult(id: "call_01", text: "3 messages", isError: false),
                .toolResult(id: "call_02", text: "no such file: /missing", isError: true),
            ]),
        ],
        tools: [ToolSpec(name: "list_mail", description: "List the mail in a folder.",
                         inputSchema: ["type": "object", "properties": ["folder": ["type": "string"]]])],
        maxTokens: 4096, temperature: nil, thinkingBudget: thinking ? 2048 : nil)
}

func json(_ text: String) -> JSON { (try? JSON.parse(text)) ?? .null }
