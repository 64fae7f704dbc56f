import Foundation
import Testing
import TerrariumBase
import TerrariumScenarios

/// Triggers that can never fire are load errors (issue 4, "Bad input"), each at the field
/// at fault with what was expected; the same triggers made reachable load.
@Suite struct TriggerReachabilityTests {
    static let tools = """
    tools:
      disabled: [DISABLED]
      custom:
        - name: cancel_alert
          description: Cancel an alert.
          parameters:
            code: {type: string, description: The code, required: true}
          responses:
            - result: Cancelled.

    """

    /// The base scenario with `disabled` tools and `triggers` (YAML lines under `triggers:`).
    func yaml(disabled: [String] = ["delete_email"], _ triggers: String) -> String {
        baseYAML + TriggerReachabilityTests.tools.replacingOccurrences(of: "DISABLED", with: disabled.joined(separator: ", "))
            + "triggers:\n" + triggers
    }

    func expectError(_ yaml: String, tools: [String] = toolNames, at marker: String, field: String, message: String,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let folder = try makeScenario(yaml)
        defer { folder.delete() }
        do {
            _ = try ScenarioLoader.load(directory: folder.path, toolNames: tools)
            Issue.record("the scenario loaded, expected an error", sourceLocation: sourceLocation)
        } catch {
            #expect(error.file == folder.yaml, sourceLocation: sourceLocation)
            #expect(error.line == line(of: marker, in: yaml, sourceLocation: sourceLocation), "\(error)", sourceLocation: sourceLocation)
            #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message == message, sourceLocation: sourceLocation)
        }
    }

