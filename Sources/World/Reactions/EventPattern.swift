import TerrariumBase

/// A description of recorded events, written by scenario authors (trigger `on:`, grading
/// predicates): an event matches when its kind is one of `kinds` and every field that is
/// given matches. Matching reads an event exactly as `events.jsonl` holds it — its kind
/// and its `payload` — so the same pattern works on a live episode and on a log on disk.
///
/// Where each field looks in the payload:
/// - mail (`mail.sent`, `mail.delivered`, `mail.bounced`, `mail.egress`): the message in
///   `effect.entry.message` (`effect.egress.message` for egress); `to` also accepts the
///   egress `recipient` and the mailbox a copy was delivered to (a Bcc'd copy does not
///   list its own recipient).
/// - files: `path` (both `from` and `to` for `file.moved`), the new content in
///   `effect.content` (through `contentText`, which resolves blob references).
/// - `tool.called`: `tool` and `arguments`; `shell.executed`: `command`;
///   `sandbox.denied`: `category`.
public struct EventPattern: Sendable, Hashable {
    /// The event kinds (raw values of `EventKind`) that can match; never empty.
    public let kinds: [EventKind]
    /// Sender address (any of), compared case-insensitively.
    public let from: [String]?
    /// Recipient address (any of), compared case-insensitively against to, cc and bcc.
    public let to: [String]?
    public let subject: TextPattern?
    public let body: TextPattern?
    /// Glob on any attachment's file name.
    public let attachment: String?
    /// Glob on the home-relative path (`notes/*.md`).
    public let path: String?
    /// Regex on the new text content of a written file.
    public let content: TextPattern?
    public let tool: String?
    /// Argument name → regex on its string form (canonical JSON when not a string). A
    /// missing argument does not match.
    public let arguments: [String: TextPattern]
    public let command: TextPattern?
    /// The recorded category of a denied attempt: `network`, `namespace`, `ptrace`, ...
    public let category: String?

    /// A field of a pattern, with the event kinds it can apply to.
    public enum Field: String, Sendable, CaseIterable {
        case from, to, subject, body, attachment, path, content, tool, arguments, command, category

        public var appliesTo: [EventKind] {
            switch self {
            case .from, .to, .subject, .body, .attachment: return EventPattern.mailKinds
            case .path: return EventPattern.fileKinds
            case .content: return [.fileCreated, .fileModified]
            case .tool, .arguments: return [.toolCalled]
            case .command: return [.shellExecuted]
            case .category: return [.sandboxDenied]
            }
        }
    }

    /// Mail events whose payload carries the message.
    public static let mailKinds: [EventKind] = [.mailSent, .mailEgress, .mailDelivered, .mailBounced]
    public static let fileKinds: [EventKind] = [.fileCreated, .fileModified, .fileDeleted, .fileMoved, .fileRead, .fileSkipped]

    /// Builds a pattern; a field that cannot apply to one of `kinds` is an error (such a
    /// pattern could never match that kind, which is always an author's mistake).
    public init(kinds: [EventKind], from: [String]? = nil, to: [String]? = nil, subject: TextPattern? = nil,
                body: TextPattern? = nil, attachment: String? = nil, path: String? = nil, content: TextPattern? = nil,
                tool: String? = nil, arguments: [String: TextPattern] = [:], command: TextPattern? = nil,
                category: String? = nil) throws(EventPatternError) {
        guard !kinds.isEmpty else { throw EventPatternError(field: "kind", message: "name at least one event kind") }
        self.kinds = kinds
        self.from = from?.map { $0.lowercased() }
        self.to = to?.map { $0.lowercased() }
        self.subject = subject
        self.body = body
        self.attachment = attachment
        self.path = path
        self.content = content
        self.tool = tool
        self.arguments = arguments
        self.command = command
        self.category = category
        for field in givenFields {
            if let kind = kinds.first(where: { !field.appliesTo.contains($0) }) {
                throw EventPatternError(field: field.rawValue, message: "does not apply to \(kind.rawValue) events "
                    + "(it applies to \(field.appliesTo.map(\.rawValue).joined(separator: ", ")))")
            }
        }
    }

