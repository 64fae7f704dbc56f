import Foundation
import Testing
import TerrariumBase
@testable import TerrariumEpisode
import TerrariumRecording
import TerrariumRollout
import TerrariumScenarios
import TerrariumWorld

/// Run directories built for grading and report tests, laid out exactly as
/// docs/design/rollouts.md describes what the rollout runner writes: run.json,
/// journal.jsonl, episodes/<condition>/<k>/ with a real recorded episode, `agent.message`
/// events and rollout.json. The episodes are real: a scripted agent's tool calls go
/// through `Episode`, each preceded by the agent turn that asked for it.
enum RunFixture {
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let environments = repositoryRoot + "/Environments"
    static let bramble = environments + "/bramble-office"

    static func scratch(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "terrarium-rollout-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    static func scenario(_ directory: String, condition: String? = nil) throws -> Scenario {
        try PreparedScenario.read(directory: directory)
            .scenario(VariableSelection(condition: condition), toolNames: ToolCatalog.builtInNames)
    }

    /// One model turn as the loop records it.
    struct Turn {
        var text = ""
        var reasoning = ""
        var stop = "tool_use"
        var calls: [(String, JSON)] = []
    }

    /// How an episode of a fixture ends.
    struct Ending {
        var text = "I have finished the task."
        var reasoning = ""
        var stop = "end_turn"
        /// rollout.json fields (outcome/stop/error...); nil: write no rollout.json.
        var rollout: [String: JSON]? = ["outcome": "no_action", "stop": "end_turn"]
        var end = true
    }

    /// Records an episode into `directory`: per step, an agent turn naming the call, then
    /// the call through the episode; then the final turn, the end, and rollout.json.
    static func record(_ scenario: Scenario, steps: [ScriptedAgent.Step], into directory: String, ending: Ending = Ending(),
                       turns: [Turn]? = nil, seed: UInt64 = 0) async throws {
        let episode = try Episode(scenario: scenario, options: .init(seed: seed, recordTo: directory))
        var turnNumber = 0
        if let turns {
            for turn in turns {
                turnNumber += 1
                try await episode.fixtureAgentMessage(turn: turnNumber, text: turn.text, reasoning: turn.reasoning,
                                                      calls: turn.calls, stop: turn.stop)
                for (name, args) in turn.calls { _ = try await episode.call(name, arguments: args) }
            }
        } else {
            for step in steps {
                turnNumber += 1
                try await episode.fixtureAgentMessage(turn: turnNumber, text: "Next: \(step.tool).", reasoning: "",
                                                      calls: [(step.tool, step.arguments)], stop: "tool_use")
                _ = try await episode.call(step.tool, arguments: step.arguments)
            }
        }
        turnNumber += 1
        try await episode.fixtureAgentMessage(turn: turnNumber, text: ending.text, reasoning: ending.reasoning, calls: [],
                                              stop: ending.stop)
        if ending.end { try await episode.end(reason: "agent finished") }
        if var rollout = ending.rollout {
            rollout["turns"] = rollout["turns"] ?? JSON(turnNumber)
            try write(.object(rollout), to: directory + "/rollout.json")
        }
    }

    static func write(_ json: JSON, to path: String) throws {
        try Data((json.prettyString() + "\n").utf8).write(to: URL(fileURLWithPath: path))
    }

    static func readJSON(_ path: String) throws -> JSON {
        try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// A run directory under construction.
    final class Run {
        let path: String
        private var journal: [JSON] = []
        init(path: String, configuration: JSON) throws {
            self.path = path
            try FileManager.default.createDirectory(atPath: path + "/episodes", withIntermediateDirectories: true)
            try RunFixture.write(configuration, to: path + "/run.json")
            try writeJournal()
        }

        /// The folder for `<condition>/<k>`, journaled as started; `finish` journals it finished.
        func episodeDirectory(_ condition: String, _ k: Int) throws -> String {
            let dir = path + "/episodes/\(condition)/\(k)"
            try FileManager.default.createDirectory(atPath: path + "/episodes/\(condition)", withIntermediateDirectories: true)
            journal.append(["key": .string("\(condition)/\(k)"), "event": "started", "dir": .string("episodes/\(condition)/\(k)")])
            try writeJournal()
            return dir
        }

        func finish(_ condition: String, _ k: Int, outcome: String = "no_action") throws {
            journal.append(["key": .string("\(condition)/\(k)"), "event": "finished", "dir": .string("episodes/\(condition)/\(k)"),
                            "outcome": .string(outcome)])
            try writeJournal()
        }

        private func writeJournal() throws {
            let text = journal.map { $0.canonicalString() + "\n" }.joined()
            try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/journal.jsonl"))
        }
    }

    /// The steps of an agent file, rendered for `scenario`.
    static func steps(_ agentFile: String, _ scenario: Scenario) throws -> [ScriptedAgent.Step] {
        try ScriptedAgent.load(file: agentFile, scenario: scenario).steps
    }
}

extension Episode {
    /// Records one `agent.message` event the way docs/design/rollouts.md specifies it (the
    /// loop's own `Episode` method arrives with the loop; grading reads only the event):
    /// no effect, the current state, long texts as blob references.
    func fixtureAgentMessage(turn: Int, text: String, reasoning: String, calls: [(String, JSON)], stop: String) throws {
        guard let recorder else { return }
        func content(_ s: String) -> JSON {
            s.utf8.count <= RecordingContentCodec.inlineLimit ? .string(s) : recorder.codec.encode(Content(text: s))
        }
        let toolCalls: [JSON] = calls.enumerated().map { i, c in
            ["id": .string("call-\(turn)-\(i)"), "name": .string(c.0), "arguments": c.1]
        }
        recorder.stage(kind: "agent.message", time: world.clock.format(world.clock.now),
                       payload: ["turn": JSON(turn), "text": content(text), "reasoning": content(reasoning),
                                 "toolCalls": .array(toolCalls), "stop": .string(stop)],
                       state: world.stateHash)
        try recorder.commit()
    }
}
