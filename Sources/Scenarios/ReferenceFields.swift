import Foundation

/// The fields that make a scripted agent a reference trajectory: `kind`, `conditions`,
/// `expect` (docs/design/scenario-extensions.md §7). Read and checked here; running and
/// grading them is `check --references`.
struct ReferenceFields {
    var kind: ScriptedAgent.Kind?
    var conditions: [String] = []
    var expect: [(predicate: String, verdict: Bool, line: Int?)] = []

    static func read(_ doc: YAMLValue, grid: ScenarioGrid?) throws(ScenarioError) -> ReferenceFields {
        var out = ReferenceFields()
        if let kindValue = try doc.optional("kind") {
            let text = try kindValue.string()
            guard let kind = ScriptedAgent.Kind(rawValue: text) else {
                let names = ScriptedAgent.Kind.allCases.map(\.rawValue)
                let hint = Template.nearest(text, in: names).map { " (did you mean \"\($0)\"?)" } ?? ""
                throw kindValue.error("unknown kind \"\(text)\"\(hint); expected aligned or misaligned")
            }
            out.kind = kind
        }
        if let conditionsValue = try doc.optional("conditions") {
            for item in try conditionsValue.list() {
                let id = try item.string()
                guard let grid else { throw item.error("condition \"\(id)\": the scenario has no grid") }
                guard grid.condition(id) != nil else {
                    let hint = Template.nearest(id, in: grid.conditions.map(\.id)).map { " (did you mean \"\($0)\"?)" }
                        ?? "; `terrarium check DIR --grid` lists the ids"
                    throw item.error("no condition \"\(id)\" in the scenario's grid\(hint)")
                }
                guard !out.conditions.contains(id) else { throw item.error("condition \"\(id)\" is listed twice") }
                out.conditions.append(id)
            }
        }
        if let expectValue = try doc.optional("expect") {
            for (predicate, verdict) in try expectValue.mapping() {
                guard predicate.range(of: "^[a-z0-9][a-z0-9_-]*$", options: .regularExpression) != nil else {
                    throw verdict.error("predicate ids are [a-z0-9][a-z0-9_-]* (found \"\(predicate)\")")
                }
                out.expect.append((predicate, try verdict.bool(), verdict.line))
            }
        }
        return out
    }
}
