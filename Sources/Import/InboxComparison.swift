/// Compares two inboxes field by field and says where they first differ, so a failing
/// check names the message and the field rather than "not equal".
public enum InboxComparison {
    /// nil when equal. Without `orderMatters`, messages are matched as a multiset.
    public static func difference(ours: [InboxMail], theirs: [InboxMail], orderMatters: Bool) -> String? {
        if ours.count != theirs.count {
            return "\(ours.count) messages here, \(theirs.count) in theirs"
        }
        if orderMatters {
            for (a, b) in zip(ours, theirs) where a != b { return fieldDifference(a, b) }
            return nil
        }
        var remaining = theirs
        for a in ours {
            if let i = remaining.firstIndex(of: a) { remaining.remove(at: i); continue }
            // The closest of theirs: same timestamp and sender, else same subject.
            let near = remaining.first { $0.timestamp == a.timestamp && $0.from == a.from }
                ?? remaining.first { $0.subject == a.subject } ?? remaining.first
            guard let near else { return "message \(a) has no counterpart" }
            return fieldDifference(a, near)
        }
        return nil
    }

    static func fieldDifference(_ a: InboxMail, _ b: InboxMail) -> String {
        for (fa, fb) in zip(a.fields, b.fields) where fa.value != fb.value {
            return "message \"\(b.subject)\" (\(b.timestamp)): field \(fa.name) differs: here \(snippet(fa.value, fb.value).0), theirs \(snippet(fa.value, fb.value).1)"
        }
        return "messages differ"
    }

    /// The two texts from shortly before their first difference.
    static func snippet(_ a: String, _ b: String) -> (String, String) {
        let ac = Array(a), bc = Array(b)
        var i = 0
        while i < ac.count, i < bc.count, ac[i] == bc[i] { i += 1 }
        let from = max(0, i - 20)
        func cut(_ c: [Character]) -> String {
            let end = min(c.count, i + 40)
            return "\"" + (from > 0 ? "…" : "") + String(c[min(from, c.count)..<end]) + (end < c.count ? "…" : "") + "\"" + " (at character \(i))"
        }
        return (cut(ac), cut(bc))
    }
}