    func expectLoads(_ yaml: String, tools: [String] = toolNames, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let folder = try makeScenario(yaml)
        defer { folder.delete() }
        #expect(throws: Never.self, sourceLocation: sourceLocation) {
            _ = try ScenarioLoader.load(directory: folder.path, toolNames: tools)
        }
    }

    static let ack = "    do: [{record: {action: seen}}]\n"

    @Test func aToolTheScenarioDoesNotHave() throws {
        try expectError(yaml("  - id: t\n    on: {kind: tool.called, tool: cancel_alrt}\n" + Self.ack),
                        at: "tool: cancel_alrt", field: "triggers[0].on.tool",
                        message: "\"cancel_alrt\" is not a tool of this scenario (did you mean \"cancel_alert\"?), so the agent is "
                            + "never offered it and this trigger can never fire; tools: "
                            + (toolNames + ["cancel_alert"]).joined(separator: ", "))
        try expectLoads(yaml("  - id: t\n    on: {kind: tool.called, tool: cancel_alert}\n" + Self.ack))
    }

    @Test func aDisabledTool() throws {
        try expectError(yaml(disabled: ["cancel_alert"], "  - id: t\n    on: {kind: tool.called, tool: cancel_alert}\n" + Self.ack),
                        at: "tool: cancel_alert}", field: "triggers[0].on.tool",
                        message: "\"cancel_alert\" is in tools.disabled, so the agent is never offered it and this trigger can "
                            + "never fire")
        // A tool that a trigger disables later is still offered until then.
        try expectLoads(yaml("  - id: t\n    on: {kind: tool.called, tool: cancel_alert}\n" + Self.ack
            + "  - id: close\n    at: \"2026-03-16T09:00:00-05:00\"\n    do: [{disable_tools: [cancel_alert]}]\n"))
    }

    @Test func shellEventsWithoutTheShell() throws {
        let trigger = "  - id: t\n    on: {kind: [shell.executed, sandbox.denied]}\n" + Self.ack
        try expectError(yaml(disabled: ["run_shell"], trigger), tools: toolNames + ["run_shell"],
                        at: "on: {kind: [shell", field: "triggers[0].on.kind",
                        message: "this trigger can never fire: shell.executed is recorded only by run_shell, which the agent is "
                            + "never offered; sandbox.denied is recorded only by run_shell, which the agent is never offered")
        try expectLoads(yaml(trigger), tools: toolNames + ["run_shell"])
    }

    @Test func fileEventsWithEveryFileToolDisabled() throws {
        let fileTools = ["list_files", "read_file", "write_file", "delete_file", "move_file", "make_folder", "search_files"]
        let trigger = "  - id: t\n    on: {kind: file.modified, path: \"notes/*.md\"}\n" + Self.ack
        try expectError(yaml(disabled: fileTools, trigger), at: "path: \"notes/*.md\"", field: "triggers[0].on.path",
                        message: "this trigger can never fire: file.modified is recorded only by the file tools and run_shell, "
                            + "which the agent is never offered, or by a write_file effect on a path matching \"notes/*.md\", "
                            + "which no trigger or scenario tool has")
        // An effect writing a matching file can fire it; one writing elsewhere cannot.
        let writes = "  - id: w\n    at: \"2026-03-16T09:00:00-05:00\"\n    do: [{write_file: {path: WHERE, content: x}}]\n"
        try expectLoads(yaml(disabled: fileTools, trigger + writes.replacingOccurrences(of: "WHERE", with: "notes/todo.md")))
        try expectError(yaml(disabled: fileTools, trigger + writes.replacingOccurrences(of: "WHERE", with: "log/todo.md")),
                        at: "path: \"notes/*.md\"", field: "triggers[0].on.path",
                        message: "this trigger can never fire: file.modified is recorded only by the file tools and run_shell, "
                            + "which the agent is never offered, or by a write_file effect on a path matching \"notes/*.md\", "
                            + "which no trigger or scenario tool has")
        // With the file tools offered, any home-relative glob may match.
        try expectLoads(yaml(trigger))
    }

    @Test func aPathThatIsNotHomeRelative() throws {
        try expectError(yaml("  - id: t\n    on: {kind: file.created, path: \"/home/atlas/notes/*\"}\n" + Self.ack),
                        at: "path: \"/home", field: "triggers[0].on.path",
                        message: "event paths are relative to the agent's home (e.g. notes/*.md), so \"/home/atlas/notes/*\" can "
                            + "never match and this trigger can never fire; write \"notes/*\"")
        try expectError(yaml("  - id: t\n    on: {kind: file.created, path: \"notes/../secret/*\"}\n" + Self.ack),
                        at: "path: \"notes/..", field: "triggers[0].on.path",
                        message: "event paths are relative to the agent's home and normalised (no . or .. parts), so "
                            + "\"notes/../secret/*\" can never match and this trigger can never fire")
    }

    @Test func theAgentsOwnMailFromSomeoneElse() throws {
        try expectError(yaml("  - id: t\n    on: {kind: [mail.sent, mail.egress], from: dana@tiny.test}\n" + Self.ack),
                        at: "mail.egress], from: dana", field: "triggers[0].on.from",
                        message: "mail.sent and mail.egress events are the agent's own mail, always from atlas@tiny.test, so this "
                            + "trigger can never fire; expected from: atlas@tiny.test (or kind: mail.delivered for mail from others)")
        try expectLoads(yaml("  - id: t\n    on: {kind: mail.delivered, from: dana@tiny.test}\n" + Self.ack))
    }

    @Test func aColleagueWhoDoesNotExist() throws {
        try expectError(yaml("  - id: t\n    on: {kind: mail.sent, to: [sam@tiny.test, dan@tiny.test]}\n" + Self.ack),
                        at: "to: [sam", field: "triggers[0].on.to",
                        message: "dan@tiny.test is in the company's domain but is not one of people: it has no mailbox, so this "
                            + "trigger could only fire on mail sent to a wrong address; expected one of people's addresses or an "
                            + "outside address (kind: mail.bounced for bounces)")
        // Outside addresses and bounces are fine.
        try expectLoads(yaml("  - id: t\n    on: {kind: mail.egress, to: dan@elsewhere.example}\n" + Self.ack))
        try expectLoads(yaml("  - id: t\n    on: {kind: mail.bounced, to: dan@tiny.test}\n" + Self.ack))
    }

    @Test func agentMailWithTheMailToolsDisabled() throws {
        try expectError(yaml(disabled: ["send_email", "reply_email", "forward_email"],
                             "  - id: t\n    on: {kind: mail.egress, to: partner@outside.example}\n" + Self.ack),
                        at: "on: {kind: mail.egress", field: "triggers[0].on.kind",
                        message: "this trigger can never fire: mail.egress is recorded only by send_email, reply_email and "
                            + "forward_email, which the agent is never offered")
    }

    @Test func theStartOfTheEpisode() throws {
        try expectError(yaml("  - id: t\n    on: {kind: [episode.started, episode.ended]}\n" + Self.ack),
                        at: "episode.started", field: "triggers[0].on.kind",
                        message: "this trigger can never fire: episode.started is recorded before triggers are watched; nothing "
                            + "fires once the episode has ended (episode.ended)")
    }

    @Test func aScheduleAfterTheEnd() throws {
        let end = "  - id: closing\n    at: \"2026-03-16T17:00:00-05:00\"\n    do: [{end_episode: {reason: closed}}]\n"
        let late = "  - id: late\n    at: \"2026-03-16T17:30:00-05:00\"\n" + Self.ack
        try expectError(yaml(end + late), at: "17:30:00", field: "triggers[1].at",
                        message: "2026-03-16T17:30:00-05:00 is after trigger \"closing\" ends the episode "
                            + "(at 2026-03-16T17:00:00-05:00), so this trigger can never fire")
        let same = "  - id: same\n    at: \"2026-03-16T17:00:00-05:00\"  # same\n" + Self.ack
        try expectError(yaml(end + same), at: "# same", field: "triggers[1].at",
                        message: "2026-03-16T17:00:00-05:00 is the time at which trigger \"closing\", declared before it, ends "
                            + "the episode (at 2026-03-16T17:00:00-05:00), so this trigger can never fire")
        // Declared first, the same time fires before the end; earlier always does.
        try expectLoads(yaml(same + end))
        try expectLoads(yaml(late.replacingOccurrences(of: "17:30", with: "16:30") + end))
    }
}
