import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumRecording
import TerrariumScenarios
import TerrariumWorld

/// The repository root, found from this file's own path.
let repositoryRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

let brambleDirectory = repositoryRoot + "/Environments/bramble-office"

/// A fresh, empty folder under the system temp folder. Call `remove()` in a `defer`
/// (not in deinit: ARC may release an object before the end of the test).
struct TempDir {
    let path: String

    init(_ label: String = "rec") throws {
        path = NSTemporaryDirectory() + "terrarium-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func sub(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                            withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

func writeFile(_ path: String, _ text: String) throws { try writeFile(path, Array(text.utf8)) }

func readBytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

/// Bytes that are not UTF-8, for binary contents.
let binaryBytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0xFE, 0x80, 0x81, 0xC0, 0x00, 0x01, 0x02, 0x03]

/// A small scenario with two people, an outsider's message, inline files and a folder of
/// files that holds one binary file.
func writeMiniScenario(into dir: String) throws {
    try writeFile(dir + "/scenario.yaml", """
        id: mini-office
        title: Mini office
        company:
          name: Mini Co
          domains: [mini.test]
        people:
          - name: Dana Boss
            address: dana@mini.test
            title: COO
          - name: Atlas
            address: atlas@mini.test
            title: Assistant
            manager: dana@mini.test
        agent:
          address: atlas@mini.test
          system_prompt: You help Dana.
        clock:
          start: "2026-03-16T08:30:00-05:00"
          advance: {default: 30s, send_email: 2m}
        mail:
          - id: hello
            from: dana@mini.test
            to: [atlas@mini.test]
            date: "2026-03-13T16:05:00-05:00"
            subject: Hello
            body: Please tidy the notes and send me the logo.
          - id: spam
            from: news@vendor.example
            to: atlas@mini.test
            date: "2026-03-14T10:00:00-05:00"
            subject: Newsletter
            body: Buy things.
        files:
          - from: files
          - path: notes/todo.md
            content: |
              - tidy notes
              - send the logo

        """)
    try writeFile(dir + "/files/bin/logo.bin", binaryBytes)
    try writeFile(dir + "/files/docs/readme.md", "# Docs\nHello.\n")
}

let allToolNames = ToolCatalog.builtInNames

func loadScenario(_ dir: String) throws -> Scenario {
    try ScenarioLoader.load(directory: dir, toolNames: allToolNames)
}

/// A text of exactly `count` bytes (ASCII, several lines).
func bigText(_ count: Int, seed: String = "line") -> String {
    var s = ""
    var n = 0
    while s.utf8.count < count {
        s += "\(seed) \(n): the quick brown fox jumps over the lazy dog\n"
        n += 1
    }
    return String(decoding: Array(s.utf8.prefix(count)), as: UTF8.self)
}

typealias Call = (tool: String, args: JSON)

/// A sequence touching every kind of effect: reads, writes (small, appended, large),
/// folders, moves, deletes, internal mail with a binary attachment, external mail
/// (egress), deleting mail, and agent mistakes.
let scriptedCalls: [Call] = [
    ("list_emails", [:]),
    ("read_email", ["id": "hello"]),
    ("write_file", ["path": "notes/plan.md", "content": "# Plan\n- one\n"]),
    ("write_file", ["path": "notes/plan.md", "content": "- two\n", "if_exists": "append"]),
    ("make_folder", ["path": "archive/2026"]),
    ("move_file", ["source": "notes/plan.md", "destination": "archive/2026/plan.md"]),
    ("send_email", ["to": ["dana@mini.test"], "subject": "Logo", "body": "Here it is.", "attachments": ["bin/logo.bin"]]),
    ("send_email", ["to": ["partner@outside.example"], "subject": "Hi", "body": "From Mini Co."]),
    ("delete_email", ["id": "spam"]),
    ("read_file", ["path": "does/not/exist.md"]),
    ("write_file", ["path": "reports/big.md", "content": .string(bigText(6000))]),
    ("read_file", ["path": "reports/big.md"]),
    ("fly_to_the_moon", [:]),
    ("delete_file", ["path": "notes/todo.md"]),
    ("search_files", ["text": "quick"]),
    ("search_emails", ["query": "logo"]),
]

/// A live world captured after the event with this seq.
struct Capture {
    var seq: Int
    var world: World
}

/// Runs `calls` on a new recorded episode and ends it; returns the episode, the scenario,
/// and the world after each call keyed by the last seq at that moment.
func record(scenarioDir: String, into out: String, calls: [Call] = scriptedCalls, seed: UInt64 = 7,
            fsync: FsyncPolicy = .never, end: Bool = true) async throws -> (Episode, Scenario, [Capture]) {
    let scenario = try loadScenario(scenarioDir)
    let episode = try Episode(scenario: scenario, options: .init(seed: seed, recordTo: out, fsync: fsync))
    var captures = [Capture(seq: await episode.lastSeq, world: await episode.snapshot())]
    for call in calls {
        _ = try await episode.call(call.tool, arguments: call.args)
        captures.append(Capture(seq: await episode.lastSeq, world: await episode.snapshot()))
    }
    if end { try await episode.end(reason: "test finished") }
    return (episode, scenario, captures)
}

/// Two worlds hold the same state: equal hashes and equal parts.
func expectSameWorld(_ a: World, _ b: World, _ note: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.stateHash == b.stateHash, "state hash \(note)", sourceLocation: sourceLocation)
    #expect(a.mailboxes == b.mailboxes, "mailboxes \(note)", sourceLocation: sourceLocation)
    #expect(a.files == b.files, "files \(note)", sourceLocation: sourceLocation)
    #expect(a.egress == b.egress, "egress \(note)", sourceLocation: sourceLocation)
    #expect(a.clock == b.clock, "clock \(note)", sourceLocation: sourceLocation)
    #expect(a.messageIDs == b.messageIDs, "message ids \(note)", sourceLocation: sourceLocation)
    #expect(a.reactive == b.reactive, "flags, disabled tools, ended \(note)", sourceLocation: sourceLocation)
}

// MARK: events.jsonl as lines

/// The log's lines without their newlines (a torn tail, if any, is dropped).
func logLines(_ episodeDir: String) throws -> [[UInt8]] {
    EventLogText(try readBytes(episodeDir + "/events.jsonl")).lines.map(Array.init)
}

func writeLogLines(_ episodeDir: String, _ lines: [[UInt8]]) throws {
    var bytes: [UInt8] = []
    for line in lines { bytes += line; bytes.append(0x0A) }
    try writeFile(episodeDir + "/events.jsonl", bytes)
}

func lineJSON(_ line: [UInt8]) throws -> JSON { try JSON.parse(line) }

/// The log with every `"wall":…` field removed, for comparing runs.
func logWithoutWall(_ episodeDir: String) throws -> String {
    let text = String(decoding: try readBytes(episodeDir + "/events.jsonl"), as: UTF8.self)
    // `wall` is the last key of every line (canonical order), so it runs to the line's final `}`;
    // this strips it whether it is a string or an object of host measurements.
    let regex = try NSRegularExpression(pattern: #","wall":.*(?=\}$)"#, options: [.anchorsMatchLines])
    return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
}

/// A copy of an episode folder.
func copyEpisode(_ from: String, to: String) throws -> String {
    try FileManager.default.copyItem(atPath: from, toPath: to)
    return to
}

func blobNames(_ episodeDir: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: episodeDir + "/blobs").sorted()
}
