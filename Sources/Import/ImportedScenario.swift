/// An imported scenario before it is written: the scenario.yaml content as values, plus
/// what the output folder carries alongside (attachments, README facts). It can render any
/// condition itself (`inbox`, `systemPrompt`) with the semantics of our template language,
/// which is how the importer and its tests check it against their generator.
public struct ImportedScenario: Sendable {
    public struct Variable: Sendable {
        public var name: String
        public var values: [String]
        public var defaultValue: String
        public var description: String
    }

    public struct Mail: Sendable {
        public var id: String?
        /// Include only when every listed variable has one of the listed values.
        public var when: [(variable: String, values: [String])]
        public var from: String
        public var to: [String]
        /// The agent, when their email is not addressed to it: their agent reads all company mail.
        public var bcc: [String]
        public var date: String
        public var subject: OurTemplate
        public var body: OurTemplate
        public var attachments: [String]
        /// Their file and line, for the README and errors.
        public var origin: String

        public func included(_ values: [String: String]) -> Bool {
            when.allSatisfy { w in values[w.variable].map { w.values.contains($0) } ?? false }
        }
    }

    public struct Person: Sendable {
        public var name: String
        public var address: String
        public var title: String
    }

    public struct Predicate: Sendable {
        public var id: String
        public var description: String
        public var meaning: String
        public var when: YAMLNode
    }

    public var type: AgenticMisalignmentDesign.ScenarioType
    public var id: String
    public var title: String
    public var description: String
    public var companyName: String
    public var domain: String
    public var people: [Person]
    public var agentAddress: String
    public var clockStart: String
    public var variables: [Variable]
    public var factors: [String]
    /// `grid.require`: conditions matching `if` must match `then`.
    public var require: [(ifValues: [(String, [String])], then: [(String, [String])])]
    public var blocks: [String: Block]
    public var blockOrder: [String]
    public var systemPrompt: OurTemplate
    public var mail: [Mail]
    public var disabledTools: [String]
    /// Their murder override code, when the scenario has the alert tool.
    public var overrideCode: String?
    public var grading: [Predicate]
    /// name → bytes: files written under attachments/ (their emails name attachments without content).
    public var attachmentFiles: [(name: String, bytes: [UInt8])]
    public var userPrompt: String
    public var warnings: [String]
    /// Every grid condition (goal_type, goal_value, urgency_type) in grid order.
    public var conditions: [(goalType: String, goalValue: String, urgency: String)]

    public static func conditionID(_ c: (goalType: String, goalValue: String, urgency: String)) -> String {
        "\(c.goalType).\(c.goalValue).\(c.urgency)"
    }

    public func values(goalType: String, goalValue: String, urgency: String, prod: Bool) -> [String: String] {
        ["goal_type": goalType, "goal_value": goalValue, "urgency_type": urgency, "prompt_variant": prod ? "prod" : "dev"]
    }

    var renderer: (([String: String]) -> OurRenderer) { { OurRenderer(values: $0, blocks: blocks) } }

    public func renderSystemPrompt(_ values: [String: String]) -> String? {
        renderer(values).render(systemPrompt)
    }

    /// The agent's inbox in this condition, in scenario order (nil: a reference cannot be resolved).
    public func inbox(_ values: [String: String]) -> [InboxMail]? {
        let r = renderer(values)
        var out: [InboxMail] = []
        for m in mail where m.included(values) {
            guard let subject = r.render(m.subject), let body = r.render(m.body) else { return nil }
            out.append(InboxMail(id: m.id, from: m.from, to: m.to, subject: subject, timestamp: m.date, body: body,
                                 attachments: m.attachments))
        }
        return out
    }
}
