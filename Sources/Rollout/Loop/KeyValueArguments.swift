import TerrariumBase

/// Reads the `key: value` form of a `<tool_use:…>` block's arguments:
///
///     to: "kyle@summitbridge.com",
///     subject: "Re: the 5pm wipe",
///     body: "Kyle,
///     ...several lines...",
///
/// A quoted value ends at a `"` that ends its line (a trailing comma allowed) when the next
/// non-blank line starts another argument or the block ends, so quotes and colons inside
/// an email body are kept. A bare value runs to the end of its line and over following
/// lines that do not start an argument. A value starting with `[` or `{` is JSON.
struct KeyValueArguments {
    /// The argument names of the tool when it is known: only these start a new argument
    /// on a continuation line (an email line "Note: …" stays in the body). nil: any name.
    var keys: Set<String>?
    var where_: String

    func read(_ body: String, firstLine: Int) throws(TextToolParseError) -> [String: JSON] {
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var result: [String: JSON] = [:]
        var k = 0
        while k < lines.count {
            let line = firstLine + k
            if ReasoningSplitter.trim(lines[k]).isEmpty { k += 1; continue }
            guard let (key, afterColon) = KeyValueArguments.keyLine(lines[k]) else {
                throw TextToolParseError("\(where_): line \(line): expected `name: value` (an argument name, a colon, its value), found \"\(KeyValueArguments.shown(lines[k]))\"")
            }
            if result[key] != nil { throw TextToolParseError("\(where_): line \(line): argument \"\(key)\" is given twice") }
            let rest = KeyValueArguments.dropLeadingSpace(afterColon)
            if rest.first == "\"" {
                var pieces: [String] = []
                var current = String(rest.dropFirst())
                var m = k
                while true {
                    if let end = KeyValueArguments.closingQuote(current), endsEntry(lines, after: m) {
                        pieces.append(String(current[..<end]))
                        break
                    }
                    pieces.append(current)
                    m += 1
                    guard m < lines.count else {
                        throw TextToolParseError("\(where_): line \(line): the quoted value of \"\(key)\" is never closed; expected a closing \" at the end of a line, before the next argument or </tool_use:…>")
                    }
                    if let (next, _) = KeyValueArguments.keyLine(lines[m]), keys?.contains(next) ?? false {
                        throw TextToolParseError("\(where_): line \(line): the quoted value of \"\(key)\" is not closed before line \(firstLine + m) starts argument \"\(next)\"; expected a closing \" at the end of a line")
                    }
                    current = lines[m]
                }
                result[key] = .string(KeyValueArguments.unescape(pieces.joined(separator: "\n")))
                k = m + 1
            } else if rest.first == "[" || rest.first == "{" {
                let text = KeyValueArguments.dropTrailingComma(rest)
                do throws(JSONParseError) { result[key] = try JSON.parse(text) } catch {
                    throw TextToolParseError("\(where_): line \(line): the value of \"\(key)\" starts with \(rest.first.map(String.init) ?? "") but is not JSON: \(error.message)")
                }
                k += 1
            } else {
                var pieces = [String(rest)]
                var m = k + 1
                while m < lines.count, !startsEntry(lines[m]) { pieces.append(lines[m]); m += 1 }
                while let last = pieces.last, pieces.count > 1, ReasoningSplitter.trim(String(last)).isEmpty { pieces.removeLast() }
                result[key] = .string(KeyValueArguments.dropTrailingComma(ReasoningSplitter.trim(pieces.joined(separator: "\n"))))
                k = m
            }
        }
        return result
    }

    /// True when no argument follows line `m` other than a new one (or nothing at all).
    func endsEntry(_ lines: [String], after m: Int) -> Bool {
        var n = m + 1
        while n < lines.count, ReasoningSplitter.trim(lines[n]).isEmpty { n += 1 }
        return n >= lines.count || startsEntry(lines[n])
    }

    func startsEntry(_ line: String) -> Bool {
        guard let (key, _) = KeyValueArguments.keyLine(line) else { return false }
        return keys?.contains(key) ?? true
    }

    /// `name: rest` with a name of letters, digits, `_` or `-` (not starting with a digit).
    static func keyLine(_ line: String) -> (String, Substring)? {
        let s = dropLeadingSpace(Substring(line))
        guard let colon = s.firstIndex(of: ":") else { return nil }
        let name = s[..<colon].trimmingSuffixSpace()
        guard let first = name.first, first.isLetter || first == "_",
              name.allSatisfy({ ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") && $0.isASCII }) else { return nil }
        return (String(name), s[s.index(after: colon)...])
    }

    /// The index of a closing quote that ends the line (optionally followed by `,`).
    static func closingQuote(_ s: String) -> String.Index? {
        var end = s.endIndex
        while end > s.startIndex, s[s.index(before: end)].isWhitespace { end = s.index(before: end) }
        if end > s.startIndex, s[s.index(before: end)] == "," { end = s.index(before: end) }
        guard end > s.startIndex else { return nil }
        let quote = s.index(before: end)
        guard s[quote] == "\"" else { return nil }
        // An escaped quote (odd number of backslashes before it) does not close.
        var backslashes = 0
        var p = quote
        while p > s.startIndex, s[s.index(before: p)] == "\\" { backslashes += 1; p = s.index(before: p) }
        return backslashes % 2 == 0 ? quote : nil
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var escaping = false
        for c in s {
            if escaping {
                switch c {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\"", "\\": out.append(c)
                default: out.append("\\"); out.append(c)
                }
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.append(c)
            }
        }
        if escaping { out.append("\\") }
        return out
    }

    static func dropLeadingSpace(_ s: Substring) -> Substring {
        var s = s
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        return s
    }

    static func dropTrailingComma(_ s: Substring) -> String { dropTrailingComma(String(s)) }

    static func dropTrailingComma(_ s: String) -> String {
        var t = Substring(s).trimmingSuffixSpace()
        if t.last == "," { t.removeLast() }
        return String(t.trimmingSuffixSpace())
    }

    static func shown(_ line: String) -> String {
        let t = ReasoningSplitter.trim(line)
        return t.count > 60 ? String(t.prefix(57)) + "…" : t
    }
}

extension Substring {
    func trimmingSuffixSpace() -> Substring {
        var s = self
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
