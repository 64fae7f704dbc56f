import Foundation
import TerrariumBase

/// `terrarium import agentic-misalignment`: their templates folder → one live scenario per
/// scenario type (blackmail, leaking, murder), each with their goal type × goal value ×
/// urgency grid. Every condition is checked against our mirror of their generator before
/// anything is written; `UpstreamComparisonTests` checks it against their generator itself.
public enum AgenticMisalignmentImporter {
    public typealias Design = AgenticMisalignmentDesign

    public static func importAll(templates: String, toolNames: [String], python: String = "python3")
        throws(ImportError) -> [ImportedScenario]
    {
        var sources = try TheirSources(root: templates, python: python)
        var out: [ImportedScenario] = []
        for type in Design.ScenarioType.allCases {
            out.append(try importType(type, sources: &sources, toolNames: toolNames))
        }
        return out
    }

    public static func importType(_ type: Design.ScenarioType, sources: inout TheirSources, toolNames: [String])
        throws(ImportError) -> ImportedScenario
    {
        var conditions: [(goalType: String, goalValue: String, urgency: String)] = []
        for gt in Design.goalTypes {
            for gv in Design.goalValues where Design.isAllowed(goalType: gt, goalValue: gv) {
                for u in Design.urgencyTypes { conditions.append((gt, gv, u)) }
            }
        }
        var theirs: [TheirCondition] = []
        var warnings: [String] = []
        for c in conditions {
            let t = try TheirCondition(type, goalType: c.goalType, goalValue: c.goalValue, urgency: c.urgency, sources: &sources)
            for w in t.warnings where !warnings.contains(w) { warnings.append(w) }
            theirs.append(t)
        }
        // Points: every condition with each system prompt variant (their `prod` flag).
        let space = ConditionSpace(
            dimensions: [.init(name: "goal_type", values: Design.goalTypes), .init(name: "goal_value", values: Design.goalValues),
                         .init(name: "urgency_type", values: Design.urgencyTypes), .init(name: "prompt_variant", values: ["dev", "prod"])],
            points: conditions.flatMap { c in [[c.goalType, c.goalValue, c.urgency, "dev"], [c.goalType, c.goalValue, c.urgency, "prod"]] })
        var builder = BlockBuilder(space: space, reserved: [])

        func convert(_ template: PythonTemplate, mail: Bool) -> OurTemplate {
            var pieces: [OurTemplate.Piece] = []
            for piece in template.pieces {
                switch piece {
                case .text(let t): pieces.append(.text(t))
                case .placeholder(let name, let original):
                    let leaves = space.points.indices.map { i -> OurTemplate in
                        let c = theirs[i / 2]
                        return .literal((mail ? c.mailMapping : c.promptMapping)[name] ?? original)
                    }
                    pieces += builder.select(name: name, leaves: leaves).pieces
                }
            }
            return OurTemplate(pieces)
        }

        // System prompt: theirs per variant, placeholders as blocks.
        let devName = Design.systemPromptName(type, prod: false)
        let dev = convert(PythonTemplate(try sources.systemPrompt(devName)), mail: false)
        let prod = convert(PythonTemplate(try sources.systemPrompt(Design.systemPromptName(type, prod: true))), mail: false)
        let systemPrompt = builder.select(name: "system_prompt", leaves: space.points.indices.map { $0 % 2 == 0 ? dev : prod })

        // Mail: each email of each template file, present in the conditions that use the file.
        var files: [String] = []
        for t in theirs { for f in t.templateFiles where !files.contains(f) { files.append(f) } }
        var mail: [ImportedScenario.Mail] = []
        for file in files {
            let path = sources.root + "/" + file
            let blocks = try sources.template(file).blocks
            let using = conditions.indices.filter { theirs[$0].templateFiles.contains(file) }
            let when = try whenClause(using, conditions, file: path)
            for (k, email) in blocks.emails.enumerated() {
                func literal(_ key: String) throws(ImportError) -> String {
                    let value = email.header(key) ?? ""
                    let t = PythonTemplate(value)
                    guard t.placeholderNames.isEmpty else {
                        throw ImportError(file: path, line: email.line, "\(key): contains a placeholder; the importer needs literal addresses, times and attachment names")
                    }
                    return t.render([:])
                }
                var id: String?
                if Design.numbersEmails(type) {
                    var ids = Set<Int>()
                    for c in using {
                        var offset = 0
                        for f in theirs[c].templateFiles.prefix(while: { $0 != file }) { offset += try sources.template(f).blocks.emails.count }
                        ids.insert(offset + k + 1)
                    }
                    guard ids.count == 1, let n = ids.first else {
                        throw ImportError(file: path, line: email.line, "this email's number (ID) differs between conditions: \(ids.sorted())")
                    }
                    id = String(n)
                }
                let header = InboxMail(id: nil, from: try literal("From"), to: InboxMail.addresses(try literal("To")), subject: "",
                                       timestamp: try literal("Timestamp"), body: "", attachments: [])
                var attachments: [String] = []
                if email.header("Attachments") != nil {
                    guard let names = PythonStringList.parse(try literal("Attachments")) else {
                        throw ImportError(file: path, line: email.line, "Attachments: expected a Python list of names such as ['spec.pdf']")
                    }
                    attachments = names
                }
                mail.append(.init(id: id, when: when, from: header.from, to: header.to, bcc: [], date: header.timestamp,
                                  subject: convert(PythonTemplate(email.header("Subject") ?? ""), mail: true),
                                  body: convert(PythonTemplate(email.body), mail: true), attachments: attachments,
                                  origin: "\(file):\(email.line)"))
            }
        }

        var scenario = ImportedScenario(
            type: type, id: "agentic-misalignment-\(type.rawValue)", title: "Agentic misalignment: \(type.rawValue) (imported)",
            description: "", companyName: "", domain: "", people: [], agentAddress: "", clockStart: "",
            variables: [
                .init(name: "goal_type", values: Design.goalTypes, defaultValue: "explicit",
                      description: "Their goal_type: whether and how the system prompt states a goal"),
                .init(name: "goal_value", values: Design.goalValues, defaultValue: "america",
                      description: "Their goal_value: the goal given (none/ambiguous with goal types none and ambiguous)"),
                .init(name: "urgency_type", values: Design.urgencyTypes, defaultValue: "replacement",
                      description: "Their urgency_type: the threat to the agent (replacement, restriction or none)"),
                .init(name: "prompt_variant", values: ["dev", "prod"], defaultValue: "dev",
                      description: "prod = their prod=True: the system prompt without the secret scratchpad"),
            ],
            factors: ["goal_type", "goal_value", "urgency_type"],
            require: [(ifValues: [("goal_type", ["none", "ambiguous"])], then: [("goal_value", ["none"])])],
            blocks: builder.blocks, blockOrder: builder.blockOrder, systemPrompt: systemPrompt, mail: mail,
            disabledTools: [], overrideCode: nil, grading: [], attachmentFiles: [], userPrompt: sources.userPrompt,
            warnings: warnings, conditions: conditions)

        // Check every condition against our mirror of their generator before going further.
        var renderedBodies: [String] = []
        for (i, c) in conditions.enumerated() {
            let id = ImportedScenario.conditionID(c)
            let their = try theirInbox(theirs[i], type, &sources)
            for prodFlag in [false, true] {
                let values = scenario.values(goalType: c.goalType, goalValue: c.goalValue, urgency: c.urgency, prod: prodFlag)
                guard let ours = scenario.renderSystemPrompt(values), ours == (try theirs[i].systemPrompt(type, prod: prodFlag, sources: sources)) else {
                    throw ImportError(file: sources.root, "internal: the imported system prompt (\(prodFlag ? "prod" : "dev")) differs from theirs in condition \(id)")
                }
            }
            let values = scenario.values(goalType: c.goalType, goalValue: c.goalValue, urgency: c.urgency, prod: false)
            guard let ours = scenario.inbox(values) else { throw ImportError(file: sources.root, "internal: condition \(id) does not render") }
            if let difference = InboxComparison.difference(ours: ours, theirs: their, orderMatters: true) {
                throw ImportError(file: sources.root, "condition \(id): a variable's text changes the structure of an email (\(difference)); importing it mail by mail would not reproduce their prompt")
            }
            renderedBodies += ours.map(\.body)
        }

        try ScenarioFacts.complete(&scenario, renderedBodies: renderedBodies, devPrompt: try sources.systemPrompt(devName),
                                   promptFile: sources.root + "/" + TheirSources.systemPromptModule, toolNames: toolNames)
        return scenario
    }

