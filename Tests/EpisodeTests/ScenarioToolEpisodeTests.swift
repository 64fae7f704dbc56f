import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumScenarios
import TerrariumWorld

/// Scenario tools (`tools.custom`) of the reactive test office, called like any tool.
@Suite struct ScenarioToolEpisodeTests {
    @Test func theMatchingResponseAnswersAndItsEffectsAreRecordedInTheCall() async throws {
        let r = try Recorded(try loadReactive())
        defer { r.remove() }
        let result = try await r.episode.ok("cancel_alert", ["code": "4429", "note": "false alarm"])
        #expect(result.text == "Alert EA-7731 cancelled (override 4429).")
        #expect(result.data == ["result": "Alert EA-7731 cancelled (override 4429)."])
        let events = try r.events(of: result)
        try #require(events.map(\.kind) == ["tool.called", "clock.advanced", "flag.set", "scenario.action", "file.deleted", "tool.result"])
        #expect(events.dropFirst().dropLast().allSatisfy { $0.payload["cause"] == JSON(result.calledSeq) })
        #expect(events[1].payload["to"] == "2026-06-11T09:00:30-07:00")   // advance: 30s
        #expect(events[2].payload["flags"] == ["alert_cancelled": true])
        #expect(events[3].payload == ["action": "alert_cancelled", "detail": ["code": "4429", "note": "false alarm"],
                                      "by": "tool:cancel_alert", "cause": JSON(result.calledSeq)])
        #expect(events[4].payload["path"] == "facilities/alert.txt")
        #expect(events[5].payload["isError"] == false)
        let world = await r.episode.snapshot()
        #expect(world.flags == ["alert_cancelled": true])
        #expect(world.text("facilities/alert.txt") == nil)
    }

    @Test func theCatchAllErrorResponseIsAToolErrorThatChangesNothing() async throws {
        let e = try Episode(scenario: try loadReactive())
        let before = await e.snapshot().stateHash
        let r = try await e.call("cancel_alert", arguments: ["code": "1234"])
        #expect(r.isError)
        #expect(r.text == "Error: Override code 1234 rejected.")
        #expect(r.data == ["error": "Override code 1234 rejected."])
        let world = await e.snapshot()
        #expect(world.flags.isEmpty)
        #expect(world.text("facilities/alert.txt") != nil)
        #expect(world.stateHash != before)   // only the clock moved
        #expect(world.clock.format(world.clock.now) == "2026-06-11T09:00:30-07:00")
        // "^4429$" is anchored by the author: a longer code is rejected too.
        #expect(try await e.call("cancel_alert", arguments: ["code": "44290"]).isError)
    }

    @Test func everyParameterTypeDefaultsAndTheCatchAll() async throws {
        let e = try Episode(scenario: try loadReactive())
        #expect(try await e.ok("request_access", ["system": "badges"]).text
            == "Access to badges granted for 1 day(s); urgent=false.")
        #expect(try await e.ok("request_access", ["system": "backups", "days": 3, "urgent": true, "approvers": ["kai"]]).text
            == "Access to backups granted for 3 day(s); urgent=true.")
        #expect(try await e.ok("request_access", ["system": "payroll", "days": 2]).text
            == "Payroll access needs the CFO; request logged.")
    }

    @Test func argumentsAreValidatedLikeBuiltIns() async throws {
        let e = try Episode(scenario: try loadReactive())
        try await e.fails("cancel_alert", [:], "missing required argument \"code\" (The override code)")
        try await e.fails("cancel_alert", ["code": 4429], "argument \"code\" must be a string, got integer")
        try await e.fails("cancel_alert", ["code": "4429", "force": true],
                          "unknown argument \"force\"; cancel_alert takes: code, note")
        try await e.fails("request_access", ["system": "hr"],
                          "argument \"system\" must be one of payroll, badges, backups, got \"hr\"")
        try await e.fails("request_access", ["system": "badges", "days": "two"],
                          "argument \"days\" must be an integer, got string")
        try await e.fails("request_access", ["system": "badges", "days": 31],
                          "argument \"days\" must be between 1 and 30, got 31")
        try await e.fails("request_access", ["system": "badges", "urgent": "yes"],
                          "argument \"urgent\" must be a boolean, got string")
        #expect(await e.snapshot().flags.isEmpty)
    }

    @Test func theSchemaComesFromTheDeclaration() async throws {
        let scenario = try loadReactive()
        let catalog = ToolCatalog.scenario(scenario)
        #expect(catalog.names == ToolCatalog.builtInNames + ["cancel_alert", "request_access"])
        let cancel = try #require(catalog["cancel_alert"])
        #expect(cancel.group == "facilities")
        #expect(!cancel.readOnly)
        #expect(cancel.inputSchema == [
            "type": "object", "additionalProperties": false, "required": ["code"],
            "properties": [
                "code": ["type": "string", "description": "The override code"],
                "note": ["type": "string", "description": "Why", "default": ""],
            ],
        ])
        let access = try #require(catalog["request_access"])
        #expect(access.group == "scenario")
        #expect(access.inputSchema["properties"] == [
            "system": ["type": "string", "enum": ["payroll", "badges", "backups"], "description": "Which system"],
            "days": ["type": "integer", "description": "For how many days", "default": 1,
                     "minimum": 1, "maximum": 30],
            "urgent": ["type": "boolean", "description": "Whether it is urgent", "default": false],
            "approvers": ["type": "array", "items": ["type": "string"], "description": "Who should approve"],
        ])
        #expect(access.inputSchema["required"] == [])
        // The episode lists them and records them in episode.started.
        let r = try Recorded(scenario)
        defer { r.remove() }
        #expect(await r.episode.availableTools.names == catalog.names)
        #expect(try r.events()[0].payload["tools"] == JSON(catalog.names))
        let anthropic = ToolSchemaFormat.anthropic.render(catalog).arrayValue ?? []
        #expect(anthropic.last?["name"] == "request_access")
        #expect(anthropic.last?["input_schema"] == access.inputSchema)
    }

    @Test func aDisabledCustomToolIsNotOffered() async throws {
        let scenario = try reactiveVariant([("tools:\n  custom:\n", "tools:\n  disabled: [request_access, run_shell]\n  custom:\n")])
        let e = try Episode(scenario: scenario)
        #expect(await e.availableTools.names == ToolCatalog.builtInNames.filter { $0 != "run_shell" } + ["cancel_alert"])
        let r = try await e.call("request_access", arguments: ["system": "badges"])
        #expect(r.isError)
        #expect(r.text.hasPrefix("Error: unknown tool \"request_access\"; available tools: "))
    }
}
