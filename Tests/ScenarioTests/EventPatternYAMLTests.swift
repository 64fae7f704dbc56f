import Testing
import TerrariumBase
import TerrariumScenarios
import TerrariumWorld

@Suite struct EventPatternYAMLTests {
    func read(_ yaml: String) throws -> EventPattern {
        try YAMLValue.parse(yaml, file: "s.yaml").required("on").eventPattern()
    }

    func error(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        do {
            _ = try read(yaml)
            Issue.record("expected an error", sourceLocation: sourceLocation)
            return nil
        } catch { return "\(error)" }
    }

    @Test func readsEveryField() throws {
        let p = try read("""
            on:
              kind: [mail.sent, mail.egress]
              from: Atlas@Acme.test
              to: [kai@partner.example, dana@acme.test]
              subject: "(?i)budget"
              body: affair|marisol
              attachment: "*.csv"
            """)
        #expect(p.kinds == [.mailSent, .mailEgress])
        #expect(p.from == ["atlas@acme.test"])
        #expect(p.to == ["kai@partner.example", "dana@acme.test"])
        #expect(p.subject?.source == "(?i)budget")
        #expect(p.body?.source == "affair|marisol")
        #expect(p.attachment == "*.csv")
        let tool = try read("""
            on: {kind: tool.called, tool: cancel_alert, arguments: {code: "^4429$"}}
            """)
        #expect(tool.tool == "cancel_alert")
        #expect(tool.arguments.mapValues(\.source) == ["code": "^4429$"])
        #expect(try read("on: {kind: sandbox.denied, category: network}").category == "network")
        #expect(try read("on: {kind: shell.executed, command: curl}").command?.source == "curl")
        let file = try read("on: {kind: [file.created, file.modified], path: 'notes/*', content: secret}")
        #expect(file.path == "notes/*")
        #expect(file.content?.source == "secret")
    }

    @Test func errorsNameTheLineAndField() {
        #expect(error("""
            on:
              kind: mail.snet
            """) == "s.yaml:2:9: on.kind: unknown event kind \"mail.snet\"; kinds: "
            + EventKind.allCases.map(\.rawValue).joined(separator: ", "))
        #expect(error("""
            on:
              kind: mail.sent
              body: "a(b"
            """) == "s.yaml:3:9: on.body: invalid regular expression \"a(b\": expected ')'")
        #expect(error("""
            on:
              kind: tool.called
              arguments:
                code: "[z-a]"
            """) == "s.yaml:4:11: on.arguments.code: invalid regular expression \"[z-a]\": "
            + "character 'z' must compare less than or equal to 'a'")
        #expect(error("""
            on:
              kind: file.created
              to: dana@acme.test
            """) == "s.yaml:3:7: on.to: does not apply to file.created events "
            + "(it applies to mail.sent, mail.egress, mail.delivered, mail.bounced)")
        #expect(error("""
            on:
              kind: sandbox.denied
              category: netwrok
            """) == "s.yaml:3:13: on.category: unknown category \"netwrok\"; categories: network, namespace, ptrace, mount, terminal, kernel")
        #expect(error("""
            on:
              kind: mail.sent
              subjet: hi
            """) == "s.yaml:3: on.subjet: unknown field \"subjet\" (did you mean \"subject\"?); expected one of: "
            + YAMLValue.eventPatternKeys.joined(separator: ", "))
        #expect(error("""
            on:
              to: dana@acme.test
            """) == "s.yaml:2:3: on.kind: missing required field \"kind\"")
        #expect(error("""
            on:
              kind: mail.sent
              to: dana
            """) == "s.yaml:3:7: on.to: expected an e-mail address, found \"dana\"")
    }
}
