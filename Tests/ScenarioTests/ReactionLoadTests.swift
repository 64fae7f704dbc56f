import Foundation
import Testing
import TerrariumBase
import TerrariumScenarios
import TerrariumWorld

/// `triggers:` and `tools.custom`: what loads, and every refusal with its line and field.
@Suite struct ReactionLoadTests {
    static let tool = """
    tools:
      custom:
        - name: cancel_alert
          description: Cancel an alert.
          parameters:
            code: {type: string, description: The code, required: true}
          responses:
            - when: {code: "^4429$"}
              result: "Cancelled (${args.code})."
              effects:
                - set_flag: {alert_cancelled: true}
            - result: Rejected.
              error: true

    """

    static let trigger = """
    triggers:
      - id: dana-replies
        on: {kind: mail.sent, to: dana@tiny.test, subject: "(?i)report"}
        after: 5m
        do:
          - deliver_mail: {from: dana@tiny.test, to: atlas@tiny.test, subject: Thanks, body: Got it., in_reply_to: hello}
          - write_file: {path: inbox-log.txt, content: "replied\\n", mode: "0600"}
          - delete_file: {path: notes/todo.md}
          - set_flag: {replied: true, count: 2}
          - disable_tools: [send_email, cancel_alert]
          - enable_tools: send_email
          - record: {action: replied, detail: {who: dana}}
          - end_episode: {reason: done}
      - id: five-pm
        at: "2026-03-16T17:00:00-05:00"
        do: [{end_episode: {reason: closing time}}]

    """

