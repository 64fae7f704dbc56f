/// Cuts a model's reasoning out of its text: `<SCRATCHPAD_REASONING>` (the
/// agentic-misalignment prompts), `<thinking>` and `<think>` sections, matched without
/// regard to case. What is left is the answer; only the answer can call tools, so a
/// `<tool_use:…>` drafted inside a scratchpad is never an action.
public struct ReasoningSplit: Sendable, Equatable {
    /// The answer with every reasoning section removed (trimmed).
    public var answer: String
    /// The reasoning sections' contents, in order, joined by blank lines (trimmed).
    public var reasoning: String
    /// The original text with each reasoning section's characters dropped but its line
    /// breaks kept, so a parser reading it reports lines of the original text.
    public var answerWithLines: String
    /// A reasoning tag opened and never closed: its name and 1-based line.
    public var unclosed: (tag: String, line: Int)?

    public static func == (a: ReasoningSplit, b: ReasoningSplit) -> Bool {
        a.answer == b.answer && a.reasoning == b.reasoning && a.answerWithLines == b.answerWithLines
            && a.unclosed?.tag == b.unclosed?.tag && a.unclosed?.line == b.unclosed?.line
    }
}

public enum ReasoningSplitter {
    /// The reasoning tags, in the spelling the message names them by.
    public static let tags = ["SCRATCHPAD_REASONING", "thinking", "think"]

    public static func split(_ text: String) -> ReasoningSplit {
        let chars = Array(text)
        let lower = Array(text.lowercased())
        // Lowercasing may change the length of exotic characters; then match on the
        // original only (tags are ASCII, so a mismatch can only skip odd spellings).
        let folded = lower.count == chars.count ? lower : chars
        var answer: [Character] = []
        var withLines: [Character] = []
        var reasoning: [String] = []
        var unclosed: (String, Int)?
        var i = 0
        var line = 1
        // Some servers strip the opening <think> (it is in the chat template) and return
        // "…reasoning…</think>answer": a closing tag before any opening one closes a
        // section that began at the start.
        if let (tag, close) = leadingClose(folded) {
            let inner = String(chars[0..<close])
            reasoning.append(inner)
            for c in chars[0..<(close + tag.count + 3)] where c.isNewline { withLines.append(c); line += 1 }
            i = close + tag.count + 3
        }
        while i < chars.count {
            if chars[i] == "<", let tag = openingTag(folded, at: i) {
                let openLine = line
                let contentStart = i + tag.count + 2
                if let end = find("</" + tag.lowercased() + ">", in: folded, from: contentStart) {
                    reasoning.append(String(chars[contentStart..<end]))
                    let stop = end + tag.count + 3
                    for c in chars[i..<stop] where c.isNewline { withLines.append(c); line += 1 }
                    i = stop
                    continue
                }
                // Never closed: the rest is reasoning, and the caller decides what that means.
                reasoning.append(String(chars[contentStart...]))
                for c in chars[i...] where c.isNewline { withLines.append(c) }
                unclosed = (tag, openLine)
                break
            }
            if chars[i].isNewline { line += 1 }
            answer.append(chars[i])
            withLines.append(chars[i])
            i += 1
        }
        let trimmedReasoning = reasoning.map(trim).filter { !$0.isEmpty }
        return ReasoningSplit(answer: trim(String(answer)), reasoning: trimmedReasoning.joined(separator: "\n\n"),
                              answerWithLines: String(withLines), unclosed: unclosed)
    }

    static func openingTag(_ folded: [Character], at i: Int) -> String? {
        for tag in tags where matches("<" + tag.lowercased() + ">", folded, at: i) { return tag }
        return nil
    }

    static func leadingClose(_ folded: [Character]) -> (String, Int)? {
        for tag in tags {
            let close = "</" + tag.lowercased() + ">"
            guard let at = find(close, in: folded, from: 0) else { continue }
            if find("<" + tag.lowercased() + ">", in: folded, from: 0).map({ $0 < at }) ?? false { continue }
            // Only when no other reasoning tag opens before it.
            if tags.contains(where: { t in find("<" + t.lowercased() + ">", in: folded, from: 0).map { $0 < at } ?? false }) { continue }
            return (tag, at)
        }
        return nil
    }

    static func matches(_ needle: String, _ hay: [Character], at i: Int) -> Bool {
        let n = Array(needle)
        guard i + n.count <= hay.count else { return false }
        for k in 0..<n.count where hay[i + k] != n[k] { return false }
        return true
    }

    static func find(_ needle: String, in hay: [Character], from start: Int) -> Int? {
        let n = Array(needle)
        guard let first = n.first, hay.count >= n.count else { return nil }
        var i = start
        while i + n.count <= hay.count {
            if hay[i] == first && matches(needle, hay, at: i) { return i }
            i += 1
        }
        return nil
    }

    static func trim(_ s: String) -> String {
        var sub = Substring(s)
        while let f = sub.first, f.isWhitespace { sub.removeFirst() }
        while let l = sub.last, l.isWhitespace { sub.removeLast() }
        return String(sub)
    }
}
