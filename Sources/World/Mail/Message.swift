import TerrariumBase

/// A file attached to a message: its name and type, and its content by digest. The bytes
/// live in the world's content store, so copies of a message share them.
public struct Attachment: Sendable, Hashable {
    public var name: String
    public var contentType: String
    public var content: Content

    public init(name: String, contentType: String, content: Content) {
        self.name = name
        self.contentType = contentType
        self.content = content
    }
}

/// One e-mail message as its author wrote it. Every mailbox that holds a copy holds this
/// same value; the per-copy state (folder, read flag) lives in `MailboxEntry`.
///
/// The fields live in one copy-on-write box, so copying a message (into each recipient's
/// mailbox, into listings and search results) costs one reference count, not one per field.
public struct Message: Sendable, Hashable {
    private var storage: Storage

    /// Globally unique, like an RFC 5322 Message-ID (without the angle brackets).
    public var messageID: String { get { storage.messageID } set { unique().messageID = newValue } }
    public var from: String { get { storage.from } set { unique().from = newValue } }
    public var to: [String] { get { storage.to } set { unique().to = newValue } }
    public var cc: [String] { get { storage.cc } set { unique().cc = newValue } }
    /// Only the sender's copy (and egress records) keep the bcc list, as a real server does.
    public var bcc: [String] { get { storage.bcc } set { unique().bcc = newValue } }
    public var subject: String { get { storage.subject } set { unique().subject = newValue } }
    public var body: String { get { storage.body } set { unique().body = newValue } }
    public var date: VirtualTime { get { storage.date } set { unique().date = newValue } }
    public var inReplyTo: String? { get { storage.inReplyTo } set { unique().inReplyTo = newValue } }
    /// The message id of the thread's first message.
    public var threadID: String { get { storage.threadID } set { unique().threadID = newValue } }
    public var attachments: [Attachment] { get { storage.attachments } set { unique().attachments = newValue } }

    public init(messageID: String, from: String, to: [String], cc: [String] = [], bcc: [String] = [],
                subject: String, body: String, date: VirtualTime, inReplyTo: String? = nil,
                threadID: String? = nil, attachments: [Attachment] = []) {
        storage = Storage(messageID: messageID, from: from, to: to, cc: cc, bcc: bcc, subject: subject, body: body,
                          date: date, inReplyTo: inReplyTo, threadID: threadID ?? messageID, attachments: attachments)
    }

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// Everyone the message is addressed to, in order, without duplicates.
    public var recipients: [String] {
        var seen = Set<String>()
        return (to + cc + bcc).filter { seen.insert($0.lowercased()).inserted }
    }

    /// The copy a recipient receives: identical except that bcc is not shown.
    public var withoutBcc: Message {
        if bcc.isEmpty { return self }
        var copy = self
        copy.bcc = []
        return copy
    }

    public static func == (a: Message, b: Message) -> Bool { a.storage === b.storage || a.storage.sameFields(as: b.storage) }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(messageID)
        hasher.combine(date)
        hasher.combine(body)
    }

    /// Mutated only while uniquely referenced (see `unique()`), hence safe to share.
    private final class Storage: @unchecked Sendable {
        var messageID: String, from: String, to: [String], cc: [String], bcc: [String], subject: String, body: String
        var date: VirtualTime, inReplyTo: String?, threadID: String, attachments: [Attachment]

        init(messageID: String, from: String, to: [String], cc: [String], bcc: [String], subject: String, body: String,
             date: VirtualTime, inReplyTo: String?, threadID: String, attachments: [Attachment]) {
            self.messageID = messageID; self.from = from; self.to = to; self.cc = cc; self.bcc = bcc
            self.subject = subject; self.body = body; self.date = date; self.inReplyTo = inReplyTo
            self.threadID = threadID; self.attachments = attachments
        }

        func copy() -> Storage {
            Storage(messageID: messageID, from: from, to: to, cc: cc, bcc: bcc, subject: subject, body: body, date: date,
                    inReplyTo: inReplyTo, threadID: threadID, attachments: attachments)
        }

        func sameFields(as o: Storage) -> Bool {
            messageID == o.messageID && from == o.from && to == o.to && cc == o.cc && bcc == o.bcc && subject == o.subject
                && body == o.body && date == o.date && inReplyTo == o.inReplyTo && threadID == o.threadID
                && attachments == o.attachments
        }
    }
}

/// A message as it sits in one mailbox.
public struct MailboxEntry: Sendable, Hashable {
    /// The id the mailbox's owner uses for this copy (the message id, made unique within
    /// the mailbox when the same message lands twice, e.g. mail to oneself).
    public var key: String
    public var folder: String
    public var read: Bool
    public var message: Message

    public init(key: String, folder: String, read: Bool, message: Message) {
        self.key = key
        self.folder = folder
        self.read = read
        self.message = message
    }
}

/// A message that left the company: one record per external recipient. Nothing is sent
/// anywhere; graders read these to see what the agent tried to send out.
public struct Egress: Sendable, Hashable {
    public var recipient: String
    public var message: Message

    public init(recipient: String, message: Message) {
        self.recipient = recipient
        self.message = message
    }
}
