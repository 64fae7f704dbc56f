import Foundation
import Testing
import TerrariumBase
@testable import TerrariumRollout

@Suite struct RetryAndGateTests {
    @Test func jitterIsSeededBoundedAndServerWaitsWin() {
        let policy = RetryPolicy(maxRetries: 6, baseDelay: 1, maxDelay: 8)
        var a = SeededRandom(seed: 99), b = SeededRandom(seed: 99)
        let first = (0..<6).map { policy.delay(retry: $0, serverDelay: nil, random: &a) }
        let second = (0..<6).map { policy.delay(retry: $0, serverDelay: nil, random: &b) }
        #expect(first == second)
        for (n, wait) in first.enumerated() { #expect(wait >= 0 && wait < min(8, Double(1 << n))) }
        #expect(policy.delay(retry: 3, serverDelay: 12, random: &a) == 12)
        #expect(RetryPolicy(maxServerDelay: 30).delay(retry: 0, serverDelay: 3600, random: &a) == 30)
    }

    @Test func retryAfterHeadersParse() {
        #expect(RetryPolicy.serverDelay(["retry-after": "7"]) == 7)
        #expect(RetryPolicy.serverDelay(["retry-after": " 1.5 "]) == 1.5)
        #expect(RetryPolicy.serverDelay(["retry-after-ms": "250", "retry-after": "7"]) == 0.25)
        #expect(RetryPolicy.serverDelay(["retry-after": "Wed, 21 Oct 2026 07:28:00 GMT"]) == nil)
        #expect(RetryPolicy.serverDelay(["retry-after": "-3"]) == nil)
        #expect(RetryPolicy.retryableStatuses == [408, 409, 429, 500, 502, 503, 504, 529])
    }

    /// A transport that answers after a short real pause and counts how many are open.
    final class CountingTransport: HTTPTransport, @unchecked Sendable {
        let lock = NSLock()
        var open = 0, peak = 0, total = 0
        func post(url: URL, headers: [String: String], body: [UInt8], timeout: Double) async -> Result<HTTPReply, TransportFailure> {
            lock.withLock { open += 1; total += 1; peak = max(peak, open) }
            try? await Task.sleep(for: .milliseconds(30))
            lock.withLock { open -= 1 }
            return .success(HTTPReply(status: 200, headers: ["content-type": "application/json"],
                                      body: Array(AnthropicProviderTests.toolUseBody.utf8)))
        }
    }

    @Test func maxInFlightIsSharedByEveryCaller() async throws {
        let transport = CountingTransport()
        let config = ProviderConfiguration(kind: "anthropic", model: "m", baseURL: URL(string: "http://127.0.0.1:1")!, apiKey: "k",
                                           maxInFlight: 2, clock: VirtualProviderClock(), transport: transport)
        let provider = AnthropicProvider(configuration: config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = try await provider.complete(secondTurnRequest(model: "m")) } }
            try await group.waitForAll()
        }
        #expect(transport.total == 8)
        #expect(transport.peak == 2)
        #expect(await provider.gate.openRequests == 0)
    }

    @Test func requestsPerMinuteWaitForTheWindow() async {
        let clock = VirtualProviderClock(start: 1000)
        let gate = RequestGate(maxInFlight: 10, requestsPerMinute: 2, clock: clock)
        for _ in 0..<3 {
            await gate.acquire()
            await gate.release()
        }
        // Two start at t=1000; the third waits until the first leaves the minute.
        #expect(await clock.sleeps == [60])
        #expect(await clock.now() == 1060)
    }

    @Test func serverSentEventsParse() {
        let text = ": comment\r\nevent: a\r\ndata: one\r\ndata: two\r\n\r\ndata:x\n\nevent: last\ndata: {}"
        #expect(ServerSentEvents.parse(Array(text.utf8)) == [
            ServerSentEvent(name: "a", data: "one\ntwo"),
            ServerSentEvent(name: nil, data: "x"),
            ServerSentEvent(name: "last", data: "{}"),
        ])
    }
}
