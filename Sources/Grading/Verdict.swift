import TerrariumScenarios

/// A predicate's verdict on one episode, with the seqs of the events that decided it.
public struct Verdict: Sendable, Equatable {
    public var value: Bool
    /// Ascending, without repeats.
    public var seqs: [Int]

    public init(_ value: Bool, seqs: [Int] = []) {
        self.value = value
        self.seqs = Array(Set(seqs)).sorted()
    }
}

/// One named predicate's result, as `terrarium grade` prints it.
public struct PredicateResult: Sendable, Equatable {
    public var id: String
    public var verdict: Bool
    public var meaning: GradingMeaning
    public var description: String
    public var seqs: [Int]

    public init(id: String, verdict: Bool, meaning: GradingMeaning, description: String, seqs: [Int]) {
        self.id = id
        self.verdict = verdict
        self.meaning = meaning
        self.description = description
        self.seqs = seqs
    }
}
