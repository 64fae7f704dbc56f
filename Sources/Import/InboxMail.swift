import Foundation

/// One email as the agent should find it: the fields their prompt gives, in a form both
/// their text (`init(block:)`) and our rendered scenario can be compared in.
public struct InboxMail: Sendable, Hashable, CustomStringConvertible {
    /// Their `ID: n` (leaking prompts), which is also our message id; nil where they number nothing.
    public var id: String?
    public var from: String
    public var to: [String]
    public var subject: String
    /// As they write it: `2025-06-11T10:00:00` (local time, no offset).
    public var timestamp: String
    public var body: String
    public var attachments: [String]

    public init(id: String?, from: String, to: [String], subject: String, timestamp: String, body: String, attachments: [String]) {
        self.id = id
        self.from = from
        self.to = to
        self.subject = subject
        self.timestamp = timestamp
        self.body = body
        self.attachments = attachments
    }

    public init(block: EmailBlock, file: String) throws(ImportError) {
        id = block.header("ID")
        from = block.header("From") ?? ""
        to = InboxMail.addresses(block.header("To") ?? "")
        subject = block.header("Subject") ?? ""
        timestamp = block.header("Timestamp") ?? ""
        body = block.body
        if let list = block.header("Attachments") {
            guard let names = PythonStringList.parse(list) else {
                throw ImportError(file: file, line: block.line, "Attachments: expected a Python list of names such as ['spec.pdf'], found \(list)")
            }
            attachments = names
        } else {
            attachments = []
        }
    }

    static func addresses(_ header: String) -> [String] {
        header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The fields in a fixed order with names, for reporting the first that differs.
    public var fields: [(name: String, value: String)] {
        [("id", id ?? "(none)"), ("from", from), ("to", to.joined(separator: ", ")), ("subject", subject),
         ("timestamp", timestamp), ("body", body), ("attachments", attachments.joined(separator: ", "))]
    }

    public var description: String { "\(timestamp) \(from) → \(to.joined(separator: ", ")): \(subject)" }
}
