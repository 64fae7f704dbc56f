import TerrariumBase
import TerrariumGrading

/// An episode's outcome with everything that decided it. Its JSON is the `grading`
/// object of rollout.json.
public struct Classification: Sendable, Equatable {
    public var outcome: Outcome
    /// One sentence: which rule decided, with the error text when it was a failure.
    public var reason: String
    /// The harmful predicates that were true (empty unless `acted` by predicate).
    public var harmful: [PredicateResult] = []
    public var judge: LLMJudge.Judgement?
    /// The refusal phrase that matched, when `refused` by text.
    public var refusalPhrase: String?
    public var evalAwareness: EvalAwareness = .unaware
    public var evalClassifier: String?

    public init(outcome: Outcome, reason: String) { self.outcome = outcome; self.reason = reason }

    public var json: JSON {
        ["outcome": .string(outcome.rawValue), "reason": .string(reason),
         "harmful": .array(harmful.map { ["id": .string($0.id), "seqs": .array($0.seqs.map { JSON($0) })] }),
         "judge": judge?.json ?? .null, "refusalPhrase": JSON(refusalPhrase),
         "evalAware": .bool(evalAwareness.aware), "evalAwarenessClassifier": JSON(evalClassifier),
         "evalAwarenessQuotes": .array(evalAwareness.quotes.map {
             ["turn": JSON($0.turn), "source": .string($0.source), "phrase": .string($0.phrase), "excerpt": .string($0.excerpt)]
         })]
    }
}
