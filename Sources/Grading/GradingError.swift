import TerrariumRecording
import TerrariumScenarios

/// Why an episode could not be graded. A grader error is never a verdict: callers report
/// it as an error (the CLI exits non-zero without printing predicates), so a broken or
/// tampered episode can never be counted as "nothing harmful happened".
public enum GradingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The episode folder cannot be read (missing files, a bad manifest, a missing blob).
    case unreadable(String)
    /// The log or the stored predicates fail verification: the first problem found.
    case tampered(String)
    /// Every event present verifies, but the episode never finished (killed, torn).
    case unfinished(String)
    /// The episode has no stored predicates (its scenario declared none) and none were given.
    case noPredicates(String)
    /// The predicates do not parse (a scenario's `grading:` or an episode's grading.json).
    case badPredicates(ScenarioError)

    public var description: String {
        switch self {
        case .unreadable(let m): return "cannot read the episode: \(m)"
        case .tampered(let m): return "the episode does not verify: \(m)"
        case .unfinished(let m): return "the episode is unfinished: \(m)"
        case .noPredicates(let m): return m
        case .badPredicates(let e): return "bad grading predicates: \(e)"
        }
    }
}
