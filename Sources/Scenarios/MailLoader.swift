import TerrariumBase
import TerrariumWorld

/// Reads `mailboxes:` and `mail:`. Each message is written once; the loader files its copies
/// (the sender's sent folder, each internal recipient's inbox) unless `mailbox:` places it
/// in exactly one mailbox, as for a draft.
struct MailLoader {
    struct Placement {
        var mailbox: String
        var entry: MailboxEntry
        var source: YAMLValue
    }

    let directory: Directory
    let clock: WorldClock
    let sources: ScenarioSources

    init(directory: Directory, clock: WorldClock, sources: ScenarioSources) {
        self.directory = directory
        self.clock = clock
        self.sources = sources
    }

    func internalPerson(_ address: String, at value: YAMLValue) throws(ScenarioError) -> String {
        guard directory.person(address) != nil, directory.isInternal(address) else {
            throw value.error("\(address) is not an internal person of the directory")
        }
        return address.lowercased()
    }

    func readMailboxes(_ value: YAMLValue?) throws(ScenarioError) -> [String: [String]] {
        guard let value else { return [:] }
        var out: [String: [String]] = [:]
        for (address, box) in try value.mapping() {
            let key = try internalPerson(address, at: box)
            try box.checkKeys(["folders"])
            for folder in try box.optional("folders")?.list() ?? [] {
                let name = try folder.string()
                guard isFolderName(name) else { throw folder.error("folder names are letters, digits, - and _ (found \"\(name)\")") }
                out[key, default: []].append(name)
            }
        }
        return out
    }

    func isFolderName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 64 && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    /// An authored message before ids and threads are resolved.
    struct Draft {
        var message: Message
        var explicitID: Bool
        var replyTo: (id: String, value: YAMLValue)?
        var read: Bool
        var folder: String
        var onlyIn: String?
        var source: YAMLValue
    }

    mutating func readMail(_ value: YAMLValue?) throws(ScenarioError) -> [Placement] {
        guard let value else { return [] }
        var drafts: [Draft] = []
        var ids = Set<String>()
        for item in try value.list() where try MailConditions.includes(item) {
            let draft = try item.optional("eml") != nil ? try readEML(item) : try readInline(item)
            if draft.explicitID {
                guard ids.insert(draft.message.messageID).inserted else {
                    throw (try item.optional("id") ?? item).error("message id \"\(draft.message.messageID)\" is used twice")
                }
            }
            drafts.append(draft)
        }
        // Generated ids follow the same rule as the live world's (msg-0001, …), skipping taken ones.
        var n = 0
        for index in drafts.indices where !drafts[index].explicitID {
            repeat { n += 1 } while ids.contains("msg-" + ISO8601.pad(Int64(n), 4))
            drafts[index].message.messageID = "msg-" + ISO8601.pad(Int64(n), 4)
            drafts[index].message.threadID = drafts[index].message.messageID
            ids.insert(drafts[index].message.messageID)
        }
        try resolveThreads(&drafts)
        // File copies in date order so each mailbox's arrival order is chronological.
        let ordered = drafts.enumerated().sorted { a, b in
            a.element.message.date != b.element.message.date ? a.element.message.date < b.element.message.date : a.offset < b.offset
        }.map(\.element)
        var placements: [Placement] = []
        var used: [String: Set<String>] = [:]
        func place(_ box: String, _ folder: String, _ read: Bool, _ message: Message, _ source: YAMLValue) {
            var key = message.messageID
            var k = 2
            while used[box, default: []].contains(key) { key = "\(message.messageID)-\(k)"; k += 1 }
            used[box, default: []].insert(key)
            placements.append(Placement(mailbox: box, entry: MailboxEntry(key: key, folder: folder, read: read, message: message),
                                        source: source))
        }
        for d in ordered {
            if let only = d.onlyIn {
                place(only, d.folder, d.read, d.message, d.source)
                continue
            }
            if directory.isInternal(d.message.from) {
                place(try internalPerson(d.message.from, at: d.source), "sent", true, d.message, d.source)
            }
            var seen = Set<String>()
            for recipient in d.message.recipients where seen.insert(recipient.lowercased()).inserted {
                guard directory.isInternal(recipient) else { continue }
                // Which field names the address only matters for the error: look it up then.
                let box = directory.person(recipient) != nil ? recipient.lowercased()
                    : try internalPerson(recipient, at: try fieldNaming(recipient, in: d.source))
                place(box, d.folder, d.read || box == d.message.from.lowercased(), d.message.withoutBcc, d.source)
            }
        }
        return placements
    }

