// RFC 5322 §3.4 address lists (with the §4.4 obsolete forms) and §3.6.4 message identifiers.
//
//   address-list = address *("," address)       empty elements and ';' separators tolerated
//   address      = mailbox / group
//   group        = display-name ":" [mailbox-list] ";"     members are returned flattened
//   mailbox      = [display-name] "<" [route ":"] addr-spec ">" / addr-spec [comment]
//
// A bare addr-spec followed by a comment ("jamie@x.com (Jamie Roe)") takes the comment as its
// name. Display names are RFC 2047 decoded, also inside quoted strings.

enum EMLAddressParser {
    struct Failure: Error {
        var message: String
    }

    private enum Kind: Equatable {
        case atom, quoted, domainLiteral, special, comment
    }

    private struct Token {
        var kind: Kind
        /// Unescaped content for quoted strings and comments; the source text otherwise.
        var text: String
        /// The token exactly as written.
        var raw: String
        var spaceBefore: Bool

        func isSpecial(_ scalar: Unicode.Scalar) -> Bool { kind == .special && raw == String(Character(scalar)) }
        var isWord: Bool { kind == .atom || kind == .quoted }
    }

    static func parseList(_ value: String) throws(Failure) -> [EMLAddress] {
        let tokens = try tokenize(value)
        var parser = Parser(tokens: tokens)
        return try parser.addressList()
    }

    /// Every `<id>` in the value, brackets and whitespace removed; when there are no brackets at
    /// all, the whitespace-separated words.
    static func messageIDs(_ value: String) -> [String] {
        var ids: [String] = []
        var current: String.UnicodeScalarView?
        for scalar in value.unicodeScalars {
            if scalar == "<" {
                current = String.UnicodeScalarView()
            } else if scalar == ">", let id = current {
                if !id.isEmpty { ids.append(String(id)) }
                current = nil
            } else if current != nil, !EMLText.isSpace(scalar) {
                current!.append(scalar)
            }
        }
        if ids.isEmpty && !value.contains("<") {
            ids = EMLHeaderParameters.stripComments(value)
                .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
        }
        return ids
    }

    private struct Parser {
        /// The tokens without comments.
        let tokens: [Token]
        /// Comments found after the first `key` non-comment tokens: a comment directly after a
        /// bare addr-spec names it.
        let commentAfter: [Int: [String]]
        var position = 0

        init(tokens all: [Token]) {
            var kept: [Token] = []
            var comments: [Int: [String]] = [:]
            for token in all {
                if token.kind == .comment {
                    comments[kept.count, default: []].append(token.text)
                } else {
                    kept.append(token)
                }
            }
            tokens = kept
            commentAfter = comments
        }

        var current: Token? { position < tokens.count ? tokens[position] : nil }

        func at(_ scalar: Unicode.Scalar) -> Bool { current?.isSpecial(scalar) ?? false }

        mutating func addressList() throws(Failure) -> [EMLAddress] {
            var result: [EMLAddress] = []
            while position < tokens.count {
                if at(",") || at(";") {   // ';' between addresses: a common hand-written slip, tolerated
                    position += 1
                    continue
                }
                if isGroupAhead() {
                    result.append(contentsOf: try group())
                } else {
                    result.append(try mailbox())
                }
                guard position == tokens.count || at(",") || at(";") else {
                    throw Failure(message: "unexpected \"\(current!.raw)\" after an address")
                }
            }
            return result
        }

        func isGroupAhead() -> Bool {
            var probe = position
            while probe < tokens.count, tokens[probe].isWord || tokens[probe].isSpecial(".") { probe += 1 }
            return probe < tokens.count && tokens[probe].isSpecial(":")
        }

        mutating func group() throws(Failure) -> [EMLAddress] {
            while !at(":") { position += 1 }   // the group's display name is not kept
            position += 1
            var members: [EMLAddress] = []
            while position < tokens.count {
                if at(",") {
                    position += 1
                    continue
                }
                if at(";") {
                    position += 1
                    return members
                }
                members.append(try mailbox())
                guard position == tokens.count || at(",") || at(";") else {
                    throw Failure(message: "unexpected \"\(current!.raw)\" in a group")
                }
            }
            return members   // obsolete: a group left unterminated by the end of the header
        }

        mutating func mailbox() throws(Failure) -> EMLAddress {
            let phraseStart = position
            while let token = current, token.isWord || token.isSpecial(".") { position += 1 }
            let phrase = Array(tokens[phraseStart..<position])
            if at("<") {
                position += 1
                if at("@") {   // obsolete source route: <@a.example,@b.example:jamie@x.com>
                    while position < tokens.count, !at(":"), !at(">") { position += 1 }
                    if at(":") { position += 1 }
                }
                let localStart = position
                while let token = current, token.isWord || token.isSpecial(".") { position += 1 }
                let local = try localPart(Array(tokens[localStart..<position]))
                guard at("@") else {
                    throw Failure(message: at(">") && local.isEmpty
                                  ? "empty address <>" : "address \"\(local)\" has no @domain")
                }
                position += 1
                let domain = try self.domain()
                guard at(">") else { throw Failure(message: "expected '>' to close <\(local)@\(domain)") }
                position += 1
                return EMLAddress(name: displayName(phrase), address: local + "@" + domain)
            }
            if at("@") {
                let local = try localPart(phrase)
                position += 1
                let domain = try self.domain()
                let name = EMLText.trim(EMLEncodedWords.decode((commentAfter[position] ?? []).joined(separator: " ")))
                return EMLAddress(name: name.isEmpty ? nil : name, address: local + "@" + domain)
            }
            if phrase.isEmpty {
                if let token = current { throw Failure(message: "unexpected \"\(token.raw)\" where an address should be") }
                throw Failure(message: "expected an address")
            }
            let written = phrase.map(\.raw).joined(separator: " ")
            throw Failure(message: "\"\(written)\" is not an address (no @domain)")
        }

