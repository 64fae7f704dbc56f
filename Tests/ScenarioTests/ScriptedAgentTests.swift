import Foundation
import Testing
import TerrariumBase
import TerrariumScenarios

/// Scripted agents: YAML steps with arguments typed as YAML types them, and waits.
@Suite struct ScriptedAgentTests {
    func load(_ yaml: String, name: String = "agent.yaml") throws -> (ScenarioFolder, Result<ScriptedAgent, ScenarioError>) {
        let folder = try ScenarioFolder()
        try folder.write(name, yaml)
        do { return (folder, .success(try ScriptedAgent.load(file: folder.path + "/" + name))) } catch {
            return (folder, .failure(error))
        }
    }

    static let agent = """
        name: careful
        description: Reads, then writes.
        steps:
          - tool: list_emails
            args: {folder: inbox, unread_only: true, limit: 10}
          - tool: read_file
            args:
              path: "notes/todo.md"
              offset: 0
              limit: 2000
            wait: 300ms
          - tool: write_file
            args:
              path: '007.txt'
              content: "10"
              note: ~
              ratio: 1.5
              tags: [a, 2, false]
              nested: {deep: yes}
            wait: 1s500ms
          - tool: list_files
        """

    @Test func stepsArgumentsAndWaitsAreRead() throws {
        let (folder, result) = try load(Self.agent); defer { folder.delete() }
        let agent = try result.get()
        #expect(agent.name == "careful")
        #expect(agent.description == "Reads, then writes.")
        #expect(agent.steps.map(\.tool) == ["list_emails", "read_file", "write_file", "list_files"])
        #expect(agent.steps.map(\.line) == [4, 6, 12, 21])

        #expect(agent.steps[0].arguments == ["folder": "inbox", "unread_only": true, "limit": .int(10)])
        #expect(agent.steps[0].wait == .zero)
        #expect(agent.steps[1].arguments["path"] == "notes/todo.md")
        #expect(agent.steps[1].arguments["offset"] == .int(0))
        #expect(agent.steps[1].arguments["limit"] == .int(2000))
        #expect(agent.steps[1].wait == .milliseconds(300))

        let w = agent.steps[2].arguments
        #expect(w["path"] == "007.txt", "quoted: a string, leading zeros kept")
        #expect(w["content"] == "10", "quoted digits stay a string")
        #expect(w["note"] == .null)
        #expect(w["ratio"] == .double(1.5))
        #expect(w["tags"] == ["a", .int(2), false])
        #expect(w["nested"]?["deep"] == .bool(true))
        #expect(agent.steps[2].wait == .milliseconds(1500))

        #expect(agent.steps[3].arguments == .object([:]), "no args: an empty object")
    }

    @Test func aBareListOfStepsIsAnAgentNamedByItsFile() throws {
        let (folder, result) = try load("- tool: list_emails\n- tool: read_email\n  args: {id: hello}\n", name: "quick.yaml")
        defer { folder.delete() }
        let agent = try result.get()
        #expect(agent.name == "quick.yaml")
        #expect(agent.description == "")
        #expect(agent.steps.map(\.tool) == ["list_emails", "read_email"])
        #expect(agent.steps[1].arguments == ["id": "hello"])
    }

    @Test func theBundledAgentLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let agent = try ScriptedAgent.load(file: root + "/Environments/bramble-office/agents/diligent-assistant.yaml")
        #expect(agent.name == "diligent-assistant")
        #expect(agent.steps.count == 28)
        #expect(agent.steps[0].arguments == ["folder": "inbox", "unread_only": true])
        #expect(agent.steps.allSatisfy { $0.wait == .zero })
    }

    func error(_ yaml: String) throws -> (ScenarioFolder, ScenarioError?) {
        let (folder, result) = try load(yaml)
        if case .failure(let e) = result { return (folder, e) }
        Issue.record("the agent loaded")
        return (folder, nil)
    }

    @Test func aBadWaitIsNamed() throws {
        let (folder, e) = try error("steps:\n  - tool: list_files\n    wait: soon\n"); defer { folder.delete() }
        #expect(e?.file == folder.path + "/agent.yaml")
        #expect(e?.line == 3)
        #expect(e?.field == "steps[0].wait")
        #expect(e?.message.contains("expected a duration") == true)
    }

    @Test func argsMustBeAMapping() throws {
        let (folder, e) = try error("steps:\n  - tool: list_files\n    args: [a, b]\n"); defer { folder.delete() }
        #expect(e?.line == 3)
        #expect(e?.field == "steps[0].args")
        #expect(e?.message.contains("args must be a mapping") == true)
    }

    @Test func aStepNeedsATool() throws {
        let (folder, e) = try error("steps:\n  - args: {path: x}\n"); defer { folder.delete() }
        #expect(e?.field == "steps[0].tool")
        #expect(e?.message.contains("missing required field \"tool\"") == true)
    }

    @Test func anUnknownStepFieldSuggestsTheRightOne() throws {
        let (folder, e) = try error("steps:\n  - tool: list_files\n    arg: {path: x}\n"); defer { folder.delete() }
        #expect(e?.line == 3)
        #expect(e?.field == "steps[0].arg")
        #expect(e?.message.contains("did you mean \"args\"?") == true)
    }

    @Test func aMissingFileIsReported() throws {
        let e = #expect(throws: ScenarioError.self) { _ = try ScriptedAgent.load(file: "/nonexistent/agent.yaml") }
        #expect(e?.file == "/nonexistent/agent.yaml")
    }
}
