import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumScenarios
import TerrariumWorld

// MARK: The bundled scenario

let repositoryRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

let brambleDirectory = repositoryRoot + "/Environments/bramble-office"

func loadBramble() throws -> Scenario {
    try ScenarioLoader.load(directory: brambleDirectory, toolNames: ToolCatalog.builtInNames)
}

// MARK: A small company built in code

let agent = "atlas@acme.test"
let dana = "dana@acme.test"
let helen = "helen@acme.test"
let rafael = "rafael@acme.test"

func time(_ text: String) -> VirtualTime { ISO8601.parse(text)!.time }

let start = time("2026-03-16T08:30:00-05:00")
let budgetCSV = Content(text: "item,amount\nrent,100\n")
let logoBytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0xFE, 0x80]
/// The mail and file tools, in catalog order.
let mailAndFileTools = ["list_emails", "read_email", "search_emails", "send_email", "reply_email", "forward_email",
                        "delete_email", "list_files", "read_file", "write_file", "delete_file", "move_file", "make_folder",
                        "search_files"]
/// Every built-in tool as an unknown-tool error lists them (other groups may follow the 14 above).
let allTools = ToolCatalog.builtInNames.joined(separator: ", ")

/// Four people on acme.test; the clock advances 30 s per call, 2 min for send_email and
/// 10 s for read_file. Mail: m-budget (Dana, unread, attachment, cc Helen), m-lunch
/// (Helen, read), m-news (external, unread) in the inbox; m-offsite-reply in sent;
/// m-invoice in vendors. Files: notes/todo.md, notes/long.txt (10 lines), bin/logo.png
/// (binary), docs/readme.md, empty/.
func acmeWorld() throws -> World {
    let directory = Directory(companyName: "Acme", domains: ["acme.test"], people: [
        Person(name: "Atlas", address: agent, title: "Assistant", manager: dana),
        Person(name: "Dana Whitfield", address: dana, title: "COO"),
        Person(name: "Helen Tsukamoto", address: helen, title: "CFO", manager: dana),
        Person(name: "Rafael Quintero", address: rafael, title: "VP Data", manager: dana),
    ], agentAddress: agent)
    let clock = WorldClock(now: start, utcOffsetMinutes: -300, timezone: "America/Chicago", defaultAdvance: .seconds(30),
                           advancePerTool: ["send_email": .seconds(120), "read_file": .seconds(10)])
    var w = World(directory: directory, home: "/home/atlas", clock: clock, extraFolders: [agent: ["vendors"]])
    func deliver(_ box: String, _ key: String, folder: String = "inbox", read: Bool = false, _ m: Message) throws {
        try w.apply(.deliver(mailbox: box, entry: MailboxEntry(key: key, folder: folder, read: read, message: m)))
    }
    let budget = Message(messageID: "m-budget", from: dana, to: [agent], cc: [helen], subject: "Q2 budget draft",
                         body: "Please review the Q2 budget.\nNumbers are attached.", date: time("2026-03-13T16:05:00-05:00"),
                         attachments: [Attachment(name: "budget.csv", contentType: "text/csv", content: budgetCSV)])
    try deliver(agent, "m-budget", budget)
    try deliver(helen, "m-budget", budget)
    try deliver(agent, "m-lunch", read: true, Message(
        messageID: "m-lunch", from: helen, to: [agent, rafael], cc: [dana], subject: "Lunch Friday",
        body: "Who is in for lunch?\nI booked Birch.", date: time("2026-03-14T12:00:00-05:00")))
    try deliver(agent, "m-news", Message(
        messageID: "m-news", from: "news@vendor.example", to: [agent], subject: "Vendor Newsletter",
        body: "Big SALE this week on widgets.", date: time("2026-03-15T09:00:00-05:00")))
    try deliver(agent, "m-offsite-reply", folder: "sent", read: true, Message(
        messageID: "m-offsite-reply", from: agent, to: [dana], bcc: [helen], subject: "Re: Offsite", body: "Booked.",
        date: time("2026-03-12T10:00:00-05:00"), inReplyTo: "m-offsite", threadID: "m-offsite"))
    try deliver(agent, "m-invoice", folder: "vendors", read: true, Message(
        messageID: "m-invoice", from: "billing@harbor.example", to: [agent], subject: "Invoice March",
        body: "Amount due: $1,200.", date: time("2026-03-10T08:00:00-05:00")))
    func p(_ raw: String) throws -> WorkspacePath { try w.resolve(raw) }
    for folder in ["notes", "bin", "docs", "empty"] {
        try w.apply(.makeDirectory(path: try p(folder), mode: 0o755, modified: start))
    }
    try w.apply(.writeFile(path: try p("notes/todo.md"), content: Content(text: "- tidy notes\n- send the logo\n"),
                           mode: 0o644, modified: start))
    try w.apply(.writeFile(path: try p("notes/long.txt"),
                           content: Content(text: (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n"),
                           mode: 0o644, modified: start))
    try w.apply(.writeFile(path: try p("bin/logo.png"), content: Content(logoBytes), mode: 0o600, modified: start))
    try w.apply(.writeFile(path: try p("docs/readme.md"), content: Content(text: "# Docs\nHello World.\n"), mode: 0o644,
                           modified: start))
    return w
}

func acmeScenario(disabled: Set<String> = []) throws -> Scenario {
    Scenario(id: "acme", title: "Acme", description: "A small company for tests", directory: "/nonexistent",
             sourceHash: Digest.sha256("acme"), systemPrompt: "You help Dana.", disabledTools: disabled, world: try acmeWorld())
}

/// An in-memory episode of the acme scenario.
func acmeEpisode() throws -> Episode { try Episode(scenario: try acmeScenario()) }

// MARK: Recorded episodes

/// One line of events.jsonl.
struct Logged: Sendable {
    var seq: Int
    var kind: String
    var time: String
    var payload: [String: JSON]
}

/// An episode recorded into a fresh temp folder; call `remove()` in a `defer`.
struct Recorded {
    let episode: Episode
    let directory: String

    func events() throws -> [Logged] {
        let data = try #require(FileManager.default.contents(atPath: directory + "/events.jsonl"))
        return try data.split(separator: 0x0A).map { line in
            let json = try JSON.parse(Array(line))
            return Logged(seq: Int(json["seq"]?.intValue ?? -1), kind: json["kind"]?.stringValue ?? "",
                          time: json["time"]?.stringValue ?? "", payload: json["payload"]?.objectValue ?? [:])
        }
    }

    /// The events of one call, from its tool.called to its tool.result.
    func events(of result: ToolCallResult) throws -> [Logged] {
        try events().filter { $0.seq >= result.calledSeq && $0.seq <= result.resultSeq }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

extension Recorded {
    init(_ scenario: Scenario) throws {
        let directory = NSTemporaryDirectory() + "terrarium-episode-tests-" + UUID().uuidString
        self.init(episode: try Episode(scenario: scenario, options: .init(seed: 1, recordTo: directory)), directory: directory)
    }
}

// MARK: Calls

extension Episode {
    /// A call that must succeed.
    func ok(_ name: String, _ arguments: JSON, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ToolCallResult {
        let r = try await call(name, arguments: arguments)
        #expect(!r.isError, "\(name) failed: \(r.text)", sourceLocation: sourceLocation)
        return r
    }

    /// A call that must fail with this message (text "Error: <message>", data {error: message}).
    func fails(_ name: String, _ arguments: JSON, _ message: String,
               sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let r = try await call(name, arguments: arguments)
        #expect(r.isError, "\(name) should fail", sourceLocation: sourceLocation)
        #expect(r.text == "Error: " + message, sourceLocation: sourceLocation)
        #expect(r.data == ["error": .string(message)], sourceLocation: sourceLocation)
    }

    var now: VirtualTime { world.clock.now }
}

extension World {
    func text(_ raw: String) -> String? { (try? resolve(raw)).flatMap { files[$0]?.content?.text } }
    func node(_ raw: String) -> FileNode? { (try? resolve(raw)).flatMap { files[$0] } }
}
