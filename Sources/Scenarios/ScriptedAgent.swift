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

    public var name: String
    public var description: String
    public var steps: [Step]

    /// Reads either a mapping with `name`, `description`, `steps`, or a bare list of steps.
    public static func load(file: String) throws(ScenarioError) -> ScriptedAgent {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(file: file, line: nil, field: "", message: "cannot read the file as UTF-8 text")
        }
        let doc = try YAMLValue.parse(text, file: file)
        var name = (file as NSString).lastPathComponent
        var description = ""
        let stepsValue: YAMLValue
        if case .sequence = doc.node {
            stepsValue = doc
        } else {
            try doc.checkKeys(["name", "description", "steps"])
            name = try doc.optional("name")?.string() ?? name
            description = try doc.optional("description")?.string() ?? ""
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
        return ScriptedAgent(name: name, description: description, steps: steps)
    }
}
