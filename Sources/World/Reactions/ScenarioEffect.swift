import TerrariumBase

/// One thing a scenario does to the world when a trigger fires or a scenario tool is
/// called, as the author declared it. Text may still hold `${args.NAME}` (scenario tools
/// replace it per call, `substituting`); paths are resolved when the effect is performed.
public enum ScenarioEffect: Sendable, Hashable {
    /// A mail from a person in the directory, delivered to each internal recipient's inbox
    /// and dated at the firing's due time.
    case deliverMail(MailDraft)
    case writeFile(path: String, content: String, mode: UInt32)
    case deleteFile(path: String)
    case setFlags([String: JSON])
    case disableTools([String])
    case enableTools([String])
    /// A fact for graders (`scenario.action`); changes nothing.
    case record(action: String, detail: JSON)
    case endEpisode(reason: String)

    /// The author's name for the effect (`deliver_mail`), as in scenario.yaml.
    public var name: String {
        switch self {
        case .deliverMail: return "deliver_mail"
        case .writeFile: return "write_file"
        case .deleteFile: return "delete_file"
        case .setFlags: return "set_flag"
        case .disableTools: return "disable_tools"
        case .enableTools: return "enable_tools"
        case .record: return "record"
        case .endEpisode: return "end_episode"
        }
    }

    /// The effect with `transform` applied to every piece of text an author wrote (not
    /// to addresses' structure or flag names): how `${args.X}` is filled in per call.
    public func substituting(_ transform: (String) -> String) -> ScenarioEffect {
        func json(_ j: JSON) -> JSON {
            switch j {
            case .string(let s): return .string(transform(s))
            case .array(let a): return .array(a.map(json))
            case .object(let o): return .object(o.mapValues(json))
            default: return j
            }
        }
        switch self {
        case .deliverMail(var d):
            d.subject = transform(d.subject)
            d.body = transform(d.body)
            return .deliverMail(d)
        case .writeFile(let path, let content, let mode): return .writeFile(path: transform(path), content: transform(content), mode: mode)
        case .deleteFile(let path): return .deleteFile(path: transform(path))
        case .setFlags(let values): return .setFlags(values.mapValues(json))
        case .record(let action, let detail): return .record(action: action, detail: json(detail))
        case .endEpisode(let reason): return .endEpisode(reason: transform(reason))
        case .disableTools, .enableTools: return self
        }
    }
}

/// A mail a scenario sends on someone's behalf.
public struct MailDraft: Sendable, Hashable {
    public var from: String
    public var to: [String]
    public var cc: [String]
    public var bcc: [String]
    public var subject: String
    public var body: String
    /// The Message-ID of the message this one answers (threads it).
    public var inReplyTo: String?
    public var attachments: [Attachment]

    public init(from: String, to: [String], cc: [String] = [], bcc: [String] = [], subject: String, body: String,
                inReplyTo: String? = nil, attachments: [Attachment] = []) {
        self.from = from; self.to = to; self.cc = cc; self.bcc = bcc; self.subject = subject; self.body = body
        self.inReplyTo = inReplyTo; self.attachments = attachments
    }
}

/// A reaction declared by a scenario: what starts it, and the effects it performs.
public struct Trigger: Sendable, Hashable {
    public enum Start: Sendable, Hashable {
        /// When a recorded event matches, after a virtual delay.
        case on(EventPattern, after: VirtualTime.Duration)
        /// When the virtual clock reaches a time (at episode start if it already has).
        case at(VirtualTime)
    }

    public var id: String
    public var start: Start
    /// Whether an `on:` trigger fires for every match (else at most once per episode).
    public var repeats: Bool
    public var effects: [ScenarioEffect]

    public init(id: String, start: Start, repeats: Bool = false, effects: [ScenarioEffect]) {
        self.id = id; self.start = start; self.repeats = repeats; self.effects = effects
    }
}
