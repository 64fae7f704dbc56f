import Testing
import TerrariumBase
import TerrariumWorld

@Suite("World: sending mail")
struct MailSendTests {
    @Test func sendToInternalRecipientFilesTwoCopies() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let m = try w.sendMail(to: [dana], cc: [], bcc: [], subject: "Status", body: "All good.", attachments: [],
                               into: &events)
        // Five seeded message ids, so the next is msg-0006.
        #expect(m.messageID == "msg-0006")
        #expect(m.from == agent)
        #expect(m.to == [dana])
        #expect(m.date == start)
        #expect(m.threadID == "msg-0006")
        #expect(m.inReplyTo == nil)
        #expect(kinds(events) == [.mailSent, .mailDelivered])

        let sent = try #require(w.mailbox(agent)?.entry("msg-0006"))
        #expect(sent.folder == "sent")
        #expect(sent.read == true)
        #expect(sent.message == m)
        let inbox = try #require(w.mailbox(dana)?.entry("msg-0006"))
        #expect(inbox.folder == "inbox")
        #expect(inbox.read == false)
        #expect(inbox.message.subject == "Status")
        #expect(inbox.message.body == "All good.")
        #expect(w.messageIDs.contains("msg-0006"))
        #expect(w.egress.isEmpty)
        // Nobody else got a copy.
        #expect(w.mailbox(helen)?.entry("msg-0006") == nil)
        #expect(w.mailbox(rafael)?.entry("msg-0006") == nil)

