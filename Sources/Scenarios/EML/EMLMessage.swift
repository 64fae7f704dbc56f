// Value types produced by `EMLParser` from an RFC 5322 `.eml` file.

/// One mailbox: an optional display name and the bare addr-spec exactly as written
/// (case preserved, quoted local parts keep their quotes).
public struct EMLAddress: Sendable, Equatable {
    public var name: String?
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }
}

/// A point in time plus the UTC offset the sender wrote (`-0500` → -300).
public struct EMLDate: Sendable, Equatable {
    public var epochSeconds: Int64
    public var utcOffsetMinutes: Int

    public init(epochSeconds: Int64, utcOffsetMinutes: Int) {
        self.epochSeconds = epochSeconds
        self.utcOffsetMinutes = utcOffsetMinutes
    }
}

/// A decoded attachment. `contentType` is the lowercased `type/subtype` without parameters.
public struct EMLAttachment: Sendable, Equatable {
    public var filename: String
    public var contentType: String
    public var bytes: [UInt8]

    public init(filename: String, contentType: String, bytes: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }
}

public struct EMLMessage: Sendable, Equatable {
    /// Message-ID without the angle brackets.
    public var messageID: String?
    public var from: EMLAddress
    public var to: [EMLAddress]
    public var cc: [EMLAddress]
    public var bcc: [EMLAddress]
    /// RFC 2047 decoded and unfolded; "" when there is no Subject header.
    public var subject: String
    public var date: EMLDate?
    /// The first msg-id of In-Reply-To, without angle brackets.
    public var inReplyTo: String?
    /// Every msg-id of References, in order, without angle brackets.
    public var references: [String]
    /// The text/plain body (or crude text from text/html when that is all there is),
    /// transfer- and charset-decoded, line endings normalised to "\n".
    public var body: String
    public var attachments: [EMLAttachment]

    public init(messageID: String? = nil, from: EMLAddress, to: [EMLAddress] = [], cc: [EMLAddress] = [],
                bcc: [EMLAddress] = [], subject: String = "", date: EMLDate? = nil, inReplyTo: String? = nil,
                references: [String] = [], body: String = "", attachments: [EMLAttachment] = []) {
        self.messageID = messageID
        self.from = from
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.subject = subject
        self.date = date
        self.inReplyTo = inReplyTo
        self.references = references
        self.body = body
        self.attachments = attachments
    }
}

/// Why a file could not be read. `line` is the 1-based line of the file where the problem is;
/// `field` names the header concerned, or "header" (a malformed header line) or "body".
public struct EMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var field: String
    public var message: String

    public init(line: Int, field: String, message: String) {
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String { "line \(line): \(field): \(message)" }
}