    /// The base scenario plus `extra` at the end (triggers come after the scenario tool they
    /// disable); returns the folder, the YAML and the error.
    func load(_ extra: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (ScenarioFolder, String, ScenarioError?) {
        let yaml = baseYAML + (extra.hasPrefix("triggers:") ? ReactionLoadTests.tool + extra : extra)
        let folder = try makeScenario(yaml)
        return (folder, yaml, folder.loadError(sourceLocation: sourceLocation))
    }

    @Test func triggersAndToolsLoad() throws {
        let folder = try makeScenario(baseYAML + ReactionLoadTests.tool + ReactionLoadTests.trigger)
        defer { folder.delete() }
        let s = try folder.load()
        #expect(s.customTools.map(\.name) == ["cancel_alert"])
        #expect(s.customTools[0].group == "scenario")
        #expect(s.customTools[0].responses.map(\.isError) == [false, true])
        #expect(s.customTools[0].responses[0].effects == [.setFlags(["alert_cancelled": true])])
        #expect(s.triggers.map(\.id) == ["dana-replies", "five-pm"])
        guard case .on(let pattern, let after) = s.triggers[0].start else { Issue.record("not an on: trigger"); return }
        #expect(pattern.kinds == [.mailSent])
        #expect(after == .seconds(300))
        #expect(!s.triggers[0].repeats)
        #expect(s.triggers[0].effects.map(\.name) == ["deliver_mail", "write_file", "delete_file", "set_flag", "disable_tools",
                                                      "enable_tools", "record", "end_episode"])
        #expect(s.triggers[0].effects[1] == .writeFile(path: "inbox-log.txt", content: "replied\n", mode: 0o600))
        #expect(s.triggers[0].effects[3] == .setFlags(["replied": true, "count": 2]))
        #expect(s.triggers[0].effects[7] == .endEpisode(reason: "done"))
        guard case .deliverMail(let mail) = s.triggers[0].effects[0] else { Issue.record("not a mail"); return }
        #expect(mail == MailDraft(from: "dana@tiny.test", to: ["atlas@tiny.test"], subject: "Thanks", body: "Got it.",
                                  inReplyTo: "hello"))
        #expect(s.triggers[1].start == .at(ISO8601.parse("2026-03-16T17:00:00-05:00")!.time))
    }

    func expectLoadError(_ extra: String, at marker: String, field: String, message: String,
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (folder, yaml, error) = try load(extra, sourceLocation: sourceLocation)
        defer { folder.delete() }
        guard let error else { return }
        #expect(error.file == folder.yaml, sourceLocation: sourceLocation)
        #expect(error.line == line(of: marker, in: yaml, sourceLocation: sourceLocation), "\(error)", sourceLocation: sourceLocation)
        #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
    }

    func edited(_ base: String, _ old: String, _ new: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        replacing(old, with: new, in: base, sourceLocation: sourceLocation)
    }

    @Test func anUnknownEffect() throws {
        try expectLoadError(edited(ReactionLoadTests.trigger, "      - enable_tools: send_email", "      - enable_tool: send_email"),
                            at: "enable_tool:", field: "triggers[0].do[5]",
                            message: "unknown effect \"enable_tool\" (did you mean \"enable_tools\"?); effects: deliver_mail, "
                                + "write_file, delete_file, set_flag, disable_tools, enable_tools, record, end_episode")
    }

    @Test func aBadRegexInATriggerAndInAResponse() throws {
        try expectLoadError(edited(ReactionLoadTests.trigger, #"subject: "(?i)report""#, #"subject: "(?i)report(""#),
                            at: "on: {kind", field: "triggers[0].on.subject",
                            message: "invalid regular expression \"(?i)report(\": expected ')'")
        try expectLoadError(ReactionLoadTests.tool.replacingOccurrences(of: #""^4429$""#, with: #""^44[29$""#),
                            at: "when:", field: "tools.custom[0].responses[0].when.code",
                            message: "invalid regular expression \"^44[29$\": expected ']'")
    }

    @Test func aToolNamedLikeABuiltIn() throws {
        try expectLoadError(edited(ReactionLoadTests.tool, "name: cancel_alert", "name: send_email"),
                            at: "name: send_email", field: "tools.custom[0].name",
                            message: "\"send_email\" is a built-in tool; choose another name")
    }

    @Test func noCatchAllResponse() throws {
        try expectLoadError(edited(ReactionLoadTests.tool, "        - result: Rejected.", "        - when: {code: x}\n          result: Rejected."),
                            at: "when: {code: x}", field: "tools.custom[0].responses[1]",
                            message: "the last response of cancel_alert has a when:, so some calls would match no response; "
                                + "end with a catch-all response (no when:)")
    }

    @Test func aPlaceholderNamingNoParameter() throws {
        try expectLoadError(edited(ReactionLoadTests.tool, "Cancelled (${args.code}).", "Cancelled (${args.cod})."),
                            at: "Cancelled (", field: "tools.custom[0].responses[0].result",
                            message: "${args.cod} names no parameter of cancel_alert; parameters: code")
        try expectLoadError(edited(ReactionLoadTests.tool, "{alert_cancelled: true}", "{alert_cancelled: \"${args.note}\"}"),
                            at: "set_flag:", field: "tools.custom[0].responses[0].effects[0]",
                            message: "${args.note} names no parameter of cancel_alert; parameters: code")
    }

    @Test func otherRefusals() throws {
        try expectLoadError(edited(ReactionLoadTests.trigger, "to: atlas@tiny.test, subject: Thanks", "to: nobody@tiny.test, subject: Thanks"),
                            at: "deliver_mail:", field: "triggers[0].do[0].deliver_mail.to",
                            message: "nobody@tiny.test has no mailbox in this world, so the mail could never arrive")
        try expectLoadError(edited(ReactionLoadTests.trigger, "in_reply_to: hello", "in_reply_to: nope"),
                            at: "deliver_mail:", field: "triggers[0].do[0].deliver_mail.in_reply_to",
                            message: "no message with id \"nope\" in this scenario")
        try expectLoadError(edited(ReactionLoadTests.trigger, "disable_tools: [send_email, cancel_alert]", "disable_tools: [send_mail]"),
                            at: "disable_tools:", field: "triggers[0].do[4].disable_tools",
                            message: "unknown tool \"send_mail\"; the episode's tools: " + (toolNames + ["cancel_alert"]).joined(separator: ", "))
        try expectLoadError(edited(ReactionLoadTests.trigger, "- id: five-pm", "- id: dana-replies  # again"),
                            at: "# again", field: "triggers[1].id",
                            message: "trigger \"dana-replies\" is declared twice")
        try expectLoadError(edited(ReactionLoadTests.trigger, "    at: \"2026", "    on: {kind: mail.sent}\n    at: \"2026"),
                            at: "at: \"2026", field: "triggers[1].at", message: "a trigger has either on: or at:, not both")
        try expectLoadError(edited(ReactionLoadTests.trigger, "    at: \"2026-03-16T17:00:00-05:00\"", "    at: five"),
                            at: "at: five", field: "triggers[1].at",
                            message: "expected an ISO 8601 time, e.g. 2026-06-11T17:00:00-07:00")
        try expectLoadError(edited(ReactionLoadTests.trigger, "after: 5m", "after: soon"),
                            at: "after: soon", field: "triggers[0].after",
                            message: "expected a duration such as 30s, 2m, 1h30m or 500ms")
        try expectLoadError(edited(ReactionLoadTests.trigger, "{path: notes/todo.md}", "{path: ../etc/passwd}"),
                            at: "delete_file:", field: "triggers[0].do[2].delete_file.path",
                            message: "../etc/passwd: outside your home directory; paths must stay inside it")
        try expectLoadError(edited(ReactionLoadTests.tool, "{type: string, description: The code, required: true}",
                                   "{type: text, description: The code}"),
                            at: "code: {type: text", field: "tools.custom[0].parameters.code.type",
                            message: "unknown type \"text\"; types: string, integer, boolean, array, enum")
        try expectLoadError(edited(ReactionLoadTests.tool, "      description: Cancel an alert.", "      description: Cancel an alert.\n      x: 1"),
                            at: "      x: 1", field: "tools.custom[0].x",
                            message: "unknown field \"x\"; expected one of: name, group, description, parameters, advance, responses")
    }
}
