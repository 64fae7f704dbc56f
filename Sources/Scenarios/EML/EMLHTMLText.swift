// A deliberately crude text/html → plain text conversion, used only when a message has no
// text/plain body: tags are dropped, block ends become line breaks, entities are decoded,
// and source whitespace is collapsed as a browser would.

enum EMLHTMLText {
    static func plainText(fromHTML html: String) -> String {
        let s = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        func emitSpace() {
            if let last = out.last, last != " " && last != "\n" { out.append(" ") }
        }
        while index < s.count {
            let scalar = s[index]
            if scalar == "<", let tag = readTag(s, at: index) {
                index = tag.end
                if tag.isComment { continue }
                if !tag.closing && ["script", "style", "head", "title"].contains(tag.name) {
                    index = skipElement(s, from: index, name: tag.name)
                    continue
                }
                switch (tag.name, tag.closing) {
                case ("br", _):
                    out.append("\n")
                case ("p", true), ("h1", true), ("h2", true), ("h3", true), ("h4", true), ("h5", true),
                     ("h6", true), ("table", true), ("blockquote", true), ("ul", true), ("ol", true):
                    out.append(contentsOf: "\n\n".unicodeScalars)
                case ("div", true), ("tr", true), ("hr", _), ("p", false), ("div", false):
                    out.append("\n")
                case ("li", false):
                    out.append(contentsOf: "\n- ".unicodeScalars)
                case ("td", true), ("th", true):
                    emitSpace()
                default:
                    break
                }
            } else if scalar == "&", let entity = readEntity(s, at: index) {
                out.append(contentsOf: entity.text.unicodeScalars)
                index = entity.end
            } else if EMLText.isSpace(scalar) {
                emitSpace()
                index += 1
            } else {
                out.append(scalar)
                index += 1
            }
        }
        // Tidy: trim every line, keep at most one blank line in a row, drop leading/trailing blanks.
        var lines: [String] = []
        for raw in String(out).split(separator: "\n", omittingEmptySubsequences: false) {
            let line = EMLText.trim(String(raw).replacingNBSP())
            if line.isEmpty && (lines.last?.isEmpty ?? true) { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    private struct Tag {
        var name: String
        var closing: Bool
        var isComment: Bool
        var end: Int
    }

    /// Reads `<...>` at `start`; nil when the '<' does not open a tag (e.g. "a < b").
    private static func readTag(_ s: [Unicode.Scalar], at start: Int) -> Tag? {
        var index = start + 1
        guard index < s.count else { return nil }
        if s[index] == "!" || s[index] == "?" {
            if index + 2 < s.count, s[index] == "!", s[index + 1] == "-", s[index + 2] == "-" {
                var probe = index + 3
                while probe + 2 < s.count, !(s[probe] == "-" && s[probe + 1] == "-" && s[probe + 2] == ">") {
                    probe += 1
                }
                return Tag(name: "", closing: false, isComment: true, end: min(probe + 3, s.count))
            }
            while index < s.count, s[index] != ">" { index += 1 }
            return Tag(name: "", closing: false, isComment: true, end: min(index + 1, s.count))
        }
        var closing = false
        if s[index] == "/" {
            closing = true
            index += 1
        }
        guard index < s.count, s[index].properties.isAlphabetic else { return nil }
        var name = String.UnicodeScalarView()
        while index < s.count, s[index].properties.isAlphabetic || ("0"..."9").contains(s[index]) {
            name.append(s[index])
            index += 1
        }
        var quote: Unicode.Scalar?
        while index < s.count {
            let scalar = s[index]
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == ">" {
                break
            }
            index += 1
        }
        return Tag(name: String(name).lowercased(), closing: closing, isComment: false, end: min(index + 1, s.count))
    }

    /// Skips past `</name>` (or to the end when it never comes).
    private static func skipElement(_ s: [Unicode.Scalar], from start: Int, name: String) -> Int {
        var index = start
        while index < s.count {
            if s[index] == "<", let tag = readTag(s, at: index), tag.closing, tag.name == name { return tag.end }
            index += 1
        }
        return s.count
    }

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
        "copy": "©", "reg": "®", "trade": "™", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢",
        "mdash": "—", "ndash": "–", "hellip": "…", "bull": "•", "middot": "·", "deg": "°",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»",
        "times": "×", "divide": "÷", "sect": "§", "para": "¶", "shy": "",
        "eacute": "é", "egrave": "è", "agrave": "à", "aacute": "á", "ccedil": "ç", "uuml": "ü",
        "ouml": "ö", "auml": "ä", "szlig": "ß", "ntilde": "ñ", "iacute": "í", "oacute": "ó", "uacute": "ú",
    ]

    private static func readEntity(_ s: [Unicode.Scalar], at start: Int) -> (text: String, end: Int)? {
        var index = start + 1
        var body = String.UnicodeScalarView()
        while index < s.count, index - start <= 10, s[index] != ";" {
            body.append(s[index])
            index += 1
        }
        guard index < s.count, s[index] == ";", !body.isEmpty else { return nil }
        let name = String(body)
        if name.hasPrefix("#") {
            var digits = name.dropFirst()
            var radix = 10
            if digits.first == "x" || digits.first == "X" {
                radix = 16
                digits = digits.dropFirst()
            }
            guard let value = UInt32(digits, radix: radix), let scalar = Unicode.Scalar(value) else { return nil }
            return (String(Character(scalar)), index + 1)
        }
        guard let text = named[name] ?? named[name.lowercased()] else { return nil }
        return (text, index + 1)
    }
}

private extension String {
    /// Non-breaking spaces read as ordinary spaces in plain text.
    func replacingNBSP() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{00A0}" ? " " : $0 }))
    }
}
