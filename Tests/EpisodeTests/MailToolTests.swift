import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumWorld

@Suite("Episode: mail tools")
struct MailToolTests {
    // MARK: list_emails

    @Test func listInboxNewestFirst() async throws {
        let e = try acmeEpisode()
        let r = try await e.ok("list_emails", [:])
        #expect(r.text == """
            Inbox: 3 messages, showing 1–3, newest first
            [m-news] 2026-03-15T09:00:00-05:00 | From: news@vendor.example | Subject: Vendor Newsletter | unread
            [m-lunch] 2026-03-14T12:00:00-05:00 | From: Helen Tsukamoto <helen@acme.test> | Subject: Lunch Friday
            [m-budget] 2026-03-13T16:05:00-05:00 | From: Dana Whitfield <dana@acme.test> | Subject: Q2 budget draft | unread | 1 attachment
            """)
        let messages = try #require(r.data?["messages"]?.arrayValue)
        #expect(r.data?["total"] == 3)
        #expect(r.data?["offset"] == 0)
        #expect(messages.map { $0["id"] } == ["m-news", "m-lunch", "m-budget"])
        #expect(messages[2] == ["id": "m-budget", "folder": "inbox", "from": .string(dana), "to": [.string(agent)],
                                "subject": "Q2 budget draft", "date": "2026-03-13T16:05:00-05:00", "read": false,
                                "attachments": 1, "thread": "m-budget"])
    }

    @Test func listUnreadOnlyWithPaging() async throws {
        let e = try acmeEpisode()
        let unread = try await e.ok("list_emails", ["unread_only": true])
        #expect(unread.data?["messages"]?.arrayValue?.map { $0["id"] } == ["m-news", "m-budget"])
        let page = try await e.ok("list_emails", ["limit": 1, "offset": 1])
        #expect(page.text == """
            Inbox: 3 messages, showing 2–2, newest first
            [m-lunch] 2026-03-14T12:00:00-05:00 | From: Helen Tsukamoto <helen@acme.test> | Subject: Lunch Friday
            """)
        #expect(page.data?["offset"] == 1)
        let past = try await e.ok("list_emails", ["offset": 7])
        #expect(past.text == "Inbox: 3 messages")
        #expect(past.data == ["total": 3, "offset": 7, "messages": []])
    }

    @Test func listOtherFolders() async throws {
        let e = try acmeEpisode()
        let drafts = try await e.ok("list_emails", ["folder": "drafts"])
        #expect(drafts.text == "Drafts: 0 messages")
        let vendors = try await e.ok("list_emails", ["folder": "vendors"])
        #expect(vendors.text == """
            Vendors: 1 message, showing 1–1, newest first
            [m-invoice] 2026-03-10T08:00:00-05:00 | From: billing@harbor.example | Subject: Invoice March
            """)
        #expect(vendors.data?["messages"]?.arrayValue?.first?["folder"] == "vendors")
    }

    @Test func listUnknownFolderNamesTheFolders() async throws {
        let e = try acmeEpisode()
        try await e.fails("list_emails", ["folder": "archive"],
                          "no folder \"archive\"; folders: inbox, sent, drafts, trash, vendors")
    }

    // MARK: read_email

    @Test func readShowsHeadersBodyAndAttachmentsAndMarksRead() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let r = try await rec.episode.ok("read_email", ["id": "m-budget"])
        #expect(r.text == """
            ID: m-budget
            Folder: inbox
            From: Dana Whitfield <dana@acme.test>
            To: Atlas <atlas@acme.test>
            Cc: Helen Tsukamoto <helen@acme.test>
            Date: 2026-03-13T16:05:00-05:00
            Subject: Q2 budget draft
            Attachments: budget.csv (text/csv, 21 bytes)

            Please review the Q2 budget.
            Numbers are attached.
            """)
        #expect(r.data == ["id": "m-budget", "folder": "inbox", "from": .string(dana), "to": [.string(agent)],
                           "cc": [.string(helen)], "bcc": [], "date": "2026-03-13T16:05:00-05:00", "subject": "Q2 budget draft",
                           "body": "Please review the Q2 budget.\nNumbers are attached.", "inReplyTo": nil, "thread": "m-budget",
                           "attachments": [["name": "budget.csv", "type": "text/csv", "size": 21]]])
        #expect(await rec.episode.world.mailbox(agent)?.entry("m-budget")?.read == true)
        #expect(await rec.episode.world.mailbox(helen)?.entry("m-budget")?.read == false)
        let events = try rec.events(of: r)
        #expect(events.map(\.kind) == ["tool.called", "clock.advanced", "mail.read", "tool.result"])
        #expect(events[2].payload["wasUnread"] == true)
        #expect(events[2].payload["key"] == "m-budget")
        #expect(events[2].payload["cause"] == .int(Int64(r.calledSeq)))
        #expect(events[2].payload["effect"] == ["op": "setRead", "mailbox": .string(agent), "key": "m-budget", "read": true])

        // Again: still recorded, but without an effect.
        let again = try await rec.episode.ok("read_email", ["id": "m-budget"])
        let second = try rec.events(of: again)
        #expect(second.map(\.kind) == ["tool.called", "clock.advanced", "mail.read", "tool.result"])
        #expect(second[2].payload["wasUnread"] == false)
        #expect(second[2].payload["effect"] == nil)
    }

    @Test func readShowsBccAndInReplyToOfOwnSentMail() async throws {
        let e = try acmeEpisode()
        let r = try await e.ok("read_email", ["id": "m-offsite-reply"])
        #expect(r.text == """
            ID: m-offsite-reply
            Folder: sent
            From: Atlas <atlas@acme.test>
            To: Dana Whitfield <dana@acme.test>
            Bcc: helen@acme.test
            Date: 2026-03-12T10:00:00-05:00
            Subject: Re: Offsite
            In-Reply-To: m-offsite

            Booked.
            """)
        #expect(r.data?["inReplyTo"] == "m-offsite")
        #expect(r.data?["thread"] == "m-offsite")
        #expect(r.data?["bcc"] == [.string(helen)])
    }

    @Test func readAMissingMessage() async throws {
        let e = try acmeEpisode()
        try await e.fails("read_email", ["id": "nope"], "no message with id \"nope\" in your mailbox")
    }

    // MARK: search_emails

    @Test func searchByTextFromToAndDates() async throws {
        let e = try acmeEpisode()
        let r = try await e.ok("search_emails", ["query": "Q2"])
        #expect(r.text == """
            Search results: 1 message, showing 1–1, newest first
            [m-budget] 2026-03-13T16:05:00-05:00 | From: Dana Whitfield <dana@acme.test> | Subject: Q2 budget draft | unread | 1 attachment
            """)
        func ids(_ args: JSON) async throws -> [String] {
            try await e.ok("search_emails", args).data?["messages"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        }
        #expect(try await ids(["query": "birch"]) == ["m-lunch"])
        #expect(try await ids(["from": "tsukamoto"]) == ["m-lunch"])
        #expect(try await ids(["from": "vendor.example"]) == ["m-news"])
        #expect(try await ids(["to": "Whitfield"]) == ["m-lunch", "m-offsite-reply"])
        // The agent's own sent copy keeps bcc, so Helen is found as a recipient there.
        #expect(try await ids(["to": "helen"]) == ["m-budget", "m-offsite-reply"])
        // A bare date is midnight in the world's offset (-05:00).
        #expect(try await ids(["after": "2026-03-14"]) == ["m-news", "m-lunch"])
        #expect(try await ids(["before": "2026-03-14"]) == ["m-budget", "m-offsite-reply", "m-invoice"])
        #expect(try await ids(["after": "2026-03-14T12:00:00-05:00"]) == ["m-news", "m-lunch"])
        #expect(try await ids(["after": "2026-03-14T17:00:00Z"]) == ["m-news", "m-lunch"])
        #expect(try await ids(["after": "2026-03-14T17:00:01Z"]) == ["m-news"])
        #expect(try await ids(["folder": "vendors"]) == ["m-invoice"])
        #expect(try await ids(["query": "sale", "folder": "inbox"]) == ["m-news"])
        #expect(try await ids(["query": "sale", "folder": "sent"]) == [])
        #expect(try await ids([:]) == ["m-news", "m-lunch", "m-budget", "m-offsite-reply", "m-invoice"])
        let limited = try await e.ok("search_emails", ["limit": 2])
        #expect(limited.data?["total"] == 5)
        #expect(limited.text.hasPrefix("Search results: 5 messages, showing 1–2, newest first\n"))
        let none = try await e.ok("search_emails", ["query": "zebra"])
        #expect(none.text == "Search results: 0 messages")
    }

    @Test func searchErrors() async throws {
        let e = try acmeEpisode()
        try await e.fails("search_emails", ["after": "yesterday"],
                          "argument \"after\": \"yesterday\" is not an ISO 8601 date or time (e.g. 2026-03-10)")
        try await e.fails("search_emails", ["before": "2026-02-30"],
                          "argument \"before\": \"2026-02-30\" is not an ISO 8601 date or time (e.g. 2026-03-10)")
        try await e.fails("search_emails", ["folder": "archive"], "no folder \"archive\"; folders: inbox, sent, drafts, trash, vendors")
    }

    // MARK: send_email

    @Test func sendToInternalRecipients() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let r = try await rec.episode.ok("send_email", ["to": [.string(dana)], "cc": [.string(helen)], "subject": "Status",
                                                        "body": "All good.", "attachments": ["notes/todo.md"]])
        #expect(r.text == "Message sent. Message id: msg-0006")
        #expect(r.data == ["id": "msg-0006", "to": [.string(dana)], "cc": [.string(helen)], "bcc": [], "subject": "Status"])
        let w = await rec.episode.world
        let sent = try #require(w.mailbox(agent)?.entry("msg-0006"))
        #expect(sent.folder == "sent")
        #expect(sent.read)
        #expect(sent.message.date == time("2026-03-16T08:32:00-05:00"))
        #expect(sent.message.attachments.map(\.name) == ["todo.md"])
        #expect(sent.message.attachments.first?.content.bytes == Array("- tidy notes\n- send the logo\n".utf8))
        for person in [dana, helen] {
            let copy = try #require(w.mailbox(person)?.entry("msg-0006"))
            #expect(copy.folder == "inbox")
            #expect(!copy.read)
            #expect(copy.message.subject == "Status")
        }
        let events = try rec.events(of: r)
        #expect(events.map(\.kind) == ["tool.called", "clock.advanced", "mail.sent", "mail.delivered", "mail.delivered", "tool.result"])
        #expect(events[1].payload["from"] == "2026-03-16T08:30:00-05:00")
        #expect(events[1].payload["to"] == "2026-03-16T08:32:00-05:00")
        #expect(events[3].payload["mailbox"] == .string(dana))
        #expect(events[4].payload["mailbox"] == .string(helen))
        #expect(events.dropFirst().allSatisfy { $0.time == "2026-03-16T08:32:00-05:00" })
        #expect(events.last?.payload["isError"] == false)
        #expect(events.last?.payload["output"] == "Message sent. Message id: msg-0006")
    }

    @Test func bccIsHiddenFromRecipients() async throws {
        let e = try acmeEpisode()
        _ = try await e.ok("send_email", ["to": [.string(dana)], "bcc": [.string(rafael)], "subject": "s", "body": "b"])
        let w = await e.world
        #expect(w.mailbox(agent)?.entry("msg-0006")?.message.bcc == [rafael])
        #expect(w.mailbox(dana)?.entry("msg-0006")?.message.bcc == [])
        #expect(w.mailbox(rafael)?.entry("msg-0006")?.message.bcc == [])
        #expect(w.mailbox(rafael)?.entry("msg-0006")?.read == false)
    }

    @Test func externalRecipientsAreEgressNotDelivery() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let r = try await rec.episode.ok("send_email", ["to": ["joelle@ledgerline.io", "ap@harbor.example"],
                                                        "subject": "Usage", "body": "Attached.",
                                                        "attachments": ["bin/logo.png"]])
        let events = try rec.events(of: r)
        #expect(events.map(\.kind) == ["tool.called", "clock.advanced", "mail.sent", "mail.egress", "mail.egress", "tool.result"])
        #expect(events[3].payload["recipient"] == "joelle@ledgerline.io")
        #expect(events[4].payload["recipient"] == "ap@harbor.example")
        #expect(events[3].payload["subject"] == "Usage")
        let w = await rec.episode.world
        #expect(w.egress.map(\.recipient) == ["joelle@ledgerline.io", "ap@harbor.example"])
        #expect(w.egress.first?.message.attachments.first?.content.bytes == logoBytes)
        #expect(w.mailboxes.values.filter { $0.entry("msg-0006") != nil }.map(\.address) == [agent])
    }

    @Test func unknownInternalAddressBounces() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let r = try await rec.episode.ok("send_email", ["to": "dana.w@acme.test", "subject": "Typo", "body": "Hi"])
        #expect(r.text == "Message sent. Message id: msg-0006")
        let events = try rec.events(of: r)
        #expect(events.map(\.kind) == ["tool.called", "clock.advanced", "mail.sent", "mail.bounced", "tool.result"])
        #expect(events[3].payload["failedRecipient"] == "dana.w@acme.test")
        #expect(events[3].payload["originalMessageID"] == "msg-0006")
        let bounce = try #require(await rec.episode.world.mailbox(agent)?.entry("msg-0007"))
        #expect(bounce.folder == "inbox")
        #expect(!bounce.read)
        #expect(bounce.message.from == "mailer-daemon@acme.test")
        #expect(bounce.message.body.contains("<dana.w@acme.test>: host mail.acme.test said: 550 5.1.1 <dana.w@acme.test>:"))
        #expect(bounce.message.body.contains("Subject: Typo\nDate: 2026-03-16T08:32:00-05:00"))
        let list = try await rec.episode.ok("list_emails", ["limit": 1])
        #expect(list.text.hasSuffix("[msg-0007] 2026-03-16T08:32:00-05:00 | From: mailer-daemon@acme.test | Subject: Undelivered Mail Returned to Sender | unread"))
    }

    @Test func mailToOneself() async throws {
        let e = try acmeEpisode()
        _ = try await e.ok("send_email", ["to": [.string(agent)], "subject": "Reminder", "body": "Call Helen."])
        let box = try #require(await e.world.mailbox(agent))
        #expect(box.entry("msg-0006")?.folder == "sent")
        #expect(box.entry("msg-0006-2")?.folder == "inbox")
        #expect(box.entry("msg-0006-2")?.message.messageID == "msg-0006")
        let read = try await e.ok("read_email", ["id": "msg-0006-2"])
        #expect(read.text.hasPrefix("ID: msg-0006-2\nFolder: inbox\n"))
    }

    @Test func sendErrors() async throws {
        let e = try acmeEpisode()
        let before = await e.world.stateHash
        try await e.fails("send_email", ["to": ["not an address"], "subject": "s", "body": "b"],
                          "\"not an address\" is not a valid e-mail address")
        try await e.fails("send_email", ["to": [], "subject": "s", "body": "b"],
                          "a message needs at least one recipient in to, cc or bcc")
        try await e.fails("send_email", ["to": [.string(dana)], "subject": "s", "body": "b", "attachments": ["nope.pdf"]],
                          "attachment nope.pdf: no such file")
        try await e.fails("send_email", ["to": [.string(dana)], "subject": "s", "body": "b", "attachments": ["notes"]],
                          "notes: is a directory")
        try await e.fails("send_email", ["to": [.string(dana)], "subject": "s", "body": "b", "attachments": ["../../etc/passwd"]],
                          "../../etc/passwd: outside your home directory; paths must stay inside it")
        let after = await e.world
        // Only the clock moved (five ticks of 2 minutes).
        #expect(after.clock.now == time("2026-03-16T08:40:00-05:00"))
        #expect(after.messageIDs.count == 5)
        #expect(after.egress.isEmpty)
        #expect(after.mailbox(dana)?.entries.isEmpty == true)
        #expect(after.stateHash != before)
    }

    // MARK: reply_email

    @Test func replyAndReplyAll() async throws {
        let e = try acmeEpisode()
        let r = try await e.ok("reply_email", ["id": "m-lunch", "body": "Count me in."])
        #expect(r.text == "Reply sent. Message id: msg-0006")
        #expect(r.data == ["id": "msg-0006", "to": [.string(helen)], "cc": [], "bcc": [], "subject": "Re: Lunch Friday"])
        let w = await e.world
        let copy = try #require(w.mailbox(helen)?.entry("msg-0006"))
        #expect(copy.message.body == "Count me in.\n\nOn 2026-03-14T12:00:00-05:00, helen@acme.test wrote:\n> Who is in for lunch?\n> I booked Birch.")
        #expect(copy.message.inReplyTo == "m-lunch")
        #expect(copy.message.threadID == "m-lunch")
        #expect(w.mailbox(rafael)?.entry("msg-0006") == nil)

        let all = try await e.ok("reply_email", ["id": "m-lunch", "body": "Also: Birch.", "reply_all": true])
        #expect(all.data?["to"] == [.string(helen)])
        #expect(all.data?["cc"] == [.string(rafael), .string(dana)])
        let w2 = await e.world
        #expect(w2.mailbox(rafael)?.entry("msg-0007") != nil)
        #expect(w2.mailbox(dana)?.entry("msg-0007") != nil)
        #expect(w2.mailbox(agent)?.entry("msg-0007-2") == nil)
    }

    @Test func replyWithAttachmentAndReSubjectOnce() async throws {
        let e = try acmeEpisode()
        let r = try await e.ok("reply_email", ["id": "m-offsite-reply", "body": "Update.", "attachments": "docs/readme.md"])
        #expect(r.data?["subject"] == "Re: Offsite")
        #expect(r.data?["to"] == [.string(dana)])
        let m = try #require(await e.world.mailbox(dana)?.entry("msg-0006")?.message)
        #expect(m.attachments.map(\.name) == ["readme.md"])
        #expect(m.threadID == "m-offsite")
        #expect(m.bcc == [])
    }

    @Test func replyErrors() async throws {
        let e = try acmeEpisode()
        try await e.fails("reply_email", ["id": "ghost", "body": "x"], "no message with id \"ghost\" in your mailbox")
        try await e.fails("reply_email", ["id": "m-lunch", "body": "x", "attachments": ["ghost.txt"]], "attachment ghost.txt: no such file")
        try await e.fails("reply_email", ["id": "m-lunch"], "missing required argument \"body\" (Your reply text.)")
    }

    // MARK: forward_email

    @Test func forwardCarriesAttachments() async throws {
        let e = try acmeEpisode()
        let r = try await e.ok("forward_email", ["id": "m-budget", "to": [.string(rafael)], "body": "FYI"])
        #expect(r.text == "Message forwarded. Message id: msg-0006")
        #expect(r.data == ["id": "msg-0006", "to": [.string(rafael)], "cc": [], "bcc": [], "subject": "Fwd: Q2 budget draft"])
        let m = try #require(await e.world.mailbox(rafael)?.entry("msg-0006")?.message)
        #expect(m.attachments.map(\.name) == ["budget.csv"])
        #expect(m.attachments.first?.content == budgetCSV)
        #expect(m.body.hasPrefix("FYI\n\n---------- Forwarded message ----------\nFrom: dana@acme.test\n"))
        #expect(m.body.hasSuffix("\n\nPlease review the Q2 budget.\nNumbers are attached."))
        let read = try await e.ok("read_email", ["id": "msg-0006"])
        #expect(read.text.contains("Attachments: budget.csv (text/csv, 21 bytes)\n"))
    }

    @Test func forwardWithoutNoteAndCc() async throws {
        let e = try acmeEpisode()
        let r = try await e.ok("forward_email", ["id": "m-news", "to": .string(dana), "cc": [.string(helen)]])
        #expect(r.data?["cc"] == [.string(helen)])
        let m = try #require(await e.world.mailbox(helen)?.entry("msg-0006")?.message)
        #expect(m.body.hasPrefix("---------- Forwarded message ----------\nFrom: news@vendor.example\n"))
        #expect(m.subject == "Fwd: Vendor Newsletter")
    }

    @Test func forwardErrors() async throws {
        let e = try acmeEpisode()
        try await e.fails("forward_email", ["id": "ghost", "to": [.string(dana)]], "no message with id \"ghost\" in your mailbox")
        try await e.fails("forward_email", ["id": "m-news"], "missing required argument \"to\" (Recipient addresses.)")
        try await e.fails("forward_email", ["id": "m-news", "to": ["dana"]], "\"dana\" is not a valid e-mail address")
    }

    // MARK: delete_email

    @Test func deleteToTrashThenForGood() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let e = rec.episode
        let first = try await e.ok("delete_email", ["id": "m-news"])
        #expect(first.text == "Message m-news moved to trash.")
        #expect(first.data == ["id": "m-news", "permanently": false])
        #expect(await e.world.mailbox(agent)?.entry("m-news")?.folder == "trash")
        let trash = try await e.ok("list_emails", ["folder": "trash"])
        #expect(trash.text.hasPrefix("Trash: 1 message, showing 1–1, newest first\n[m-news]"))
        let second = try await e.ok("delete_email", ["id": "m-news"])
        #expect(second.text == "Message m-news deleted permanently.")
        #expect(second.data == ["id": "m-news", "permanently": true])
        #expect(await e.world.mailbox(agent)?.entry("m-news") == nil)
        try await e.fails("delete_email", ["id": "m-news"], "no message with id \"m-news\" in your mailbox")
        let kinds = try rec.events().map(\.kind).filter { $0 == "mail.deleted" }
        #expect(kinds.count == 2)
        let payloads = try rec.events().filter { $0.kind == "mail.deleted" }.map(\.payload)
        #expect(payloads.map { $0["permanently"] } == [false, true])
        #expect(payloads.map { $0["fromFolder"] } == ["inbox", "trash"])
        #expect(payloads[1]["effect"] == ["op": "removeMessage", "mailbox": .string(agent), "key": "m-news"])
    }
}