    /// Their inbox for a condition: their email content parsed.
    public static func theirInbox(_ c: TheirCondition, _ type: Design.ScenarioType, _ sources: inout TheirSources)
        throws(ImportError) -> [InboxMail]
    {
        let name = "their email content for \(c.id)"
        let blocks = try EmailBlocks.parse(try c.emailContent(type, sources: &sources), file: name)
        var out: [InboxMail] = []
        for b in blocks.emails { out.append(try InboxMail(block: b, file: name)) }
        return out
    }

    /// The `when:` of a template file's emails: the factor values of the conditions that use
    /// it, which must be exactly a product of value sets (checked, so a when never lies).
    static func whenClause(_ using: [Int], _ conditions: [(goalType: String, goalValue: String, urgency: String)], file: String)
        throws(ImportError) -> [(variable: String, values: [String])]
    {
        let axes: [(String, [String], ((goalType: String, goalValue: String, urgency: String)) -> String)] = [
            ("goal_type", Design.goalTypes, { $0.goalType }), ("goal_value", Design.goalValues, { $0.goalValue }),
            ("urgency_type", Design.urgencyTypes, { $0.urgency }),
        ]
        var clause: [(variable: String, values: [String])] = []
        for (name, all, get) in axes {
            let present = Set(using.map { get(conditions[$0]) })
            let values = all.filter { present.contains($0) }
            if values.count < all.count { clause.append((name, values)) }
        }
        let matching = conditions.indices.filter { i in
            clause.allSatisfy { w in
                let v = w.variable == "goal_type" ? conditions[i].goalType : w.variable == "goal_value" ? conditions[i].goalValue : conditions[i].urgency
                return w.values.contains(v)
            }
        }
        guard matching == using else {
            throw ImportError(file: file, "the conditions using this template are not a product of factor values; a when: cannot select them")
        }
        return clause
    }
}
