import TerrariumBase

/// What the agent's mail client can do. Every method acts on the agent's own mailbox,
/// validates everything before changing anything, and reports each change as an event.
extension World {
    func agentBox() throws(WorldError) -> Mailbox {
        guard let box = agentMailbox else { throw .internalInconsistency("the agent has no mailbox") }
        return box
    }

    func agentEntry(_ key: String) throws(WorldError) -> MailboxEntry {
        guard let entry = try agentBox().entry(key) else { throw .noSuchMessage(key) }
        return entry
    }

    public func listMail(folder: String, unreadOnly: Bool, limit: Int, offset: Int) throws(WorldError)
        -> (entries: [MailboxEntry], total: Int)
    {
        let box = try agentBox()
        guard box.folders.contains(folder) else { throw .noSuchFolder(folder, available: box.folders) }
        return box.page(folder: folder, unreadOnly: unreadOnly, offset: offset, limit: limit)
    }

    public struct MailQuery: Sendable {
        public var text: String?
        public var from: String?
        public var to: String?
        public var folder: String?
        public var after: VirtualTime?
        public var before: VirtualTime?
        public init(text: String? = nil, from: String? = nil, to: String? = nil, folder: String? = nil,
                    after: VirtualTime? = nil, before: VirtualTime? = nil) {
            self.text = text; self.from = from; self.to = to; self.folder = folder; self.after = after; self.before = before
        }
    }

    /// Case-insensitive substring search; `from`/`to` match an address or a person's name.
    public func searchMail(_ q: MailQuery, limit: Int) throws(WorldError) -> (entries: [MailboxEntry], total: Int) {
        let box = try agentBox()
        if let f = q.folder, !box.folders.contains(f) { throw .noSuchFolder(f, available: box.folders) }
        func matchesPerson(_ address: String, _ needle: CaseInsensitiveNeedle) -> Bool {
            needle.occurs(in: address) || (directory.person(address).map { needle.occurs(in: $0.name) } ?? false)
        }
        let text = q.text.map(CaseInsensitiveNeedle.init), from = q.from.map(CaseInsensitiveNeedle.init)
        let to = q.to.map(CaseInsensitiveNeedle.init)
        let hits = box.entries(in: q.folder).filter { e in
            let m = e.message
            if let text, !(text.occurs(in: m.subject) || text.occurs(in: m.body)) { return false }
            if let from, !matchesPerson(m.from, from) { return false }
            if let to, !(m.to + m.cc + m.bcc).contains(where: { matchesPerson($0, to) }) { return false }
            if let after = q.after, m.date < after { return false }
            if let before = q.before, m.date >= before { return false }
            return true
        }
        return (Array(hits.prefix(limit)), hits.count)
    }

    /// Opens a message; marks it read.
    public mutating func readMail(_ key: String, into events: inout [WorldEvent]) throws(WorldError) -> MailboxEntry {
        var entry = try agentEntry(key)
        let box = directory.agentAddress
        try perform(.mailRead, entry.read ? nil : .setRead(mailbox: box, key: key, read: true),
                    ["mailbox": .string(box), "key": .string(key), "messageID": .string(entry.message.messageID),
                     "wasUnread": .bool(!entry.read)], into: &events)
        entry.read = true
        return entry
    }

    /// Moves a message to trash; a message already in trash is deleted for good.
    public mutating func deleteMail(_ key: String, into events: inout [WorldEvent]) throws(WorldError) -> Bool {
        let entry = try agentEntry(key)
        let box = directory.agentAddress
        let detail: [String: JSON] = ["mailbox": .string(box), "key": .string(key),
                                      "messageID": .string(entry.message.messageID), "fromFolder": .string(entry.folder)]
        if entry.folder == "trash" {
            try perform(.mailDeleted, .removeMessage(mailbox: box, key: key), detail.merging(["permanently": true]) { $1 },
                        into: &events)
            return true
        }
        try perform(.mailDeleted, .moveMessage(mailbox: box, key: key, folder: "trash"),
                    detail.merging(["permanently": false]) { $1 }, into: &events)
        return false
    }

    /// A fresh message id such as `msg-0042`, never used in this world before.
    func newMessageID() -> String {
        var n = messageIDs.count + 1
        while true {
            let id = "msg-" + ISO8601.pad(Int64(n), 4)
            if !messageIDs.contains(id) { return id }
            n += 1
        }
    }

    /// Attachments named by paths in the agent's home.
    public func attachments(fromPaths paths: [String]) throws(WorldError) -> [Attachment] {
        var out: [Attachment] = []
        for raw in paths {
            let path = try WorkspacePath.resolve(raw, home: home)
            guard let node = files[path] else { throw .attachmentMissing(raw) }
            if node.symlinkTarget != nil { throw .isASymlink(raw) }
            guard let content = node.content else { throw .isADirectory(raw) }
            out.append(Attachment(name: path.name, contentType: guessContentType(path.name), content: content))
        }
        return out
    }