    /// The to/cc/bcc field that lists `address`, so an error points at it (the message
    /// itself for .eml mail, whose recipients come from headers).
    func fieldNaming(_ address: String, in item: YAMLValue) throws(ScenarioError) -> YAMLValue {
        for key in ["to", "cc", "bcc"] {
            if let field = try item.optional(key), try field.strings().contains(address) { return field }
        }
        return item
    }

    func resolveThreads(_ drafts: inout [Draft]) throws(ScenarioError) {
        var index: [String: Int] = [:]
        for (i, d) in drafts.enumerated() { index[d.message.messageID] = i }
        for i in drafts.indices {
            guard let (target, value) = drafts[i].replyTo else { continue }
            guard index[target] != nil else { throw value.error("no message with id \"\(target)\" in this scenario") }
            drafts[i].message.inReplyTo = target
        }
        for i in drafts.indices {
            var root = i
            var steps = 0
            while let parent = drafts[root].message.inReplyTo, let p = index[parent] {
                root = p
                steps += 1
                if steps > drafts.count { throw drafts[i].source.error("in_reply_to forms a cycle") }
            }
            drafts[i].message.threadID = drafts[root].message.messageID
        }
    }

    func addresses(_ item: YAMLValue, _ key: String) throws(ScenarioError) -> [String] {
        guard let value = try item.optional(key) else { return [] }
        let list = try value.strings()
        for a in list where !isPlausibleAddress(a) { throw value.error("expected an e-mail address, found \"\(a)\"") }
        return list
    }

    func date(_ value: YAMLValue) throws(ScenarioError) -> VirtualTime {
        guard let (t, _) = ISO8601.parse(try value.string(), defaultOffsetMinutes: clock.utcOffsetMinutes) else {
            throw value.error("expected an ISO 8601 time, e.g. 2026-03-13T16:05:00-05:00")
        }
        return try notInFuture(t, value)
    }

    func notInFuture(_ t: VirtualTime, _ value: YAMLValue) throws(ScenarioError) -> VirtualTime {
        guard t <= clock.now else {
            throw value.error("\(clock.format(t)) is after the clock start \(clock.format(clock.now)); mail cannot come from the future")
        }
        return t
    }

    static let messageKeys = ["id", "from", "to", "cc", "bcc", "date", "subject", "body", "in_reply_to", "read",
                              "folder", "mailbox", "attachments", "eml", "when"]