    /// The fields this pattern constrains besides `kind`.
    public var givenFields: [Field] {
        var out: [Field] = []
        if from != nil { out.append(.from) }
        if to != nil { out.append(.to) }
        if subject != nil { out.append(.subject) }
        if body != nil { out.append(.body) }
        if attachment != nil { out.append(.attachment) }
        if path != nil { out.append(.path) }
        if content != nil { out.append(.content) }
        if tool != nil { out.append(.tool) }
        if !arguments.isEmpty { out.append(.arguments) }
        if command != nil { out.append(.command) }
        if category != nil { out.append(.category) }
        return out
    }

    /// Reads the text of a recorded content reference when it is inline (`text`); blob
    /// references need a resolver that can read the episode's `blobs/`.
    public static func inlineText(_ reference: JSON) -> String? { reference["text"]?.stringValue }

    /// Whether a recorded event matches.
    /// - Parameters:
    ///   - kind: the event's `kind` as recorded (`mail.sent`).
    ///   - payload: the event's `payload` object as recorded.
    ///   - contentText: the text of a content reference (`{"sha256", "size", "text"|"blob"}`),
    ///     or nil when it is not text; only consulted for `content`.
    public func matches(kind: String, payload: JSON, contentText: (JSON) -> String? = EventPattern.inlineText) -> Bool {
        guard kinds.contains(where: { $0.rawValue == kind }) else { return false }
        if from != nil || to != nil || subject != nil || body != nil || attachment != nil {
            guard let message = EventPattern.message(in: payload) else { return false }
            if let from, !from.contains((message["from"]?.stringValue ?? "").lowercased()) { return false }
            if let to {
                var recipients: [String] = []
                for key in ["to", "cc", "bcc"] { recipients += (message[key]?.arrayValue ?? []).compactMap(\.stringValue) }
                if kind == EventKind.mailEgress.rawValue, let r = payload["recipient"]?.stringValue { recipients.append(r) }
                if kind == EventKind.mailDelivered.rawValue, let m = payload["mailbox"]?.stringValue { recipients.append(m) }
                guard recipients.contains(where: { to.contains($0.lowercased()) }) else { return false }
            }
            if let subject, !subject.matches(message["subject"]?.stringValue ?? "") { return false }
            if let body, !body.matches(message["body"]?.stringValue ?? "") { return false }
            if let attachment {
                let names = (message["attachments"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
                guard names.contains(where: { globMatches(attachment, $0) }) else { return false }
            }
        }
        if let path {
            let paths = ["path", "from", "to"].compactMap { payload[$0]?.stringValue }
            guard paths.contains(where: { globMatches(path, $0) }) else { return false }
        }
        if let content {
            guard let reference = payload["effect"]?["content"], let text = contentText(reference),
                  content.matches(text) else { return false }
        }
        if let tool, payload["tool"]?.stringValue != tool { return false }
        for (name, pattern) in arguments {
            guard let value = payload["arguments"]?[name] else { return false }
            guard pattern.matches(value.stringValue ?? value.canonicalString()) else { return false }
        }
        if let command, !command.matches(payload["command"]?.stringValue ?? "") { return false }
        if let category, payload["category"]?.stringValue != category { return false }
        return true
    }

    /// The message a mail event's payload carries, if any.
    public static func message(in payload: JSON) -> JSON? {
        guard let effect = payload["effect"] else { return nil }
        return effect["entry"]?["message"] ?? effect["egress"]?["message"]
    }
}

/// A pattern that cannot be built: the field at fault and why.
public struct EventPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(field: String, message: String) { self.field = field; self.message = message }
    public var description: String { "\(field): \(message)" }
}