        /// word *("." word), returned as written without whitespace.
        func localPart(_ words: [Token]) throws(Failure) -> String {
            var text = ""
            for (offset, token) in words.enumerated() {
                guard offset % 2 == 0 ? token.isWord : token.isSpecial(".") else {
                    let written = words.map(\.raw).joined(separator: " ")
                    throw Failure(message: "\"\(written)\" is not a valid local part")
                }
                text += token.raw
            }
            if words.count % 2 == 0, !words.isEmpty {
                throw Failure(message: "local part \"\(text)\" ends with '.'")
            }
            return text
        }

        /// atom *("." atom) / domain-literal.
        mutating func domain() throws(Failure) -> String {
            if let token = current, token.kind == .domainLiteral {
                position += 1
                return token.raw
            }
            var text = ""
            var expectAtom = true
            while let token = current {
                if expectAtom {
                    guard token.kind == .atom else { break }
                } else {
                    guard token.isSpecial(".") else { break }
                }
                text += token.raw
                expectAtom.toggle()
                position += 1
            }
            guard !text.isEmpty else { throw Failure(message: "missing domain after '@'") }
            guard !expectAtom else { throw Failure(message: "domain \"\(text)\" ends with '.'") }
            return text
        }

        func displayName(_ phrase: [Token]) -> String? {
            var text = ""
            for token in phrase {
                if token.spaceBefore && !text.isEmpty { text += " " }
                text += token.text
            }
            let name = EMLText.trim(EMLEncodedWords.decode(text))
            return name.isEmpty ? nil : name
        }
    }

    private static let specials: Set<Unicode.Scalar> = ["<", ">", ":", ";", "@", ",", "."]

    private static func tokenize(_ value: String) throws(Failure) -> [Token] {
        let s = Array(value.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        var space = false
        func append(_ kind: Kind, _ text: String, _ raw: String) {
            tokens.append(Token(kind: kind, text: text, raw: raw, spaceBefore: space))
            space = false
        }
        while index < s.count {
            let scalar = s[index]
            let start = index
            if EMLText.isSpace(scalar) {
                space = true
                index += 1
            } else if scalar == "(" {
                var depth = 0
                var text = String.UnicodeScalarView()
                repeat {
                    guard index < s.count else { throw Failure(message: "unterminated comment") }
                    let c = s[index]
                    if c == "\\", index + 1 < s.count {
                        index += 1
                        text.append(s[index])
                    } else if c == "(" {
                        if depth > 0 { text.append(c) }
                        depth += 1
                    } else if c == ")" {
                        depth -= 1
                        if depth > 0 { text.append(c) }
                    } else {
                        text.append(c)
                    }
                    index += 1
                } while depth > 0
                append(.comment, String(text), "")
                space = true
            } else if scalar == "\"" {
                var text = String.UnicodeScalarView()
                index += 1
                while true {
                    guard index < s.count else { throw Failure(message: "unterminated quoted string") }
                    let c = s[index]
                    if c == "\"" { break }
                    if c == "\\", index + 1 < s.count { index += 1 }
                    if s[index] != "\r" && s[index] != "\n" { text.append(s[index]) }
                    index += 1
                }
                index += 1
                append(.quoted, String(text), String(String.UnicodeScalarView(s[start..<index])))
            } else if scalar == "[" {
                while index < s.count, s[index] != "]" { index += 1 }
                guard index < s.count else { throw Failure(message: "unterminated domain literal") }
                index += 1
                let raw = String(String.UnicodeScalarView(s[start..<index]))
                append(.domainLiteral, raw, raw)
            } else if specials.contains(scalar) {
                index += 1
                append(.special, String(Character(scalar)), String(Character(scalar)))
            } else if scalar == ")" || scalar == "]" || scalar == "\\" {
                throw Failure(message: "unexpected \"\(Character(scalar))\"")
            } else {
                if let end = encodedWordEnd(s, at: index) {
                    index = end
                } else {
                    while index < s.count, !EMLText.isSpace(s[index]), !specials.contains(s[index]),
                          !"\"()[]\\".unicodeScalars.contains(s[index]) {
                        index += 1
                    }
                }
                let raw = String(String.UnicodeScalarView(s[start..<index]))
                append(.atom, raw, raw)
            }
        }
        return tokens
    }

    /// The end of an RFC 2047 encoded word starting at `start`, so that specials inside one
    /// (which careless encoders leave unescaped) do not split it.
    private static func encodedWordEnd(_ s: [Unicode.Scalar], at start: Int) -> Int? {
        guard start + 1 < s.count, s[start] == "=", s[start + 1] == "?" else { return nil }
        var questionMarks = 0
        var index = start + 2
        while index < s.count, !EMLText.isSpace(s[index]) {
            if s[index] == "?" {
                questionMarks += 1
                if questionMarks == 3 {
                    guard index + 1 < s.count, s[index + 1] == "=" else { return nil }
                    return index + 2
                }
            }
            index += 1
        }
        return nil
    }
}
