import Testing
import TerrariumBase
@testable import TerrariumRollout

@Suite struct StatisticsTests {
    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 5e-5) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance
    }

    /// Published Wilson 95% bounds (e.g. Newcombe 1998, table I; any Wilson calculator).
    @Test func wilsonIntervalMatchesKnownValues() throws {
        let zero = try #require(WilsonInterval(successes: 0, trials: 10))
        #expect(zero.lower == 0)
        #expect(close(zero.upper, 0.2775))
        let half = try #require(WilsonInterval(successes: 5, trials: 10))
        #expect(close(half.lower, 0.2366) && close(half.upper, 0.7634))
        let all = try #require(WilsonInterval(successes: 10, trials: 10))
        #expect(close(all.lower, 0.7225))
        #expect(all.upper == 1)
        let one = try #require(WilsonInterval(successes: 1, trials: 1))
        #expect(close(one.lower, 0.2065))
        #expect(one.upper == 1)
        let some = try #require(WilsonInterval(successes: 3, trials: 20))
        #expect(close(some.lower, 0.0524) && close(some.upper, 0.3604))
    }

    @Test func wilsonIntervalHasNoValueWithoutTrials() {
        #expect(WilsonInterval(successes: 0, trials: 0) == nil)
        #expect(WilsonInterval(successes: 3, trials: 2) == nil)
        #expect(WilsonInterval(successes: -1, trials: 2) == nil)
    }

    /// n = 5 episodes, 2 passed: C(5,k) draws, hand-counted.
    @Test func passAtKAndPassHatKMatchHandComputedValues() {
        #expect(close(PassEstimator.passAtK(n: 5, passed: 2, k: 1), 0.4, 1e-12))
        #expect(close(PassEstimator.passAtK(n: 5, passed: 2, k: 2), 1 - 3.0 / 10, 1e-12))  // 1 − C(3,2)/C(5,2)
        #expect(close(PassEstimator.passAtK(n: 5, passed: 2, k: 3), 1 - 1.0 / 10, 1e-12))  // 1 − C(3,3)/C(5,3)
        #expect(PassEstimator.passAtK(n: 5, passed: 2, k: 4) == 1)  // only 3 failures: any 4 include a pass
        #expect(PassEstimator.passAtK(n: 5, passed: 2, k: 5) == 1)
        #expect(close(PassEstimator.passHatK(n: 5, passed: 2, k: 1), 0.4, 1e-12))
        #expect(close(PassEstimator.passHatK(n: 5, passed: 2, k: 2), 1.0 / 10, 1e-12))  // C(2,2)/C(5,2)
        #expect(PassEstimator.passHatK(n: 5, passed: 2, k: 3) == 0)
        // n = 10, 7 passed, k = 3: C(7,3)/C(10,3) = 35/120; 1 − C(3,3)/C(10,3) = 119/120.
        #expect(close(PassEstimator.passHatK(n: 10, passed: 7, k: 3), 35.0 / 120, 1e-12))
        #expect(close(PassEstimator.passAtK(n: 10, passed: 7, k: 3), 119.0 / 120, 1e-12))
        #expect(PassEstimator.passAtK(n: 10, passed: 0, k: 4) == 0)
        #expect(PassEstimator.passHatK(n: 10, passed: 10, k: 10) == 1)
    }

    @Test func passEstimatorsHaveNoValueOutsideOneToN() {
        #expect(PassEstimator.passAtK(n: 5, passed: 2, k: 0) == nil)
        #expect(PassEstimator.passAtK(n: 5, passed: 2, k: 6) == nil)
        #expect(PassEstimator.passHatK(n: 0, passed: 0, k: 1) == nil)
        #expect(PassEstimator.passHatK(n: 3, passed: 4, k: 1) == nil)
    }

    static let tallies: [EpisodeTally] = [
        .init(condition: "explicit", outcome: .acted, evalAware: true), .init(condition: "explicit", outcome: .acted),
        .init(condition: "explicit", outcome: .refused), .init(condition: "explicit", outcome: .modelError),
        .init(condition: "none", outcome: .noAction), .init(condition: "none", outcome: .noAction, evalAware: true),
        .init(condition: "none", outcome: .timeout), .init(condition: "none", outcome: .environmentError),
    ]

    @Test func tableCountsMeasurementsAndEachOtherOutcomeApart() throws {
        let table = ConditionTable(Self.tallies, maxK: 4)
        #expect(table.rows.map(\.condition) == ["explicit", "none"])
        let explicit = table.rows[0]
        #expect(explicit.episodes == 4 && explicit.measurements == 3 && explicit.acted == 2 && explicit.evalAware == 1)
        #expect(close(explicit.rate, 2.0 / 3, 1e-12))
        #expect(explicit.counts[.modelError] == 1 && explicit.counts[.refused] == 1)
        let none = table.rows[1]
        #expect(none.measurements == 2 && none.acted == 0 && none.rate == 0)
        #expect(none.counts[.timeout] == 1 && none.counts[.environmentError] == 1)
        #expect(table.total.episodes == 8 && table.total.measurements == 5 && table.total.acted == 2 && table.total.evalAware == 2)
        // No measurement: no rate and no interval, never 0%.
        let empty = ConditionTable([.init(condition: "x", outcome: .modelError)])
        #expect(empty.rows[0].rate == nil && empty.rows[0].interval == nil)
        #expect(empty.cells(empty.rows[0])[4] == "—" && empty.cells(empty.rows[0])[5] == "—")
    }

    @Test func tableTextHasEveryColumn() {
        let text = ConditionTable(Self.tallies, maxK: 2).text
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "condition  episodes  n  acted   rate       95% CI  refused  no_action  empty  truncated  parse_error  model_error  grader_error  environment_error  timeout  eval_aware")
        #expect(lines[1] == "explicit          4  3      2  66.7%  20.8%–93.9%        1          0      0          0            0            1             0                  0        0           1")
        #expect(lines[2] == "none              4  2      0   0.0%   0.0%–65.8%        0          2      0          0            0            0             0                  1        1           1")
        #expect(lines[3] == "all               8  5      2  40.0%  11.8%–76.9%        1          2      0          0            0            1             0                  1        1           2")
        #expect(lines[4] == "condition  pass@1  pass@2  pass^1  pass^2")
        #expect(lines[5] == "explicit    0.333   0.667   0.333   0.000")
        #expect(lines[6] == "none        1.000   1.000   1.000   1.000")
    }

    @Test func tableJSONIsTheSummaryFormat() throws {
        let json = ConditionTable(Self.tallies, maxK: 3).json
        #expect(json["format"] == "terrarium.summary/1")
        #expect(json["maxK"] == 3)
        let explicit = try #require(json["conditions"]?.arrayValue?.first)
        #expect(explicit["condition"] == "explicit")
        #expect(explicit["episodes"] == 4 && explicit["measurements"] == 3 && explicit["acted"] == 2 && explicit["evalAware"] == 1)
        #expect(explicit["outcomes"]?["model_error"] == 1 && explicit["outcomes"]?["grader_error"] == 0)
        #expect(explicit["outcomes"]?.objectValue?.count == Outcome.allCases.count)
        #expect(explicit["passHatK"]?["3"] == .double(0))
        #expect(explicit["passAtK"]?["3"] == .double(1))
        #expect(explicit["passAtK"]?["4"] == nil)
        let ci = try #require(explicit["ci95"]?.arrayValue)
        #expect(ci.count == 2)
        #expect(json["total"]?["condition"] == "all")
    }

    @Test func shownKsThinOutLongRuns() {
        #expect(ConditionTable.shownKs(0) == [])
        #expect(ConditionTable.shownKs(4) == [1, 2, 3, 4])
        #expect(ConditionTable.shownKs(30) == [1, 2, 5, 10, 20, 30])
        #expect(ConditionTable.shownKs(100) == [1, 2, 5, 10, 20, 50, 100])
    }
}
