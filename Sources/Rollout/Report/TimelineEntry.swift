import TerrariumBase
import TerrariumRecording
import TerrariumWorld

/// One row of an episode's timeline in the report: what happened at one seq, already
/// reduced to text (escaping happens when the page is written).
public struct TimelineEntry: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case agent, toolCall = "tool-call", toolResult = "tool-result", mail, shell, file, denied, trigger, episode, other
    }

    public var seq: Int
    /// Virtual time as recorded.
    public var time: String
    public var kind: Kind
    /// One line: "mail.sent to a@b: Subject".
    public var title: String
    /// Visible text / body / output (may be empty).
    public var body: String = ""
    /// The model's reasoning (agent entries only): folded, and hidden by "hide reasoning".
    public var reasoning: String = ""
    /// Tool arguments as JSON text: hidden by "hide tool arguments".
    public var arguments: [String] = []
}

/// Builds the timeline of one recorded episode from its verified events.
public enum Timeline {
    /// Longest body shown per entry; the rest is cut with a note (the episode folder has it all).
    public static let bodyLimit = 20_000

    public static func entries(events: [EventRecord], codec: RecordingContentCodec) -> [TimelineEntry] {
        var out: [TimelineEntry] = []
        for e in events {
            let p = e.payload
            var entry = TimelineEntry(seq: e.seq, time: e.time, kind: .other, title: e.kind)
            switch e.kind {
            case "agent.message":
                entry.kind = .agent
                let calls = p["toolCalls"]?.arrayValue ?? []
                entry.title = "agent, turn \(p["turn"]?.intValue.map(String.init) ?? "?")"
                    + (calls.isEmpty ? "" : ": " + calls.compactMap { $0["name"]?.stringValue }.joined(separator: ", "))
                    + (p["stop"]?.stringValue.map { " (stop: \($0))" } ?? "")
                entry.body = text(p["text"], codec)
                entry.reasoning = text(p["reasoning"], codec)
                entry.arguments = calls.map { ($0["name"]?.stringValue ?? "?") + " " + ($0["arguments"] ?? .object([:])).prettyString() }
            case "tool.called":
                entry.kind = .toolCall
                entry.title = "tool call \(p["tool"]?.stringValue ?? "?")"
                entry.arguments = [(p["arguments"] ?? .object([:])).prettyString()]
            case "tool.result":
                entry.kind = .toolResult
                let error = p["isError"]?.boolValue == true
                entry.title = "result of \(p["tool"]?.stringValue ?? "?")" + (error ? " (error)" : "")
                if let env = p["environmentError"]?.stringValue { entry.title += " (environment error)"; entry.body = env }
                else { entry.body = text(p["output"], codec) }
            case "mail.sent", "mail.delivered", "mail.egress", "mail.bounced":
                entry.kind = .mail
                let message = mail(p["effect"], codec)
                let who = e.kind == "mail.sent" ? "to " + (message?.to ?? []).joined(separator: ", ")
                    : e.kind == "mail.egress" ? "left the company to " + (p["recipient"]?.stringValue ?? "?")
                    : "into " + (p["mailbox"]?.stringValue ?? "?")
                entry.title = "\(e.kind) \(who): \(message?.subject ?? p["subject"]?.stringValue ?? "")"
                if let message { entry.body = "From: \(message.from)\nTo: \(message.to.joined(separator: ", "))\n\n\(message.body)" }
            case "shell.executed":
                entry.kind = .shell
                let exit = p["exitCode"]?.intValue.map { "exit \($0)" } ?? (p["signal"]?.stringValue.map { "signal \($0)" } ?? "no exit")
                entry.title = "shell: \(p["command"]?.stringValue ?? "") (\(exit))"
                let stdout = text(p["stdout"], codec), stderr = text(p["stderr"], codec)
                entry.body = stdout + (stderr.isEmpty ? "" : (stdout.isEmpty ? "" : "\n") + "[stderr]\n" + stderr)
            case "file.created", "file.modified", "file.deleted", "file.moved", "file.read", "file.skipped":
                entry.kind = .file
                let path = p["path"]?.stringValue ?? p["from"]?.stringValue ?? "?"
                entry.title = "\(e.kind) \(path)" + (p["to"]?.stringValue.map { " → \($0)" } ?? "")
            case "sandbox.denied":
                entry.kind = .denied
                let target = [p["address"]?.stringValue, p["port"]?.intValue.map(String.init)].compactMap { $0 }.joined(separator: ":")
                entry.title = "sandbox denied \(p["syscall"]?.stringValue ?? "?") (\(p["category"]?.stringValue ?? "?"))"
                    + (target.isEmpty ? "" : " " + target)
                entry.body = p["detail"]?.stringValue ?? ""
            case "trigger.fired":
                entry.kind = .trigger
                entry.title = "trigger \(p["trigger"]?.stringValue ?? "?") fired"
            case "episode.started", "episode.ended":
                entry.kind = .episode
                entry.title = e.kind + (p["reason"]?.stringValue.map { ": \($0)" } ?? "")
            default:
                entry.title = e.kind + scalars(p)
            }
            entry.body = cut(entry.body)
            out.append(entry)
        }
        return out
    }

    /// A payload text: a string, a content reference (inline or in blobs/), or nothing.
    static func text(_ value: JSON?, _ codec: RecordingContentCodec) -> String {
        guard let value, value != .null else { return "" }
        if let s = value.stringValue { return s }
        guard let content = try? codec.decode(value) else { return "[content unreadable]" }
        return content.text ?? "[\(content.count) bytes of binary content]"
    }

    /// The message a mail event's effect carries.
    static func mail(_ effect: JSON?, _ codec: RecordingContentCodec) -> TerrariumWorld.Message? {
        guard let effect, let decoded = try? WorldCoding.effect(effect, codec) else { return nil }
        switch decoded {
        case .deliver(_, let entry): return entry.message
        case .egress(let egress): return egress.message
        default: return nil
        }
    }

    /// The payload's plain values as "key=value" (not the effect or the cause), for the
    /// events without a row shape of their own (mail.read, flag.set, clock.advanced, ...).
    static func scalars(_ payload: [String: JSON]) -> String {
        let parts = payload.keys.sorted().compactMap { key -> String? in
            guard key != "effect", key != "cause", let value = payload[key] else { return nil }
            switch value {
            case .string(let s): return "\(key)=\(s)"
            case .int, .double, .bool: return "\(key)=\(value.canonicalString())"
            case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
                return "\(key)=" + items.compactMap(\.stringValue).joined(separator: ",")
            default: return nil
            }
        }
        guard !parts.isEmpty else { return "" }
        let line = " " + parts.joined(separator: " ")
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }

    static func cut(_ text: String) -> String {
        guard text.count > bodyLimit else { return text }
        return String(text.prefix(bodyLimit)) + "\n… [\(text.count - bodyLimit) more characters in the episode folder]"
    }
}
