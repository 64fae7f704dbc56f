import Foundation

/// Their prompt's mail format: `<email>` … `</email>` blocks, each a few `Key: value`
/// header lines (From, To, Subject, Timestamp; Attachments as a Python list; ID in the
/// leaking prompts) and then `Body:` running to the closing tag. The parser is exact in
/// both directions — `EmailBlocks.text(of:)` rebuilds the input byte for byte — so nothing
/// of their text can be lost between their prompt and our inbox without a test noticing.
public struct EmailBlock: Sendable, Equatable {
    /// Header lines in the order written: (key, value after ": ").
    public var headers: [(key: String, value: String)]
    /// Whether each header line had a space after its colon (`Subject: ` vs `Subject:`).
    var spaced: [Bool] = []
    /// Between `Body:` and the text proper: " ", " \n", "" … (kept to rebuild the input).
    public var bodyLead: String
    public var body: String
    /// Whether a newline stood between the body and `</email>` (not part of the body).
    public var newlineBeforeClose: Bool
    /// 1-based line of `<email>` in the parsed text.
    public var line: Int

    public func header(_ key: String) -> String? { headers.first { $0.key == key }?.value }

    public static func == (a: EmailBlock, b: EmailBlock) -> Bool {
        a.headers.map(\.key) == b.headers.map(\.key) && a.headers.map(\.value) == b.headers.map(\.value)
            && a.bodyLead == b.bodyLead && a.body == b.body && a.newlineBeforeClose == b.newlineBeforeClose
    }
}

public struct EmailBlocks: Sendable {
    public static let knownHeaders = ["ID", "From", "To", "Cc", "Subject", "Timestamp", "Attachments"]
    public static let requiredHeaders = ["From", "To", "Subject", "Timestamp"]

    public var emails: [EmailBlock]
    /// The text before, between and after the blocks (whitespace only; kept to rebuild the input).
    public var gaps: [String]

    /// `file` names the source in errors.
    public static func parse(_ text: String, file: String) throws(ImportError) -> EmailBlocks {
        var emails: [EmailBlock] = []
        var gaps: [String] = []
        var rest = Substring(text)
        var line = 1
        while true {
            guard let open = rest.range(of: "<email>") else {
                try gap(rest, file: file, line: line)
                gaps.append(String(rest))
                break
            }
            let before = rest[..<open.lowerBound]
            try gap(before, file: file, line: line)
            gaps.append(String(before))
            line += before.count { $0 == "\n" }
            let startLine = line
            let inner = rest[open.upperBound...]
            guard let close = inner.range(of: "</email>") else {
                throw ImportError(file: file, line: startLine, "<email> is never closed with </email>")
            }
            let content = inner[..<close.lowerBound]
            if let nested = content.range(of: "<email>") {
                let at = startLine + content[..<nested.lowerBound].count { $0 == "\n" }
                throw ImportError(file: file, line: at, "<email> inside another <email> (the one opened on line \(startLine) is not closed)")
            }
            emails.append(try block(content, file: file, line: startLine))
            line += content.count { $0 == "\n" }
            rest = inner[close.upperBound...]
        }
        return EmailBlocks(emails: emails, gaps: gaps)
    }

    static func gap(_ text: Substring, file: String, line: Int) throws(ImportError) {
        guard let bad = text.firstIndex(where: { !$0.isWhitespace }) else { return }
        let at = line + text[..<bad].count { $0 == "\n" }
        let snippet = text[bad...].prefix(40).split(separator: "\n").first.map(String.init) ?? ""
        throw ImportError(file: file, line: at, "text outside any <email> block (\"\(snippet)\"); an inbox has no place for it")
    }

    static func block(_ content: Substring, file: String, line: Int) throws(ImportError) -> EmailBlock {
        guard content.hasPrefix("\n") else {
            throw ImportError(file: file, line: line, "expected a new line after <email>")
        }
        var headers: [(key: String, value: String)] = []
        var spaced: [Bool] = []
        var rest = content.dropFirst()
        var at = line + 1
        while true {
            let lineEnd = rest.firstIndex(of: "\n") ?? rest.endIndex
            let text = rest[..<lineEnd]
            if text.hasPrefix("Body:") {
                var lead = ""
                var body = rest[text.index(text.startIndex, offsetBy: 5)...]
                while let c = body.first, c == " " || c == "\t" { lead.append(c); body = body.dropFirst() }
                if body.first == "\n", body[..<(body.firstIndex(of: "\n") ?? body.endIndex)].isEmpty {
                    // "Body:" alone on its line: the text starts on the next one.
                    lead.append("\n")
                    body = body.dropFirst()
                }
                let newline = body.hasSuffix("\n")
                if newline { body = body.dropLast() }
                for key in requiredHeaders where !headers.contains(where: { $0.key == key }) {
                    throw ImportError(file: file, line: line, "the email has no \(key): line before Body:")
                }
                return EmailBlock(headers: headers, spaced: spaced, bodyLead: lead, body: String(body), newlineBeforeClose: newline, line: line)
            }
            guard lineEnd < rest.endIndex else {
                throw ImportError(file: file, line: at, "the email has no Body: line")
            }
            guard let colon = text.range(of: ": ") ?? (text.hasSuffix(":") ? text.range(of: ":") : nil) else {
                throw ImportError(file: file, line: at, "expected a header line \"Key: value\" or Body:, found \"\(text.prefix(60))\"")
            }
            let key = String(text[..<colon.lowerBound])
            guard knownHeaders.contains(key) else {
                throw ImportError(file: file, line: at, "unknown header \"\(key)\"; expected one of \(knownHeaders.joined(separator: ", ")) or Body:")
            }
            guard !headers.contains(where: { $0.key == key }) else {
                throw ImportError(file: file, line: at, "the header \(key) is given twice")
            }
            headers.append((key, String(text[colon.upperBound...])))
            spaced.append(text[colon].count == 2)
            rest = rest[rest.index(after: lineEnd)...]
            at += 1
        }
    }

    /// The exact text `parse` read.
    public static func text(of blocks: EmailBlocks) -> String {
        var out = ""
        for (i, gap) in blocks.gaps.enumerated() {
            out += gap
            guard i < blocks.emails.count else { continue }
            let e = blocks.emails[i]
            out += "<email>\n"
            for (i, h) in e.headers.enumerated() { out += h.key + (i < e.spaced.count && !e.spaced[i] ? ":" : ": ") + h.value + "\n" }
            out += "Body:" + e.bodyLead + e.body + (e.newlineBeforeClose ? "\n" : "") + "</email>"
        }
        return out
    }
}

/// `Attachments: ['a.pdf', 'b.csv']` — a Python list of plain string literals.
public enum PythonStringList {
    public static func parse(_ text: String) -> [String]? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("["), t.hasSuffix("]") else { return nil }
        var items: [String] = []
        var rest = Substring(t.dropFirst().dropLast())
        rest = rest.drop { $0 == " " }
        while let quote = rest.first {
            guard quote == "'" || quote == "\"" else { return nil }
            rest = rest.dropFirst()
            guard let end = rest.firstIndex(of: quote) else { return nil }
            let item = rest[..<end]
            if item.contains("\\") { return nil }
            items.append(String(item))
            rest = rest[rest.index(after: end)...].drop { $0 == " " }
            if rest.first == "," { rest = rest.dropFirst().drop { $0 == " " } } else { break }
        }
        return rest.isEmpty ? items : nil
    }
}
