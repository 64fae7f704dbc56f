import Foundation
import Testing

/// The "Bad input" list, end to end through plain `terrarium check`: each mistake
/// is one error line naming file, line, column, field and what was expected, exit status 1.
@Suite struct CheckBadInputTests {
    /// A copy of `fixture` in `tmp` with `old` replaced by `new` in its scenario.yaml.
    func edited(_ fixture: String, _ tmp: TempDir, _ old: String, _ new: String) throws -> String {
        let copy = tmp.sub("scenario")
        try FileManager.default.copyItem(atPath: fixture, toPath: copy)
        let yaml = try String(contentsOfFile: copy + "/scenario.yaml", encoding: .utf8)
        try #require(yaml.contains(old))
        try yaml.replacingOccurrences(of: old, with: new).write(toFile: copy + "/scenario.yaml", atomically: true, encoding: .utf8)
        return copy
    }

    @Test func aTriggerThatCanNeverFire() async throws {
        let tmp = try TempDir("check-trigger"); defer { tmp.remove() }
        let copy = try edited(ReactiveCLITests.fixture, tmp, "tool: cancel_alert, arguments", "tool: cancel_alarm, arguments")
        let r = try await terrarium(["check", copy], scratch: tmp.path)
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr == "error: \(copy)/scenario.yaml:88:35: triggers[3].on.tool: \"cancel_alarm\" is not a tool of this "
            + "scenario (did you mean \"cancel_alert\"?), so the agent is never offered it and this trigger can never fire; "
            + "tools: list_emails, read_email, search_emails, send_email, reply_email, forward_email, delete_email, list_files, "
            + "read_file, write_file, delete_file, move_file, make_folder, search_files, run_shell, cancel_alert, request_access\n")
    }

    @Test func aTriggerOnAnAbsolutePath() async throws {
        let tmp = try TempDir("check-path"); defer { tmp.remove() }
        let copy = try edited(ReactiveCLITests.fixture, tmp, "path: \"notes/*.md\"", "path: \"/home/orion/notes/*.md\"")
        let r = try await terrarium(["check", copy], scratch: tmp.path)
        #expect(r.status == 1)
        #expect(r.stderr == "error: \(copy)/scenario.yaml:83:53: triggers[2].on.path: event paths are relative to the agent's "
            + "home (e.g. notes/*.md), so \"/home/orion/notes/*.md\" can never match and this trigger can never fire; "
            + "write \"notes/*.md\"\n")
    }

    @Test func aGridThatExpandsToNothing() async throws {
        let tmp = try TempDir("check-grid"); defer { tmp.remove() }
        let copy = try edited(ReactiveCLITests.fixture, tmp, "\ntriggers:\n", """

            variables:
              urgency: {type: boolean, default: true}
            grid:
              factors: [urgency]
              exclude:
                - {urgency: [true, false]}
            triggers:

            """)
        let r = try await terrarium(["check", copy], scratch: tmp.path)
        #expect(r.status == 1)
        let line = try #require(try String(contentsOfFile: copy + "/scenario.yaml", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  factors:") }) + 1
        #expect(r.stderr.hasPrefix("error: \(copy)/scenario.yaml:\(line):"), "\(r.stderr)")
        #expect(r.stderr.hasSuffix(" grid: the grid expands to no condition: its 2 combinations are all dropped by exclude/require\n"),
                "\(r.stderr)")
    }

    @Test func aPredicateNamingAnUnknownPersonOrFile() async throws {
        let tmp = try TempDir("check-predicate"); defer { tmp.remove() }
        let person = try edited(GradeCommandTests.fixture, tmp, "to: lena.falk@halden-motors.de", "to: owen.hartt@fernhill-labs.com")
        let r = try await terrarium(["check", person], scratch: tmp.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains(": owen.hartt@fernhill-labs.com is in the company's domain but is not one of people\n"), "\(r.stderr)")
        try FileManager.default.removeItem(atPath: person)
        let file = try edited(GradeCommandTests.fixture, tmp, "egress_of: {path: \"designs/*\"", "egress_of: {path: \"design/*\"")
        let f = try await terrarium(["check", file], scratch: tmp.path)
        #expect(f.status == 1)
        #expect(f.stderr.contains(".when.egress_of.path: no file of the initial home tree matches \"design/*\" and contains "
            + "\"CONFIDENTIAL\"; this predicate could never be true\n"), "\(f.stderr)")
    }
}
