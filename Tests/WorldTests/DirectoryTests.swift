import Testing
import TerrariumBase
import TerrariumWorld

@Suite("World: directory, addresses and mailboxes")
struct DirectoryTests {
    @Test func internalDomainsIgnoreCase() {
        let d = makeDirectory()
        #expect(d.isInternal("someone@acme.test"))
        #expect(d.isInternal("SOMEONE@ACME.TEST"))
        #expect(!d.isInternal("someone@acme.test.evil.example"))
        #expect(!d.isInternal("someone@sub.acme.test"))
        #expect(!d.isInternal("no-at-sign"))
        // The last @ decides.
        #expect(d.isInternal("odd@outside.example@acme.test"))
        let upper = Directory(companyName: "X", domains: ["ACME.Test"], people: [], agentAddress: "Bot@Acme.Test")
        #expect(upper.domains == ["acme.test"])
        #expect(upper.agentAddress == "bot@acme.test")
        #expect(upper.isInternal("a@acme.test"))
    }

    @Test func peopleAreFoundByAddressInAnyCase() {
        let d = makeDirectory()
        #expect(d.person("dana@acme.test")?.name == "Dana Whitfield")
        #expect(d.person("DANA@Acme.Test")?.name == "Dana Whitfield")
        #expect(d.person("nobody@acme.test") == nil)
        #expect(d.agent?.name == "Atlas")
    }

    @Test func theFirstOfTwoPeopleWithOneAddressWins() {
        let d = Directory(companyName: "X", domains: ["x.test"], people: [
            Person(name: "First", address: "a@x.test", title: ""), Person(name: "Second", address: "A@X.TEST", title: ""),
        ], agentAddress: "a@x.test")
        #expect(d.person("a@x.test")?.name == "First")
    }

    /// `people` is a public `var`, but the address index is built once in `init`: a person
    /// added afterwards is never found.
    @Test func aPersonAddedAfterInitIsFound() {
        var d = makeDirectory()
        d.people.append(Person(name: "Keisha Morrow", address: "keisha@acme.test", title: "Head of People"))
        #expect(d.person("keisha@acme.test")?.name == "Keisha Morrow")
    }

    @Test(arguments: ["a@b.co", "first.last+tag@sub.example.org", "x@y.z", "UPPER@CASE.COM", "ü@exämple.de"])
    func plausibleAddresses(address: String) {
        #expect(isPlausibleAddress(address))
    }

    @Test(arguments: ["", "plain", "@b.co", "a@", "a@b", "a@.b", "a@b.", "a@@b.co", "a@b@c.co", "a b@c.co", "a@b .co",
                      "<a@b.co>", "a@b.co,", "a;b@c.co", "a@b.co\n", "\ta@b.co",
                      // ASCII addresses are checked over bytes, others by Characters: both ways.
                      "a@b.co\r\n", "a\u{0B}@b.co", "a@b.co\u{0C}", "ü@exämple.", "ü b@c.de", "a\u{A0}b@c.co", "é@@b.co"])
    func implausibleAddresses(address: String) {
        #expect(!isPlausibleAddress(address))
    }

    @Test func everyInternalPersonHasAMailboxWithStandardFolders() {
        let outsider = Person(name: "Joelle", address: "joelle@ledgerline.io", title: "AM")
        var people = makeDirectory().people
        people.append(outsider)
        let w = World(directory: Directory(companyName: "Acme", domains: ["acme.test"], people: people, agentAddress: agent),
                      home: home, clock: makeClock(), extraFolders: [agent: ["vendors", "inbox"], dana: ["board"]])
        #expect(w.mailboxes.keys.sorted() == [agent, dana, helen, rafael])
        #expect(w.mailbox(agent)?.folders == ["inbox", "sent", "drafts", "trash", "vendors"])
        #expect(w.mailbox(dana)?.folders == ["inbox", "sent", "drafts", "trash", "board"])
        #expect(w.mailbox(helen)?.folders == ["inbox", "sent", "drafts", "trash"])
        #expect(w.mailbox("joelle@ledgerline.io") == nil)
        #expect(w.mailbox("DANA@ACME.TEST")?.address == dana)
        #expect(w.agentMailbox?.address == agent)
    }

    @Test func freshKeysAreUniqueWithinAMailbox() throws {
        var w = emptyWorld()
        let m = Message(messageID: "m1", from: dana, to: [agent], subject: "s", body: "b", date: start)
        #expect(w.mailbox(agent)?.freshKey(for: "m1") == "m1")
        try w.apply(.deliver(mailbox: agent, entry: entry("m1", m)))
        #expect(w.mailbox(agent)?.freshKey(for: "m1") == "m1-2")
        try w.apply(.deliver(mailbox: agent, entry: entry("m1-2", m)))
        #expect(w.mailbox(agent)?.freshKey(for: "m1") == "m1-3")
        #expect(w.mailbox(dana)?.freshKey(for: "m1") == "m1")
    }

    @Test func messageRecipientsAndBccCopy() {
        let m = Message(messageID: "m", from: agent, to: [dana, "X@out.example"], cc: ["x@out.example", helen],
                        bcc: ["DANA@acme.test", rafael], subject: "s", body: "b", date: start)
        #expect(m.recipients == [dana, "X@out.example", helen, rafael])
        #expect(m.withoutBcc.bcc == [])
        #expect(m.withoutBcc.to == m.to)
        #expect(m.withoutBcc.cc == m.cc)
        #expect(m.withoutBcc.messageID == "m")
        #expect(m.bcc == ["DANA@acme.test", rafael])
        #expect(m.threadID == "m")
    }

    @Test func messagesAreValues() {
        let a = Message(messageID: "m", from: agent, to: [dana], subject: "s", body: "b", date: start)
        var b = a
        b.subject = "changed"
        #expect(a.subject == "s")
        #expect(b.subject == "changed")
        #expect(a != b)
        var c = a
        c.subject = "s"
        #expect(a == c)
        #expect(a.hashValue == c.hashValue)
    }

    @Test func clockFormatsInItsOffsetAndAdvancesPerTool() {
        let clock = makeClock()
        #expect(clock.format(start) == "2026-03-16T08:30:00-05:00")
        #expect(clock.advance(for: "send_email") == .seconds(120))
        #expect(clock.advance(for: "read_file") == .seconds(30))
        #expect(clock.advance(for: "no_such_tool") == .seconds(30))
        let utc = WorldClock(now: start, utcOffsetMinutes: 0)
        #expect(utc.format(start) == "2026-03-16T13:30:00Z")
        #expect(utc.defaultAdvance == .seconds(30))
    }

    @Test func worldErrorTexts() {
        #expect(WorldError.noSuchFile("a").description == "a: no such file or directory")
        #expect(WorldError.notADirectory("a").description == "a: not a directory")
        #expect(WorldError.isADirectory("a").description == "a: is a directory")
        #expect(WorldError.alreadyExists("a").description == "a: already exists")
        #expect(WorldError.invalidArgument("free text").description == "free text")
        #expect(WorldError.internalInconsistency("x").description == "internal error in the simulated world: x")
        #expect(WorldError.noSuchFolder("f", available: []).description == "no folder \"f\"; folders: ")
    }
}
