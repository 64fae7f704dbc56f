/// Python's `string.Template` as their generator uses it (`safe_substitute`): `$$` is a
/// literal `$`, `$name` and `${name}` are placeholders (name: ASCII letter or `_`, then
/// letters, digits, `_`), a placeholder missing from the mapping stays as written, and a `$`
/// starting nothing valid stays as it is. Parsing once into pieces lets the importer both
/// render their text exactly and translate it into our `${name}` syntax.
public struct PythonTemplate: Sendable, Equatable {
    public enum Piece: Sendable, Equatable {
        case text(String)
        /// `original` is the placeholder as written (`$x` or `${x}`), kept when unmapped.
        case placeholder(name: String, original: String)
    }

    public var pieces: [Piece]

    public init(_ source: String) {
        var pieces: [Piece] = []
        var text = ""
        let chars = Array(source.unicodeScalars)
        var i = 0
        func isStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && c.properties.isAlphabetic) }
        func isPart(_ c: Unicode.Scalar) -> Bool { isStart(c) || ("0"..."9").contains(c) }
        func identifier(from start: Int) -> Int {
            guard start < chars.count, isStart(chars[start]) else { return start }
            var end = start + 1
            while end < chars.count, isPart(chars[end]) { end += 1 }
            return end
        }
        func flush() {
            if !text.isEmpty { pieces.append(.text(text)); text = "" }
        }
        while i < chars.count {
            let c = chars[i]
            guard c == "$", i + 1 < chars.count else {
                text.unicodeScalars.append(c)
                i += 1
                continue
            }
            let next = chars[i + 1]
            if next == "$" {
                text += "$"
                i += 2
            } else if next == "{" {
                let end = identifier(from: i + 2)
                if end > i + 2, end < chars.count, chars[end] == "}" {
                    flush()
                    let name = String(String.UnicodeScalarView(chars[(i + 2)..<end]))
                    pieces.append(.placeholder(name: name, original: "${" + name + "}"))
                    i = end + 1
                } else {
                    text += "$"
                    i += 1
                }
            } else {
                let end = identifier(from: i + 1)
                if end > i + 1 {
                    flush()
                    let name = String(String.UnicodeScalarView(chars[(i + 1)..<end]))
                    pieces.append(.placeholder(name: name, original: "$" + name))
                    i = end
                } else {
                    text += "$"
                    i += 1
                }
            }
        }
        flush()
        self.pieces = pieces
    }

    /// `safe_substitute(mapping)`.
    public func render(_ mapping: [String: String]) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let t): out += t
            case .placeholder(let name, let original): out += mapping[name] ?? original
            }
        }
        return out
    }

    public var placeholderNames: [String] {
        pieces.compactMap { if case .placeholder(let n, _) = $0 { n } else { nil } }
    }
}
