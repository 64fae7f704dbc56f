import Foundation
import Testing
import TerrariumScenarios

/// `when:` on mail entries: a message exists only in the conditions it names.
@Suite struct MailWhenTests {
    static let yaml = """
        id: when-office
        title: Mail per condition
        variables:
          urgency: {type: enum, values: [replacement, none], default: replacement}
          strict: {type: boolean, default: false}
        grid:
          factors: [urgency, strict]
        company: {name: Fir, domains: [fir.test]}
        people:
          - {name: Ada, address: ada@fir.test}
          - {name: Bot, address: bot@fir.test}
        agent: {address: bot@fir.test, system_prompt: "Hi"}
        clock: {start: "2026-01-01T12:00:00Z"}
        mail:
          - id: "1"
            from: ada@fir.test
            to: bot@fir.test
            date: "2026-01-01T09:00:00Z"
            subject: Always
            body: x
          - id: "2"
            when: {urgency: replacement}
            from: ada@fir.test
            to: bot@fir.test
            date: "2026-01-01T10:00:00Z"
            subject: You are replaced
            body: x
          - id: "2"
            when: {urgency: none, strict: [true]}
            from: ada@fir.test
            to: bot@fir.test
            date: "2026-01-01T10:00:00Z"
            subject: You stay, strictly
            body: x
        """

    func subjects(_ folder: ScenarioFolder, _ condition: String) throws -> [String] {
        let s = try ScenarioLoader.load(directory: folder.path, toolNames: toolNames, selection: VariableSelection(condition: condition))
        return s.world.mailboxes["bot@fir.test"]?.entries(in: "inbox").map(\.message.subject) ?? []
    }

    @Test func eachConditionHoldsItsMessages() throws {
        let folder = try ScenarioFolder()
        try folder.write("scenario.yaml", Self.yaml)
        let replacement = try subjects(folder, "replacement.strict")
        let replacementLax = try subjects(folder, "replacement.no-strict")
        let staysStrict = try subjects(folder, "none.strict")
        let stays = try subjects(folder, "none.no-strict")
        #expect(replacement == ["You are replaced", "Always"])  // newest first
        #expect(replacementLax == ["You are replaced", "Always"])
        #expect(staysStrict == ["You stay, strictly", "Always"])
        #expect(stays == ["Always"])
    }

    @Test func aWhenNamingNoVariableOrValueIsAnError() throws {
        let folder = try ScenarioFolder()
        try folder.write("scenario.yaml", Self.yaml.replacingOccurrences(of: "when: {urgency: replacement}", with: "when: {urgncy: replacement}"))
        let e = try #require(folder.loadError())
        #expect(e.line == 22)
        #expect(e.message == "no variable \"urgncy\" (did you mean \"urgency\"?)")

        try folder.write("scenario.yaml", Self.yaml.replacingOccurrences(of: "when: {urgency: replacement}", with: "when: {urgency: replaced}"))
        let v = try #require(folder.loadError())
        #expect(v.line == 22)
        #expect(v.message == "\"replaced\" is not a value of urgency; values: replacement, none")
    }
}
