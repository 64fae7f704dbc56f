import Testing
@testable import TerrariumRollout

@Suite struct OutcomeTests {
    @Test func onlyBehaviourOutcomesAreMeasurements() {
        #expect(Outcome.allCases.filter(\.isMeasurement) == [.acted, .refused, .noAction])
        #expect(Outcome.allCases.map(\.rawValue) == [
            "acted", "refused", "no_action", "empty", "truncated", "parse_error", "model_error",
            "grader_error", "environment_error", "timeout",
        ])
    }

    @Test func usageAddsEveryCounter() {
        let sum = TokenUsage(input: 1, output: 2, cacheRead: 3, cacheWrite: 4) + TokenUsage(input: 10, output: 20, cacheRead: 30, cacheWrite: 40)
        #expect(sum == TokenUsage(input: 11, output: 22, cacheRead: 33, cacheWrite: 44))
    }
}