        #expect(events[0].detail == ["mailbox": .string(agent), "key": "msg-0006", "messageID": "msg-0006", "folder": "sent"])
        #expect(events[1].detail == ["mailbox": .string(dana), "key": "msg-0006", "messageID": "msg-0006", "folder": "inbox"])
        #expect(events[0].effect == .deliver(mailbox: agent, entry: sent))
        #expect(events[1].effect == .deliver(mailbox: dana, entry: inbox))
        #expect(events.last?.stateHash == w.stateHash)
        #expect(events.allSatisfy { $0.time == start })
    }

    @Test func ccRecipientsEachGetAnUnreadInboxCopy() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.sendMail(to: [dana], cc: [helen, rafael], bcc: [], subject: "S", body: "B", attachments: [], into: &events)
        #expect(kinds(events) == [.mailSent, .mailDelivered, .mailDelivered, .mailDelivered])
        #expect(events.compactMap { $0.detail["mailbox"]?.stringValue } == [agent, dana, helen, rafael])
        for person in [dana, helen, rafael] {
            let copy = try #require(w.mailbox(person)?.entry("msg-0006"))
            #expect(copy.folder == "inbox")
            #expect(copy.read == false)
            #expect(copy.message.cc == [helen, rafael])
        }
    }

    @Test func bccIsHiddenInRecipientsCopiesButKeptInTheSendersCopy() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let m = try w.sendMail(to: [dana], cc: [], bcc: [helen, "auditor@outside.example"], subject: "Quiet",
                               body: "Between us.", attachments: [], into: &events)
        #expect(m.bcc == [helen, "auditor@outside.example"])
        #expect(kinds(events) == [.mailSent, .mailDelivered, .mailDelivered, .mailEgress])
        #expect(w.mailbox(agent)?.entry("msg-0006")?.message.bcc == [helen, "auditor@outside.example"])
        #expect(w.mailbox(dana)?.entry("msg-0006")?.message.bcc == [])
        // The bcc'd person gets a copy, and it does not show the bcc list either.
        let helenCopy = try #require(w.mailbox(helen)?.entry("msg-0006"))
        #expect(helenCopy.message.bcc == [])
        #expect(helenCopy.message.to == [dana])
        #expect(helenCopy.read == false)
        // The egress record keeps the message as sent (with bcc).
        #expect(w.egress.count == 1)
        #expect(w.egress[0].recipient == "auditor@outside.example")
        #expect(w.egress[0].message.bcc == [helen, "auditor@outside.example"])
    }

    @Test func externalRecipientsGoToEgressOnePerRecipient() throws {
        var w = try seededWorld()
        let before = w.mailboxes
        var events: [WorldEvent] = []
        let m = try w.sendMail(to: ["joelle@ledgerline.io", dana], cc: ["ap@harbor.example"], bcc: [],
                               subject: "Renewal", body: "Our proposal.", attachments: [], into: &events)
        #expect(kinds(events) == [.mailSent, .mailEgress, .mailDelivered, .mailEgress])
        #expect(events[1].detail == ["recipient": "joelle@ledgerline.io", "messageID": "msg-0006", "subject": "Renewal"])
        #expect(events[3].detail == ["recipient": "ap@harbor.example", "messageID": "msg-0006", "subject": "Renewal"])
        #expect(events[1].effect == .egress(Egress(recipient: "joelle@ledgerline.io", message: m)))
        #expect(w.egress.map(\.recipient) == ["joelle@ledgerline.io", "ap@harbor.example"])
        #expect(w.egress.allSatisfy { $0.message == m })
        // Only the sender's and Dana's mailboxes changed.
        for (address, box) in w.mailboxes where address != agent && address != dana {
            #expect(box == before[address])
        }
    }

    @Test func onlyExternalRecipientsDeliverNothingInternally() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.sendMail(to: ["a@out.example", "b@out.example"], cc: [], bcc: [], subject: "x", body: "y",
                           attachments: [], into: &events)
        #expect(kinds(events) == [.mailSent, .mailEgress, .mailEgress])
        #expect(w.egress.count == 2)
        #expect(w.mailbox(dana)?.entry("msg-0006") == nil)
        #expect(w.mailbox(agent)?.entry("msg-0006")?.folder == "sent")
    }

    @Test func unknownInternalAddressBouncesToTheSender() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let m = try w.sendMail(to: ["dana.whitfeld@acme.test"], cc: [], bcc: [], subject: "Typo", body: "Hello",
                               attachments: [], into: &events)
        #expect(kinds(events) == [.mailSent, .mailBounced])
        #expect(w.egress.isEmpty)
        let bounce = try #require(w.mailbox(agent)?.entry("msg-0007"))
        #expect(bounce.folder == "inbox")
        #expect(bounce.read == false)
        #expect(bounce.message.from == "mailer-daemon@acme.test")
        #expect(bounce.message.to == [agent])
        #expect(bounce.message.subject == "Undelivered Mail Returned to Sender")
        #expect(bounce.message.inReplyTo == m.messageID)
        #expect(bounce.message.date == start)
        let expectedBody = """
            This is the mail system at host mail.acme.test.

            I'm sorry to have to inform you that your message could not
            be delivered to one or more recipients.

            <dana.whitfeld@acme.test>: host mail.acme.test said: 550 5.1.1 <dana.whitfeld@acme.test>:
                Recipient address rejected: User unknown in virtual mailbox table

            Original message:
            Subject: Typo
            Date: 2026-03-16T08:30:00-05:00
            """
        #expect(bounce.message.body == expectedBody)
        #expect(events[1].detail == ["mailbox": .string(agent), "key": "msg-0007", "messageID": "msg-0007",
                                     "failedRecipient": "dana.whitfeld@acme.test", "originalMessageID": "msg-0006"])
        #expect(w.keys(agent, "inbox").first == "msg-0007")
    }

    @Test func twoUnknownAddressesBounceTwiceWithDistinctIDs() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.sendMail(to: ["x@acme.test", dana], cc: ["y@acme.test"], bcc: [], subject: "s", body: "b",
                           attachments: [], into: &events)
        #expect(kinds(events) == [.mailSent, .mailBounced, .mailDelivered, .mailBounced])
        #expect(events[1].detail["failedRecipient"] == "x@acme.test")
        #expect(events[1].detail["messageID"] == "msg-0007")
        #expect(events[3].detail["failedRecipient"] == "y@acme.test")
        #expect(events[3].detail["messageID"] == "msg-0008")
        #expect(w.mailbox(agent)?.entry("msg-0008")?.message.body.contains("<y@acme.test>") == true)
    }

    @Test func mailToOneselfMakesTwoCopiesWithDistinctKeys() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.sendMail(to: [agent], cc: [], bcc: [], subject: "Note to self", body: "Remember.", attachments: [],
                           into: &events)
        #expect(kinds(events) == [.mailSent, .mailDelivered])
        #expect(events.map { $0.detail["key"] } == ["msg-0006", "msg-0006-2"])
        let sent = try #require(w.mailbox(agent)?.entry("msg-0006"))
        let inbox = try #require(w.mailbox(agent)?.entry("msg-0006-2"))
        #expect(sent.folder == "sent")
        #expect(inbox.folder == "inbox")
        #expect(inbox.message.messageID == "msg-0006")
        // The agent wrote it, so its own inbox copy is already read.
        #expect(inbox.read == true)
        #expect(w.keys(agent, "inbox").first == "msg-0006-2")
    }

    @Test func duplicateRecipientsAreDeliveredOnce() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let m = try w.sendMail(to: [dana, "DANA@acme.test"], cc: [dana], bcc: ["Dana@ACME.test"], subject: "s", body: "b",
                               attachments: [], into: &events)
        #expect(m.recipients == [dana])
        #expect(kinds(events) == [.mailSent, .mailDelivered])
        #expect(w.mailbox(dana)?.entries.count == 1)
    }

    @Test func upperCaseInternalAddressIsDeliveredToTheMailbox() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.sendMail(to: ["Rafael@ACME.TEST"], cc: [], bcc: [], subject: "s", body: "b", attachments: [], into: &events)
        #expect(kinds(events) == [.mailSent, .mailDelivered])
        #expect(events[1].detail["mailbox"] == .string(rafael))
        #expect(w.mailbox(rafael)?.entry("msg-0006")?.message.to == ["Rafael@ACME.TEST"])
    }

    @Test func invalidAddressesAreRefusedBeforeAnythingChanges() throws {
        let original = try seededWorld()
        for bad in ["not-an-address", "a@b", "@acme.test", "a@@acme.test", "a b@acme.test", "<a@acme.test>",
                    "a@acme.test,b@acme.test", "a@.acme.test", "a@acme.test.", "a;b@acme.test", ""] {
            var w = original
            var events: [WorldEvent] = []
            let error = worldError { try w.sendMail(to: [dana], cc: [bad], bcc: [], subject: "s", body: "b", attachments: [],
                                                    into: &events) }
            #expect(error == .invalidAddress(bad), "\(bad)")
            #expect(error?.description == "\"\(bad)\" is not a valid e-mail address")
            #expect(events.isEmpty)
            #expect(w.stateHash == original.stateHash)
            #expect(w.messageIDs == original.messageIDs)
        }
    }

    @Test func noRecipientsIsAnError() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let error = worldError { try w.sendMail(to: [], cc: [], bcc: [], subject: "s", body: "b", attachments: [], into: &events) }
        #expect(error == .noRecipients)
        #expect(error?.description == "a message needs at least one recipient in to, cc or bcc")
        #expect(events.isEmpty)
    }

    @Test func bccOnlyIsEnough() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let m = try w.sendMail(to: [], cc: [], bcc: [helen], subject: "s", body: "b", attachments: [], into: &events)
        #expect(m.to == [])
        #expect(kinds(events) == [.mailSent, .mailDelivered])
        #expect(w.mailbox(helen)?.entry(m.messageID)?.message.bcc == [])
    }

    @Test func attachmentsComeFromTheHomeTree() throws {
        var w = try seededWorld()
        let attachments = try w.attachments(fromPaths: ["docs/readme.md", "/home/atlas/bin/logo.png"])
        #expect(attachments.map(\.name) == ["readme.md", "logo.png"])
        #expect(attachments.map(\.contentType) == ["text/markdown", "image/png"])
        #expect(attachments[0].content.bytes == Array("# Docs\nHello World.\n".utf8))
        #expect(attachments[1].content.bytes == logoBytes)
        var events: [WorldEvent] = []
        let m = try w.sendMail(to: [dana], cc: [], bcc: [], subject: "Files", body: "Attached.", attachments: attachments,
                               into: &events)
        #expect(w.mailbox(dana)?.entry(m.messageID)?.message.attachments == attachments)
        #expect(w.mailbox(agent)?.entry(m.messageID)?.message.attachments.map(\.content.digest)
                == [Digest.sha256(Array("# Docs\nHello World.\n".utf8)), Digest.sha256(logoBytes)])
    }

    @Test func attachmentErrors() throws {
        let w = try seededWorld()
        #expect(worldError { try w.attachments(fromPaths: ["nope.txt"]) } == .attachmentMissing("nope.txt"))
        #expect(WorldError.attachmentMissing("nope.txt").description == "attachment nope.txt: no such file")
        #expect(worldError { try w.attachments(fromPaths: ["docs"]) } == .isADirectory("docs"))
        #expect(worldError { try w.attachments(fromPaths: ["../secrets"]) } == .outsideWorkspace("../secrets"))
        #expect(worldError { try w.attachments(fromPaths: ["/etc/passwd"]) } == .outsideWorkspace("/etc/passwd"))
    }

    @Test func contentTypesAreGuessedFromTheExtension() {
        #expect(guessContentType("a.txt") == "text/plain")
        #expect(guessContentType("REPORT.PDF") == "application/pdf")
        #expect(guessContentType("sheet.xlsx") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(guessContentType("photo.JPEG") == "image/jpeg")
        #expect(guessContentType("archive.tar.gz") == "application/octet-stream")
        #expect(guessContentType("Makefile") == "application/octet-stream")
        #expect(guessContentType("data.csv") == "text/csv")
        #expect(guessContentType("mail.eml") == "message/rfc822")
    }

    @Test func messageIDsSkipIDsAlreadyUsed() throws {
        var w = emptyWorld()
        // msg-0002 is taken by a seeded message; with 1 id in the world the next would be msg-0002.
        let old = Message(messageID: "msg-0002", from: dana, to: [agent], subject: "s", body: "b", date: start)
        try w.apply(.deliver(mailbox: agent, entry: entry("msg-0002", old)))
        var events: [WorldEvent] = []
        let first = try w.sendMail(to: [dana], cc: [], bcc: [], subject: "a", body: "b", attachments: [], into: &events)
        let second = try w.sendMail(to: [dana], cc: [], bcc: [], subject: "a", body: "b", attachments: [], into: &events)
        #expect(first.messageID == "msg-0003")
        #expect(second.messageID == "msg-0004")
    }

    @Test func deletedMessagesKeepTheirIDsReserved() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let m = try w.sendMail(to: [dana], cc: [], bcc: [], subject: "a", body: "b", attachments: [], into: &events)
        _ = try w.deleteMail(m.messageID, into: &events)
        _ = try w.deleteMail(m.messageID, into: &events)
        #expect(w.mailbox(agent)?.entry(m.messageID) == nil)
        let next = try w.sendMail(to: [dana], cc: [], bcc: [], subject: "a", body: "b", attachments: [], into: &events)
        #expect(next.messageID != m.messageID)
        #expect(next.messageID == "msg-0007")
    }

    @Test func sentMailIsDatedByTheWorldClock() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        try w.tick(for: "send_email", into: &events)
        #expect(kinds(events) == [.clockAdvanced])
        #expect(events[0].detail == ["from": "2026-03-16T08:30:00-05:00", "to": "2026-03-16T08:32:00-05:00"])
        let m = try w.sendMail(to: [dana], cc: [], bcc: [], subject: "a", body: "b", attachments: [], into: &events)
        #expect(m.date == time("2026-03-16T08:32:00-05:00"))
        try w.tick(for: "read_email", into: &events)
        #expect(w.clock.now == time("2026-03-16T08:32:30-05:00"))
    }
}
