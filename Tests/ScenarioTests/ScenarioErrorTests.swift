import Foundation
import Testing
import TerrariumScenarios

/// A broken scenario is refused with the file, line and field to fix, and what was expected.
/// (Mail, files and tools: ScenarioSourceErrorTests.swift.)
@Suite struct ScenarioErrorTests {
    /// Loads the base scenario with one edit; returns the folder, the YAML and the error.
    func load(replacing old: String, with new: String,
              sourceLocation: SourceLocation = #_sourceLocation) throws -> (ScenarioFolder, String, ScenarioError?) {
        let yaml = replacing(old, with: new, in: baseYAML, sourceLocation: sourceLocation)
        let folder = try makeScenario(yaml)
        return (folder, yaml, folder.loadError(sourceLocation: sourceLocation))
    }

    @Test func theBaseScenarioLoads() throws {
        let folder = try makeScenario(); defer { folder.delete() }
        #expect(try folder.load().id == "tiny-office")
    }

    @Test func aYAMLSyntaxErrorHasLineAndColumn() throws {
        let (folder, yaml, error) = try load(replacing: "  domains: [tiny.test]\n", with: "  domains: [tiny.test\n")
        defer { folder.delete() }
        // libyaml notices the unclosed list on the next line, at the ':' after "people".
        expectError(error, file: folder.yaml, line: line(of: "people:", in: yaml), field: "",
                    words: ["YAML syntax error", "did not find expected ',' or ']'"])
        #expect(error?.column == 7)
        #expect(error?.description.hasPrefix(folder.yaml + ":\(line(of: "people:", in: yaml) ?? 0):7: YAML syntax error") == true)
    }

    @Test func aTabIndentIsASyntaxErrorAtItsColumn() throws {
        let (folder, yaml, error) = try load(replacing: "  name: Tiny Co\n", with: "  name: Tiny Co\n  \tx: 1\n")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "\tx: 1", in: yaml), field: "", words: ["YAML syntax error", "tab"])
        #expect(error?.column == 3)
    }

    @Test func anEmptyFileIsRefused() throws {
        let (folder, _, error) = try load(replacing: baseYAML, with: "# nothing here\n")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: 1, field: "", words: ["empty"])
    }

    @Test func aMissingRequiredFieldIsNamed() throws {
        let (folder, _, error) = try load(replacing: "title: Tiny office\n", with: "")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: 1, field: "title", words: ["missing required field \"title\""])
    }

    @Test func anUnknownFieldSuggestsTheNearestKnownOne() throws {
        let (folder, yaml, error) = try load(replacing: "title: Tiny office", with: "titel: Tiny office")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "titel:", in: yaml), field: "titel",
                    words: ["unknown field \"titel\"", "did you mean \"title\"?", "expected one of: format, id, title"])
    }

    @Test func anUnknownNestedFieldIsNamedByItsPath() throws {
        let (folder, yaml, error) = try load(replacing: "    title: COO\n", with: "    titel: COO\n")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "titel: COO", in: yaml), field: "people[0].titel",
                    words: ["unknown field \"titel\"", "did you mean \"title\"?"])
    }

    @Test func aFieldFarFromAnyKnownOneGetsNoHint() throws {
        let (folder, yaml, error) = try load(replacing: "title: Tiny office", with: "title: Tiny office\nsummary: x")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "summary:", in: yaml), field: "summary", words: ["unknown field"])
        #expect(error?.message.contains("did you mean") == false)
    }

    @Test(arguments: ["Tiny_Office", "tiny office", "-tiny", "TINY"]) func aBadIDIsRefused(id: String) throws {
        let (folder, yaml, error) = try load(replacing: "id: tiny-office", with: "id: \"\(id)\"")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "id: \"", in: yaml), field: "id",
                    words: ["lower-case letters, digits and dashes", "\"\(id)\""])
    }

    @Test func theAgentMustBeOneOfThePeople() throws {
        let (folder, yaml, error) = try load(replacing: "agent:\n  address: atlas@tiny.test",
                                             with: "agent:\n  address: ghost@tiny.test")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "  address: ghost@tiny.test", in: yaml), field: "agent.address",
                    words: ["ghost@tiny.test", "must be one of people"])
    }

    @Test func theAgentMustBeInternal() throws {
        let yaml = replacing("agent:\n  address: atlas@tiny.test", with: "agent:\n  address: bot@elsewhere.example",
                             in: replacing("  - name: Sam Lee\n", with: "  - name: Bot\n    address: bot@elsewhere.example\n  - name: Sam Lee\n",
                                           in: baseYAML))
        let folder = try makeScenario(yaml); defer { folder.delete() }
        expectError(folder.loadError(), file: folder.yaml, line: line(of: "agent:", in: yaml).map { $0 + 1 },
                    field: "agent.address", words: ["company's domains", "tiny.test"])
    }

    @Test func aManagerMustBeOneOfThePeople() throws {
        let (folder, yaml, error) = try load(replacing: "    address: sam@tiny.test\n    manager: dana@tiny.test",
                                             with: "    address: sam@tiny.test\n    manager: boss@tiny.test")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "manager: boss@tiny.test", in: yaml), field: "people[2].manager",
                    words: ["boss@tiny.test is not one of people"])
    }

    @Test func aPersonListedTwiceIsRefusedWhateverTheCase() throws {
        let (folder, yaml, error) = try load(replacing: "    address: sam@tiny.test", with: "    address: Dana@Tiny.test")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "Dana@Tiny.test", in: yaml), field: "people[2].address",
                    words: ["Dana@Tiny.test is listed twice"])
    }

    @Test func aPersonNeedsAnAddress() throws {
        let (folder, yaml, error) = try load(replacing: "    address: sam@tiny.test\n", with: "")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "- name: Sam Lee", in: yaml), field: "people[2].address",
                    words: ["missing required field \"address\""])
        #expect(error?.column == 5)
    }

    @Test func aBadDurationIsRefused() throws {
        let (folder, yaml, error) = try load(replacing: "  advance: 30s", with: "  advance: 30 seconds")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "advance: 30 seconds", in: yaml), field: "clock.advance",
                    words: ["expected a duration", "30s", "500ms"])
    }

    @Test func clockAdvanceMustNameTools() throws {
        let (folder, yaml, error) = try load(replacing: "  advance: 30s", with: "  advance:\n    default: 30s\n    sendmail: 2m")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "sendmail: 2m", in: yaml), field: "clock.advance.sendmail",
                    words: ["\"sendmail\" is not a tool", "default", "send_email"])
    }

    @Test func aBadDurationForOneToolIsNamed() throws {
        let (folder, yaml, error) = try load(replacing: "  advance: 30s", with: "  advance: {default: 30s, send_email: soon}")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "send_email: soon", in: yaml), field: "clock.advance.send_email",
                    words: ["expected a duration"])
    }

    @Test func theClockStartNeedsAnOffset() throws {
        let (folder, yaml, error) = try load(replacing: "\"2026-03-16T08:30:00-05:00\"", with: "\"next monday\"")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "next monday", in: yaml), field: "clock.start", words: ["ISO 8601"])
    }
}
