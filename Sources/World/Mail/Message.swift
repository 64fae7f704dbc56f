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
public struct Message: Sendable, Hashable {
    /// Globally unique, like an RFC 5322 Message-ID (without the angle brackets).
    public var messageID: String
    public var from: String
    public var to: [String]
    public var cc: [String]
    /// Only the sender's copy (and egress records) keep the bcc list, as a real server does.
    public var bcc: [String]
    public var subject: String
    public var body: String
    public var date: VirtualTime
    public var inReplyTo: String?
    /// The message id of the thread's first message.
    public var threadID: String
    public var attachments: [Attachment]

    public init(messageID: String, from: String, to: [String], cc: [String] = [], bcc: [String] = [],
                subject: String, body: String, date: VirtualTime, inReplyTo: String? = nil,
                threadID: String? = nil, attachments: [Attachment] = []) {
        self.messageID = messageID
        self.from = from
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.subject = subject
        self.body = body
        self.date = date
        self.inReplyTo = inReplyTo
        self.threadID = threadID ?? messageID
        self.attachments = attachments
    }

    /// Everyone the message is addressed to, in order, without duplicates.
    public var recipients: [String] {
        var seen = Set<String>()
        return (to + cc + bcc).filter { seen.insert($0.lowercased()).inserted }
    }

    /// The copy a recipient receives: identical except that bcc is not shown.
    public var withoutBcc: Message {
        var copy = self
        copy.bcc = []
        return copy
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