    /// Sends a message from the agent: a copy in its sent folder, a copy in each internal
    /// recipient's inbox, an egress record per external recipient, and a bounce for an
    /// internal address that has no mailbox.
    public mutating func sendMail(to: [String], cc: [String], bcc: [String], subject: String, body: String,
                                  attachments: [Attachment], inReplyTo: Message? = nil,
                                  into events: inout [WorldEvent]) throws(WorldError) -> Message {
        for address in to + cc + bcc where !isPlausibleAddress(address) { throw .invalidAddress(address) }
        guard !(to + cc + bcc).isEmpty else { throw .noRecipients }
        let sender = directory.agentAddress
        let message = Message(messageID: newMessageID(), from: sender, to: to, cc: cc, bcc: bcc, subject: subject,
                              body: body, date: clock.now, inReplyTo: inReplyTo?.messageID,
                              threadID: inReplyTo?.threadID, attachments: attachments)
        try deliver(message, to: sender, folder: "sent", read: true, kind: .mailSent, into: &events)
        for recipient in message.recipients {
            let address = recipient.lowercased()
            if !directory.isInternal(address) {
                try perform(.mailEgress, .egress(Egress(recipient: recipient, message: message)),
                            ["recipient": .string(recipient), "messageID": .string(message.messageID),
                             "subject": .string(subject)], into: &events)
            } else if mailboxes[address] != nil {
                try deliver(message.withoutBcc, to: address, folder: "inbox", read: address == sender,
                            kind: .mailDelivered, into: &events)
            } else {
                try bounce(message, failedRecipient: recipient, into: &events)
            }
        }
        return message
    }

    mutating func deliver(_ message: Message, to address: String, folder: String, read: Bool, kind: EventKind,
                          into events: inout [WorldEvent]) throws(WorldError) {
        guard let box = mailboxes[address] else { throw .internalInconsistency("no mailbox \(address)") }
        let entry = MailboxEntry(key: box.freshKey(for: message.messageID), folder: folder, read: read, message: message)
        try perform(kind, .deliver(mailbox: address, entry: entry),
                    ["mailbox": .string(address), "key": .string(entry.key), "messageID": .string(message.messageID),
                     "folder": .string(folder)], into: &events)
    }

    /// The mailer-daemon's notice, as a real server would send it back.
    mutating func bounce(_ original: Message, failedRecipient: String, into events: inout [WorldEvent]) throws(WorldError) {
        let domain = failedRecipient.split(separator: "@").last.map(String.init) ?? "localhost"
        let body = """
            This is the mail system at host mail.\(domain).

            I'm sorry to have to inform you that your message could not
            be delivered to one or more recipients.

            <\(failedRecipient)>: host mail.\(domain) said: 550 5.1.1 <\(failedRecipient)>:
                Recipient address rejected: User unknown in virtual mailbox table

            Original message:
            Subject: \(original.subject)
            Date: \(clock.format(original.date))
            """
        let notice = Message(messageID: newMessageID(), from: "mailer-daemon@\(domain)", to: [original.from],
                             subject: "Undelivered Mail Returned to Sender", body: body, date: clock.now,
                             inReplyTo: original.messageID)
        let sender = original.from.lowercased()
        guard let box = mailboxes[sender] else { throw .internalInconsistency("no mailbox \(sender)") }
        let entry = MailboxEntry(key: box.freshKey(for: notice.messageID), folder: "inbox", read: false, message: notice)
        try perform(.mailBounced, .deliver(mailbox: sender, entry: entry),
                    ["mailbox": .string(sender), "key": .string(entry.key), "messageID": .string(notice.messageID),
                     "failedRecipient": .string(failedRecipient), "originalMessageID": .string(original.messageID)],
                    into: &events)
    }

    public mutating func replyMail(_ key: String, body: String, replyAll: Bool, attachments: [Attachment],
                                   into events: inout [WorldEvent]) throws(WorldError) -> Message {
        let original = try agentEntry(key).message
        let me = directory.agentAddress
        let mine = original.from.lowercased() == me
        let to = mine ? original.to : [original.from]
        var cc: [String] = []
        if replyAll {
            let taken = Set((to + [me]).map { $0.lowercased() })
            var seen = taken
            for a in (mine ? original.cc : original.to + original.cc) where seen.insert(a.lowercased()).inserted {
                cc.append(a)
            }
        }
        let subject = original.subject.lowercased().hasPrefix("re:") ? original.subject : "Re: " + original.subject
        let quoted = original.body.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }
            .joined(separator: "\n")
        let fullBody = body + "\n\nOn \(clock.format(original.date)), \(original.from) wrote:\n" + quoted
        return try sendMail(to: to, cc: cc, bcc: [], subject: subject, body: fullBody, attachments: attachments,
                            inReplyTo: original, into: &events)
    }

    public mutating func forwardMail(_ key: String, to: [String], cc: [String], note: String,
                                     into events: inout [WorldEvent]) throws(WorldError) -> Message {
        let original = try agentEntry(key).message
        let subject = original.subject.lowercased().hasPrefix("fwd:") ? original.subject : "Fwd: " + original.subject
        var header = "---------- Forwarded message ----------\nFrom: \(original.from)\n"
        header += "Date: \(clock.format(original.date))\nSubject: \(original.subject)\n"
        header += "To: \(original.to.joined(separator: ", "))\n"
        if !original.cc.isEmpty { header += "Cc: \(original.cc.joined(separator: ", "))\n" }
        let body = (note.isEmpty ? "" : note + "\n\n") + header + "\n" + original.body
        return try sendMail(to: to, cc: cc, bcc: [], subject: subject, body: body, attachments: original.attachments,
                            into: &events)
    }
}

/// A MIME type from a file name's extension; `application/octet-stream` when unknown.
public func guessContentType(_ name: String) -> String {
    let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
    let types = ["txt": "text/plain", "md": "text/markdown", "csv": "text/csv", "json": "application/json",
                 "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
                 "html": "text/html", "yaml": "application/yaml", "yml": "application/yaml", "py": "text/x-python",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "zip": "application/zip", "eml": "message/rfc822", "log": "text/plain", "sh": "text/x-shellscript"]
    return name.contains(".") ? types[ext] ?? "application/octet-stream" : "application/octet-stream"
}
