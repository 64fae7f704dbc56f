import Testing
import TerrariumBase
import TerrariumWorld

@Suite("World: reading, deleting, listing and searching mail")
struct MailReadListSearchTests {
    // MARK: read

    @Test func readingMarksReadAndRecordsTheChange() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let e = try w.readMail("m-budget", into: &events)
        #expect(e.read == true)
        #expect(e.key == "m-budget")
        #expect(e.message.subject == "Q2 budget draft")
        #expect(w.mailbox(agent)?.entry("m-budget")?.read == true)
        // Helen's copy of the same message is untouched.
        #expect(w.mailbox(helen)?.entry("m-budget")?.read == false)
        #expect(kinds(events) == [.mailRead])
        #expect(events[0].effect == .setRead(mailbox: agent, key: "m-budget", read: true))
        #expect(events[0].detail == ["mailbox": .string(agent), "key": "m-budget", "messageID": "m-budget", "wasUnread": true])
    }

    @Test func readingAReadMessageRecordsAnEventWithoutEffect() throws {
        var w = try seededWorld()
        let before = w.stateHash
        var events: [WorldEvent] = []
        let e = try w.readMail("m-lunch", into: &events)
        #expect(e.read == true)
        #expect(kinds(events) == [.mailRead])
        #expect(events[0].effect == nil)
        #expect(events[0].detail["wasUnread"] == false)
        #expect(w.stateHash == before)
        #expect(events[0].stateHash == before)
    }

    @Test func readingAMissingMessage() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        #expect(worldError { try w.readMail("msg-9999", into: &events) } == .noSuchMessage("msg-9999"))
        #expect(events.isEmpty)
    }

    // MARK: delete

    @Test func deleteMovesToTrashThenRemovesForGood() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        #expect(try w.deleteMail("m-news", into: &events) == false)
        #expect(w.mailbox(agent)?.entry("m-news")?.folder == "trash")
        #expect(kinds(events) == [.mailDeleted])
        #expect(events[0].effect == .moveMessage(mailbox: agent, key: "m-news", folder: "trash"))
        #expect(events[0].detail == ["mailbox": .string(agent), "key": "m-news", "messageID": "m-news",
                                     "fromFolder": "inbox", "permanently": false])
        #expect(w.keys(agent, "inbox") == ["m-lunch", "m-budget"])
        #expect(w.keys(agent, "trash") == ["m-news"])

        events = []
        #expect(try w.deleteMail("m-news", into: &events) == true)
        #expect(w.mailbox(agent)?.entry("m-news") == nil)
        #expect(events[0].effect == .removeMessage(mailbox: agent, key: "m-news"))
        #expect(events[0].detail == ["mailbox": .string(agent), "key": "m-news", "messageID": "m-news",
                                     "fromFolder": "trash", "permanently": true])
        #expect(w.keys(agent, "trash") == [])
        #expect(w.messageIDs.contains("m-news"))

        #expect(worldError { try w.deleteMail("m-news", into: &events) } == .noSuchMessage("m-news"))
    }

    @Test func deleteKeepsTheReadFlag() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.deleteMail("m-budget", into: &events)
        #expect(w.mailbox(agent)?.entry("m-budget")?.read == false)
        #expect(w.mailbox(helen)?.entry("m-budget")?.folder == "inbox")
    }

    // MARK: list

    @Test func listIsNewestFirst() throws {
        let w = try seededWorld()
        let (entries, total) = try w.listMail(folder: "inbox", unreadOnly: false, limit: 20, offset: 0)
        #expect(entries.map(\.key) == ["m-news", "m-lunch", "m-budget"])
        #expect(total == 3)
        #expect(try w.listMail(folder: "sent", unreadOnly: false, limit: 20, offset: 0).entries.map(\.key) == ["m-offsite-reply"])
        #expect(try w.listMail(folder: "vendors", unreadOnly: false, limit: 20, offset: 0).entries.map(\.key) == ["m-invoice"])
        #expect(try w.listMail(folder: "drafts", unreadOnly: false, limit: 20, offset: 0).total == 0)
    }

    @Test func listUnreadOnly() throws {
        let w = try seededWorld()
        let (entries, total) = try w.listMail(folder: "inbox", unreadOnly: true, limit: 20, offset: 0)
        #expect(entries.map(\.key) == ["m-news", "m-budget"])
        #expect(total == 2)
    }

    @Test func listPagesWithLimitAndOffset() throws {
        let w = try seededWorld()
        #expect(try w.listMail(folder: "inbox", unreadOnly: false, limit: 1, offset: 0).entries.map(\.key) == ["m-news"])
        let page = try w.listMail(folder: "inbox", unreadOnly: false, limit: 1, offset: 1)
        #expect(page.entries.map(\.key) == ["m-lunch"])
        #expect(page.total == 3)
        #expect(try w.listMail(folder: "inbox", unreadOnly: false, limit: 5, offset: 2).entries.map(\.key) == ["m-budget"])
        let past = try w.listMail(folder: "inbox", unreadOnly: false, limit: 5, offset: 10)
        #expect(past.entries.isEmpty)
        #expect(past.total == 3)
        #expect(try w.listMail(folder: "inbox", unreadOnly: true, limit: 1, offset: 1).entries.map(\.key) == ["m-budget"])
    }

    @Test func listUnknownFolderNamesTheFolders() throws {
        let w = try seededWorld()
        let error = worldError { try w.listMail(folder: "archive", unreadOnly: false, limit: 20, offset: 0) }
        #expect(error == .noSuchFolder("archive", available: ["inbox", "sent", "drafts", "trash", "vendors"]))
        #expect(error?.description == "no folder \"archive\"; folders: inbox, sent, drafts, trash, vendors")
        // Folder names are exact.
        #expect(worldError { try w.listMail(folder: "Inbox", unreadOnly: false, limit: 20, offset: 0) }
                == .noSuchFolder("Inbox", available: ["inbox", "sent", "drafts", "trash", "vendors"]))
    }

    @Test func listOrdersByDateWhateverTheArrivalOrder() throws {
        var w = emptyWorld()
        let dates = ["2026-03-10T10:00:00Z", "2026-03-12T10:00:00Z", "2026-03-11T10:00:00Z", "2026-03-09T10:00:00Z",
                     "2026-03-12T10:00:00Z"]
        for (i, d) in dates.enumerated() {
            let m = Message(messageID: "m\(i)", from: dana, to: [agent], subject: "s\(i)", body: "", date: time(d))
            try w.apply(.deliver(mailbox: agent, entry: entry("m\(i)", m)))
        }
        // Newest first; m1 and m4 share a date and the later arrival (m4) comes first.
        #expect(try w.listMail(folder: "inbox", unreadOnly: false, limit: 20, offset: 0).entries.map(\.key)
                == ["m4", "m1", "m2", "m0", "m3"])
        // The order survives removal and a snapshot round trip.
        var events: [WorldEvent] = []
        _ = try w.deleteMail("m2", into: &events)
        _ = try w.deleteMail("m2", into: &events)
        let copy = try World(snapshot: w.snapshotJSON(InlineContentCodec()), InlineContentCodec())
        #expect(try copy.listMail(folder: "inbox", unreadOnly: false, limit: 20, offset: 0).entries.map(\.key)
                == ["m4", "m1", "m0", "m3"])
    }

    // MARK: search

    func search(_ w: World, _ q: World.MailQuery, limit: Int = 20) throws -> [String] {
        try w.searchMail(q, limit: limit).entries.map(\.key)
    }

    @Test func searchTextInSubjectOrBodyIgnoringCase() throws {
        let w = try seededWorld()
        #expect(try search(w, .init(text: "q2")) == ["m-budget"])
        #expect(try search(w, .init(text: "BIRCH")) == ["m-lunch"])
        #expect(try search(w, .init(text: "sale")) == ["m-news"])
        #expect(try search(w, .init(text: "invoice")) == ["m-invoice"])
        #expect(try search(w, .init(text: "nothing like this")) == [])
        // Attachment names are not searched.
        #expect(try search(w, .init(text: "budget.csv")) == [])
    }

    @Test func searchNonASCIITextIgnoringCase() throws {
        var w = try seededWorld()
        let m = Message(messageID: "m-cafe", from: dana, to: [agent], subject: "CAFÉ OLÉ", body: "Straße", date: start)
        try w.apply(.deliver(mailbox: agent, entry: entry("m-cafe", m)))
        #expect(try search(w, .init(text: "café")) == ["m-cafe"])
        #expect(try search(w, .init(text: "STRASSE")) == [])
        #expect(try search(w, .init(text: "straße")) == ["m-cafe"])
    }

    @Test func searchBySenderAddressOrName() throws {
        let w = try seededWorld()
        #expect(try search(w, .init(from: "dana@")) == ["m-budget"])
        #expect(try search(w, .init(from: "Tsukamoto")) == ["m-lunch"])
        #expect(try search(w, .init(from: "helen tsukamoto")) == ["m-lunch"])
        #expect(try search(w, .init(from: "vendor.example")) == ["m-news"])
        #expect(try search(w, .init(from: "atlas")) == ["m-offsite-reply"])
    }

    @Test func searchByRecipientAddressOrNameInToAndCc() throws {
        let w = try seededWorld()
        #expect(try search(w, .init(to: "rafael")) == ["m-lunch"])
        #expect(try search(w, .init(to: "QUINTERO")) == ["m-lunch"])
        // Dana is cc on m-lunch and the recipient of m-offsite-reply: newest first, across folders.
        #expect(try search(w, .init(to: "Whitfield")) == ["m-lunch", "m-offsite-reply"])
        #expect(try search(w, .init(to: "helen")) == ["m-budget"])
    }

    @Test func searchByRecipientSeesBccOnlyInTheSendersCopy() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let m = try w.sendMail(to: [dana], cc: [], bcc: [rafael], subject: "hidden", body: "b", attachments: [], into: &events)
        #expect(try search(w, .init(to: "rafael")) == [m.messageID, "m-lunch"])
    }

    @Test func searchByDateRangeAfterInclusiveBeforeExclusive() throws {
        let w = try seededWorld()
        let noon = time("2026-03-14T12:00:00-05:00")
        #expect(try search(w, .init(after: noon)) == ["m-news", "m-lunch"])
        #expect(try search(w, .init(before: noon)) == ["m-budget", "m-offsite-reply", "m-invoice"])
        #expect(try search(w, .init(after: time("2026-03-12T00:00:00-05:00"), before: noon))
                == ["m-budget", "m-offsite-reply"])
    }

    @Test func searchInOneFolder() throws {
        let w = try seededWorld()
        #expect(try search(w, .init(folder: "vendors")) == ["m-invoice"])
        #expect(try search(w, .init(text: "re", folder: "sent")) == ["m-offsite-reply"])
        #expect(try search(w, .init(folder: "trash")) == [])
        #expect(worldError { try w.searchMail(.init(folder: "Archive"), limit: 20) }
                == .noSuchFolder("Archive", available: ["inbox", "sent", "drafts", "trash", "vendors"]))
    }

    @Test func searchWithoutCriteriaListsEveryFolderNewestFirst() throws {
        let w = try seededWorld()
        #expect(try search(w, .init()) == ["m-news", "m-lunch", "m-budget", "m-offsite-reply", "m-invoice"])
    }

    @Test func searchCriteriaAllMustMatch() throws {
        let w = try seededWorld()
        #expect(try search(w, .init(text: "q2", from: "helen")) == [])
        #expect(try search(w, .init(text: "q2", from: "dana", to: "helen")) == ["m-budget"])
        #expect(try search(w, .init(text: "lunch", folder: "inbox", after: time("2026-03-15T00:00:00Z"))) == [])
    }

    @Test func searchLimitKeepsTheTotal() throws {
        let w = try seededWorld()
        let r = try w.searchMail(.init(), limit: 2)
        #expect(r.entries.map(\.key) == ["m-news", "m-lunch"])
        #expect(r.total == 5)
    }

    @Test func searchFindsTrashedMessages() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.deleteMail("m-lunch", into: &events)
        #expect(try search(w, .init(text: "birch")) == ["m-lunch"])
        #expect(try search(w, .init(text: "birch", folder: "inbox")) == [])
        #expect(try search(w, .init(text: "birch", folder: "trash")) == ["m-lunch"])
    }
}
