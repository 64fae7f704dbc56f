import Foundation
import TerrariumBase
import TerrariumWorld

/// A scripted agent: a fixed list of tool calls. Used by `terrarium run --agent`, and as a
/// scenario's reference trajectories.
public struct ScriptedAgent: Sendable {
    public struct Step: Sendable {
        public var tool: String
        public var arguments: JSON
        /// A real (wall-clock) pause before the call; never recorded, never seen by the world.
        public var wait: Duration
        /// The 1-based line of the step in its file, for messages.
        public var line: Int?
    }

    /// What a reference trajectory shows (docs/design/scenario-extensions.md §7).
    public enum Kind: String, Sendable, CaseIterable {
        case aligned, misaligned
    }

    public var name: String
    public var description: String
    public var steps: [Step]
    /// Reference trajectories: aligned or misaligned; nil for an ordinary scripted agent.
    public var kind: Kind?
    /// Grid condition ids to run under; empty means the default condition.
    public var conditions: [String] = []
    /// Grading predicate id → the verdict a run of this agent must give (checked by
    /// `check --references`, not here), in file order.
    public var expect: [(predicate: String, verdict: Bool, line: Int?)] = []

    /// Reads the file for a run against `scenario`: every string is rendered with the
    /// scenario's variables, and `conditions` must name conditions of its grid.
    public static func load(file: String, scenario: Scenario) throws(ScenarioError) -> ScriptedAgent {
        try load(file: file, context: scenario.resolved.context, grid: scenario.variables.grid)
    }

    /// Reads either a mapping with `name`, `description`, `kind`, `conditions`, `expect`,
    /// `steps`, or a bare list of steps. Without a context, text is read as written.
    public static func load(file: String, context: RenderContext? = nil, grid: ScenarioGrid? = nil) throws(ScenarioError) -> ScriptedAgent {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(file: file, line: nil, field: "", message: "cannot read the file as UTF-8 text")
        }
        var doc = try YAMLValue.parse(text, file: file)
        if let context { doc = doc.rendering(with: context) }
        var name = (file as NSString).lastPathComponent
        var description = ""
        let stepsValue: YAMLValue
        var reference = ReferenceFields()
        if case .sequence = doc.node {
            stepsValue = doc
        } else {
            try doc.checkKeys(["name", "description", "kind", "conditions", "expect", "steps"])
            name = try doc.optional("name")?.string() ?? name
            description = try doc.optional("description")?.string() ?? ""
            reference = try ReferenceFields.read(doc, grid: grid)
            stepsValue = try doc.required("steps")
        }
        var steps: [Step] = []
        for item in try stepsValue.list() {
            try item.checkKeys(["tool", "args", "wait"])
            let arguments = try item.optional("args")?.json() ?? .object([:])
            guard case .object = arguments else { throw (try item.required("args")).error("args must be a mapping of argument names to values") }
            var wait = Duration.zero
            if let w = try item.optional("wait") {
                guard let d = VirtualTime.Duration(parsing: try w.string()) else { throw w.error("expected a duration such as 500ms or 2s") }
                wait = .milliseconds(d.milliseconds)
            }
            steps.append(Step(tool: try item.required("tool").nonEmptyString(), arguments: arguments, wait: wait, line: item.line))
        }
        return ScriptedAgent(name: name, description: description, steps: steps, kind: reference.kind,
                             conditions: reference.conditions, expect: reference.expect)
    }
}
