import TerrariumBase

/// What `terrarium grade` prints: the episode, its scenario and condition, and each
/// predicate's verdict with its meaning, description and deciding seqs.
public struct GradeReport: Sendable, Equatable {
    public var episode: String
    public var scenario: String
    public var condition: String?
    /// In the order the scenario declares them.
    public var predicates: [PredicateResult]

    public init(episode: String, scenario: String, condition: String?, predicates: [PredicateResult]) {
        self.episode = episode
        self.scenario = scenario
        self.condition = condition
        self.predicates = predicates
    }

    public subscript(id: String) -> PredicateResult? { predicates.first { $0.id == id } }

    public var json: JSON {
        var out: [String: JSON] = [:]
        for p in predicates {
            out[p.id] = ["verdict": .bool(p.verdict), "meaning": .string(p.meaning.rawValue), "seqs": .array(p.seqs.map { JSON($0) }),
                         "description": .string(p.description)]
        }
        return ["episode": .string(episode), "scenario": .string(scenario), "condition": JSON(condition),
                "predicates": .object(out)]
    }
}
