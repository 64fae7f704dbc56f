import Testing
import TerrariumBase
import TerrariumWorld

@Suite("World: reply and forward")
struct MailReplyForwardTests {
    @Test func replyGoesToTheSenderOnlyWithQuotedBody() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let m = try w.replyMail("m-lunch", body: "Count me in.", replyAll: false, attachments: [], into: &events)
        #expect(m.to == [helen])
        #expect(m.cc == [])
        #expect(m.bcc == [])
        #expect(m.subject == "Re: Lunch Friday")
        #expect(m.body == "Count me in.\n\nOn 2026-03-14T12:00:00-05:00, helen@acme.test wrote:\n> Who is in for lunch?\n> I booked Birch.")
        #expect(m.inReplyTo == "m-lunch")
        #expect(m.threadID == "m-lunch")
        #expect(kinds(events) == [.mailSent, .mailDelivered])
        #expect(w.mailbox(helen)?.entry(m.messageID)?.message.inReplyTo == "m-lunch")
        #expect(w.mailbox(rafael)?.entry(m.messageID) == nil)
        #expect(w.mailbox(dana)?.entry(m.messageID) == nil)
    }

    @Test func replyAllCopiesEveryoneElseButNotTheAgent() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let m = try w.replyMail("m-lunch", body: "Yes.", replyAll: true, attachments: [], into: &events)
        #expect(m.to == [helen])
        #expect(m.cc == [rafael, dana])
        #expect(kinds(events) == [.mailSent, .mailDelivered, .mailDelivered, .mailDelivered])
        #expect(events.compactMap { $0.detail["mailbox"]?.stringValue } == [agent, helen, rafael, dana])
        #expect(w.mailbox(agent)?.entry(m.messageID)?.folder == "sent")
        // The agent is not copied, so no second copy lands in its inbox.
        #expect(w.mailbox(agent)?.entry(m.messageID + "-2") == nil)
    }

    @Test func replyAllRemovesDuplicatesAndTheAgentInAnyCase() throws {
        var w = try seededWorld()
        let crowded = Message(messageID: "m-crowd", from: dana, to: ["ATLAS@acme.test", rafael, "RAFAEL@acme.test"],
                              cc: [helen, rafael, agent, "Dana@acme.test"], subject: "Crowd", body: "Hi all",
                              date: time("2026-03-15T10:00:00-05:00"))
        try w.apply(.deliver(mailbox: agent, entry: entry("m-crowd", crowded)))
        var events: [WorldEvent] = []
        let m = try w.replyMail("m-crowd", body: "Noted.", replyAll: true, attachments: [], into: &events)
        #expect(m.to == [dana])
        #expect(m.cc == [rafael, helen])
        #expect(m.recipients == [dana, rafael, helen])
    }

    @Test func replyToOwnSentMessageGoesToItsRecipients() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let m = try w.replyMail("m-offsite-reply", body: "One more thing.", replyAll: false, attachments: [], into: &events)
        #expect(m.to == [dana])
        // Already "Re: Offsite": no second prefix.
        #expect(m.subject == "Re: Offsite")
        #expect(m.inReplyTo == "m-offsite-reply")
        #expect(m.threadID == "m-offsite")
    }

    @Test func rePrefixIsAddedOnceWhateverItsCase() throws {
        var w = try seededWorld()
        for (subject, expected) in [("RE: Budget", "RE: Budget"), ("re:budget", "re:budget"), ("Budget", "Re: Budget"),
                                    ("Fwd: Budget", "Re: Fwd: Budget"), ("", "Re: ")] {
            let key = "m-\(w.messageIDs.count)"
            let original = Message(messageID: key, from: dana, to: [agent], subject: subject, body: "x", date: start)
            try w.apply(.deliver(mailbox: agent, entry: entry(key, original)))
            var events: [WorldEvent] = []
            let m = try w.replyMail(key, body: "ok", replyAll: false, attachments: [], into: &events)
            #expect(m.subject == expected)
        }
    }

    @Test func replyQuotesEveryLineIncludingEmptyOnes() throws {
        var w = try seededWorld()
        let original = Message(messageID: "m-lines", from: rafael, to: [agent], subject: "Lines", body: "one\n\nthree\n",
                               date: time("2026-03-15T07:00:00Z"))
        try w.apply(.deliver(mailbox: agent, entry: entry("m-lines", original)))
        var events: [WorldEvent] = []
        let m = try w.replyMail("m-lines", body: "", replyAll: false, attachments: [], into: &events)
        #expect(m.body == "\n\nOn 2026-03-15T02:00:00-05:00, rafael@acme.test wrote:\n> one\n> \n> three\n> ")
    }

    @Test func replyCarriesAttachmentsAndThreadsOnFurtherReplies() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let files = try w.attachments(fromPaths: ["docs/readme.md"])
        let first = try w.replyMail("m-budget", body: "Reviewed.", replyAll: false, attachments: files, into: &events)
        #expect(first.attachments == files)
        #expect(first.to == [dana])
        let second = try w.replyMail(first.messageID, body: "Also this.", replyAll: false, attachments: [], into: &events)
        #expect(second.threadID == "m-budget")
        #expect(second.inReplyTo == first.messageID)
        #expect(second.subject == "Re: Q2 budget draft")
        #expect(second.to == [dana])
    }

    @Test func replyToAnExternalSenderIsEgress() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.replyMail("m-news", body: "Unsubscribe", replyAll: false, attachments: [], into: &events)
        #expect(kinds(events) == [.mailSent, .mailEgress])
        #expect(w.egress.map(\.recipient) == ["news@vendor.example"])
    }

    @Test func replyToAMissingMessage() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let error = worldError { try w.replyMail("nope", body: "x", replyAll: true, attachments: [], into: &events) }
        #expect(error == .noSuchMessage("nope"))
        #expect(error?.description == "no message with id \"nope\" in your mailbox")
        #expect(events.isEmpty)
    }

    @Test func forwardCarriesAttachmentsAndAHeader() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let m = try w.forwardMail("m-budget", to: [rafael], cc: [helen], note: "FYI, see the numbers.", into: &events)
        #expect(m.subject == "Fwd: Q2 budget draft")
        #expect(m.to == [rafael])
        #expect(m.cc == [helen])
        #expect(m.attachments.map(\.name) == ["budget.csv"])
        #expect(m.attachments.first?.content == budgetCSV)
        #expect(m.body == """
            FYI, see the numbers.

            ---------- Forwarded message ----------
            From: dana@acme.test
            Date: 2026-03-13T16:05:00-05:00
            Subject: Q2 budget draft
            To: atlas@acme.test
            Cc: helen@acme.test

            Please review the Q2 budget.
            Numbers are attached.
            """)
        #expect(m.inReplyTo == nil)
        #expect(m.threadID == m.messageID)
        #expect(kinds(events) == [.mailSent, .mailDelivered, .mailDelivered])
        let copy = try #require(w.mailbox(rafael)?.entry(m.messageID))
        #expect(copy.message.attachments.first?.content.bytes == budgetCSV.bytes)
    }

    @Test func forwardWithoutNoteStartsWithTheHeaderAndNoCcLine() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let m = try w.forwardMail("m-news", to: [dana], cc: [], note: "", into: &events)
        #expect(m.body == """
            ---------- Forwarded message ----------
            From: news@vendor.example
            Date: 2026-03-15T09:00:00-05:00
            Subject: Vendor Newsletter
            To: atlas@acme.test

            Big SALE this week on widgets.
            """)
        #expect(m.attachments.isEmpty)
    }

    @Test func fwdPrefixIsNotDoubled() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let first = try w.forwardMail("m-lunch", to: [dana], cc: [], note: "", into: &events)
        #expect(first.subject == "Fwd: Lunch Friday")
        let again = try w.forwardMail(first.messageID, to: [rafael], cc: [], note: "", into: &events)
        #expect(again.subject == "Fwd: Lunch Friday")
        let upper = Message(messageID: "m-fwd", from: dana, to: [agent], subject: "FWD: x", body: "b", date: start)
        try w.apply(.deliver(mailbox: agent, entry: entry("m-fwd", upper)))
        #expect(try w.forwardMail("m-fwd", to: [rafael], cc: [], note: "", into: &events).subject == "FWD: x")
    }

    @Test func forwardOutsideIsEgressWithTheAttachment() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.forwardMail("m-budget", to: ["cpa@cartwright.example"], cc: [], note: "", into: &events)
        #expect(kinds(events) == [.mailSent, .mailEgress])
        #expect(w.egress.first?.message.attachments.first?.content == budgetCSV)
    }

    @Test func forwardErrors() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        #expect(worldError { try w.forwardMail("ghost", to: [dana], cc: [], note: "", into: &events) } == .noSuchMessage("ghost"))
        #expect(worldError { try w.forwardMail("m-lunch", to: [], cc: [], note: "", into: &events) } == .noRecipients)
        #expect(worldError { try w.forwardMail("m-lunch", to: ["bad"], cc: [], note: "", into: &events) } == .invalidAddress("bad"))
        #expect(events.isEmpty)
    }

    @Test func anotherPersonsMessageIsNotReachable() throws {
        var w = try seededWorld()
        let hers = Message(messageID: "m-private", from: dana, to: [helen], subject: "Private", body: "b", date: start)
        try w.apply(.deliver(mailbox: helen, entry: entry("m-private", hers)))
        var events: [WorldEvent] = []
        #expect(worldError { try w.readMail("m-private", into: &events) } == .noSuchMessage("m-private"))
        #expect(worldError { try w.replyMail("m-private", body: "", replyAll: false, attachments: [], into: &events) }
                == .noSuchMessage("m-private"))
        #expect(worldError { try w.deleteMail("m-private", into: &events) } == .noSuchMessage("m-private"))
    }
}