    func common(_ item: YAMLValue, _ message: inout Message) throws(ScenarioError) -> Draft {
        try item.checkKeys(MailLoader.messageKeys)
        var explicit = false
        if let idValue = try item.optional("id") {
            let id = try idValue.string()
            guard isMessageID(id) else { throw idValue.error("ids use letters, digits and . _ - @ + = (found \"\(id)\")") }
            message.messageID = id
            explicit = true
        }
        var draft = Draft(message: message, explicitID: explicit || !message.messageID.isEmpty, replyTo: nil,
                          read: try item.optional("read")?.bool() ?? false, folder: "inbox", onlyIn: nil, source: item)
        draft.message.threadID = draft.message.messageID
        if let r = try item.optional("in_reply_to") { draft.replyTo = (try r.string(), r) }
        if let f = try item.optional("folder") {
            draft.folder = try f.string()
            guard isFolderName(draft.folder) else { throw f.error("folder names are letters, digits, - and _") }
        }
        if let m = try item.optional("mailbox") { draft.onlyIn = try internalPerson(try m.string(), at: m) }
        for attachment in try item.optional("attachments")?.list() ?? [] {
            try attachment.checkKeys(["file", "name", "type", "template"])
            let fileValue = try attachment.required("file")
            let rel = try fileValue.string()
            var bytes = try sources.read(rel, at: fileValue)
            if try attachment.optional("template")?.bool() ?? false {
                bytes = try TemplatedFile.render(bytes, file: sources.root + "/" + rel, field: fileValue.path, context: fileValue.context)
            }
            let name = try attachment.optional("name")?.string() ?? String(rel.split(separator: "/").last ?? "")
            draft.message.attachments.append(Attachment(name: name, contentType: try attachment.optional("type")?.string()
                                                        ?? guessContentType(name), content: sources.cache.content(bytes, of: rel)))
        }
        if draft.message.recipients.isEmpty && draft.onlyIn == nil {
            throw item.error("a message needs at least one recipient in to, cc or bcc (or a mailbox: to place it in)")
        }
        return draft
    }

    func isMessageID(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 200 && s.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._-@+=".unicodeScalars.contains($0)
        }
    }

    func readInline(_ item: YAMLValue) throws(ScenarioError) -> Draft {
        let fromValue = try item.required("from")
        let from = try fromValue.string()
        guard isPlausibleAddress(from) else { throw fromValue.error("expected an e-mail address, found \"\(from)\"") }
        var message = Message(messageID: "", from: from, to: try addresses(item, "to"), cc: try addresses(item, "cc"),
                              bcc: try addresses(item, "bcc"), subject: try item.required("subject").string(),
                              body: try item.required("body").string(), date: try date(try item.required("date")))
        return try common(item, &message)
    }

    func readEML(_ item: YAMLValue) throws(ScenarioError) -> Draft {
        let emlValue = try item.required("eml")
        let rel = try emlValue.string()
        let bytes = try TemplatedFile.render(try sources.read(rel, at: emlValue), file: sources.root + "/" + rel,
                                             field: emlValue.path, context: emlValue.context)
        for key in ["from", "to", "cc", "bcc", "subject", "body", "date"] where try item.optional(key) != nil {
            throw (try item.required(key)).error("\"\(key)\" comes from the .eml file's headers; remove it here")
        }
        let parsed: EMLMessage, contents: [Content]
        do { (parsed, contents) = try sources.cache.eml(bytes, of: rel) } catch {
            throw ScenarioError(file: sources.root + "/" + rel, line: error.line, field: error.field, message: error.message)
        }
        guard let emlDate = parsed.date else {
            throw ScenarioError(file: sources.root + "/" + rel, line: nil, field: "Date", message: "the message has no Date header")
        }
        var message = Message(messageID: "", from: parsed.from.address, to: parsed.to.map(\.address),
                              cc: parsed.cc.map(\.address), bcc: parsed.bcc.map(\.address), subject: parsed.subject,
                              body: parsed.body, date: try notInFuture(VirtualTime(milliseconds: emlDate.epochSeconds * 1000), emlValue),
                              attachments: zip(parsed.attachments, contents).map {
                                  Attachment(name: $0.filename, contentType: $0.contentType, content: $1)
                              })
        var draft = try common(item, &message)
        if !draft.explicitID, let mid = parsed.messageID {
            guard isMessageID(mid) else {
                throw emlValue.error("its Message-ID \"\(mid)\" is not usable as an id; give the message an id:")
            }
            draft.message.messageID = mid
            draft.message.threadID = mid
            draft.explicitID = true
        }
        if draft.replyTo == nil, let parent = parsed.inReplyTo { draft.message.inReplyTo = parent }
        return draft
    }
}
