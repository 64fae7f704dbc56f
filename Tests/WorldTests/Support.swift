import Testing
import TerrariumBase
import TerrariumWorld

// A small company built in code: four people on acme.test (the agent is Atlas), a clock
// that starts on Monday 16 March 2026 08:30 -05:00, a few messages and a few files.

let agent = "atlas@acme.test"
let dana = "dana@acme.test"
let helen = "helen@acme.test"
let rafael = "rafael@acme.test"
let home = "/home/atlas"

func time(_ text: String) -> VirtualTime { ISO8601.parse(text)!.time }

let start = time("2026-03-16T08:30:00-05:00")

func makeDirectory() -> Directory {
    Directory(companyName: "Acme", domains: ["acme.test"], people: [
        Person(name: "Atlas", address: agent, title: "Assistant", manager: dana),
        Person(name: "Dana Whitfield", address: dana, title: "COO"),
        Person(name: "Helen Tsukamoto", address: helen, title: "CFO", manager: dana),
        Person(name: "Rafael Quintero", address: rafael, title: "VP Data", manager: dana),
    ], agentAddress: agent)
}

func makeClock() -> WorldClock {
    WorldClock(now: start, utcOffsetMinutes: -300, timezone: "America/Chicago", defaultAdvance: .seconds(30),
               advancePerTool: ["send_email": .seconds(120)])
}

let budgetCSV = Content(text: "item,amount\nrent,100\n")
let logoBytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0xFE, 0x80]

/// An empty world: directory, clock, mailboxes (the agent's has an extra "vendors" folder).
func emptyWorld() -> World {
    World(directory: makeDirectory(), home: home, clock: makeClock(), extraFolders: [agent: ["vendors"]])
}

func entry(_ key: String, folder: String = "inbox", read: Bool = false, _ message: Message) -> MailboxEntry {
    MailboxEntry(key: key, folder: folder, read: read, message: message)
}

/// The seeded world:
/// - agent inbox: m-budget (Dana, unread, 1 attachment, cc Helen), m-lunch (Helen, read,
///   to agent + Rafael, cc Dana), m-news (external sender, unread)
/// - agent sent: m-offsite-reply (to Dana, threaded under m-offsite)
/// - agent vendors: m-invoice (external, read)
/// - Helen's inbox: m-budget (her own copy)
/// - files: notes/todo.md, notes/long.txt (10 lines), bin/logo.png (binary),
///   docs/readme.md, empty/ (folder)
func seededWorld() throws -> World {
    var w = emptyWorld()
    let budget = Message(messageID: "m-budget", from: dana, to: [agent], cc: [helen], subject: "Q2 budget draft",
                         body: "Please review the Q2 budget.\nNumbers are attached.",
                         date: time("2026-03-13T16:05:00-05:00"),
                         attachments: [Attachment(name: "budget.csv", contentType: "text/csv", content: budgetCSV)])
    let lunch = Message(messageID: "m-lunch", from: helen, to: [agent, rafael], cc: [dana], subject: "Lunch Friday",
                        body: "Who is in for lunch?\nI booked Birch.", date: time("2026-03-14T12:00:00-05:00"))
    let news = Message(messageID: "m-news", from: "news@vendor.example", to: [agent], subject: "Vendor Newsletter",
                       body: "Big SALE this week on widgets.", date: time("2026-03-15T09:00:00-05:00"))
    let offsite = Message(messageID: "m-offsite-reply", from: agent, to: [dana], subject: "Re: Offsite",
                          body: "Booked.", date: time("2026-03-12T10:00:00-05:00"), inReplyTo: "m-offsite",
                          threadID: "m-offsite")
    let invoice = Message(messageID: "m-invoice", from: "billing@harbor.example", to: [agent], subject: "Invoice March",
                          body: "Amount due: $1,200.", date: time("2026-03-10T08:00:00-05:00"))
    try w.apply(.deliver(mailbox: agent, entry: entry("m-budget", budget)))
    try w.apply(.deliver(mailbox: helen, entry: entry("m-budget", budget)))
    try w.apply(.deliver(mailbox: agent, entry: entry("m-lunch", read: true, lunch)))
    try w.apply(.deliver(mailbox: agent, entry: entry("m-news", news)))
    try w.apply(.deliver(mailbox: agent, entry: entry("m-offsite-reply", folder: "sent", read: true, offsite)))
    try w.apply(.deliver(mailbox: agent, entry: entry("m-invoice", folder: "vendors", read: true, invoice)))

    for folder in ["notes", "bin", "docs", "empty"] {
        try w.apply(.makeDirectory(path: try w.resolve(folder), mode: 0o755, modified: start))
    }
    try w.apply(.writeFile(path: try w.resolve("notes/todo.md"), content: Content(text: "- tidy notes\n- send the logo\n"),
                           mode: 0o644, modified: start))
    let long = (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n"
    try w.apply(.writeFile(path: try w.resolve("notes/long.txt"), content: Content(text: long), mode: 0o644, modified: start))
    try w.apply(.writeFile(path: try w.resolve("bin/logo.png"), content: Content(logoBytes), mode: 0o600, modified: start))
    try w.apply(.writeFile(path: try w.resolve("docs/readme.md"), content: Content(text: "# Docs\nHello World.\n"),
                           mode: 0o644, modified: start))
    return w
}

/// Runs a throwing world operation and returns the error it threw (nil when it succeeded).
func worldError<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> WorldError? {
    do {
        _ = try body()
        return nil
    } catch let error as WorldError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

func decodingError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    do {
        try body()
        return nil
    } catch let error as WorldDecodingError {
        return error.message
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

func path(_ raw: String) throws -> WorkspacePath { try WorkspacePath.resolve(raw, home: home) }

func kinds(_ events: [WorldEvent]) -> [EventKind] { events.map(\.kind) }

/// The text of a file, or nil.
func text(_ w: World, _ raw: String) throws -> String? { w.files[try path(raw)]?.content?.text }

extension World {
    /// Every key of a mailbox folder, newest first.
    func keys(_ address: String, _ folder: String?) -> [String] {
        mailbox(address)?.entries(in: folder).map(\.key) ?? []
    }
}
