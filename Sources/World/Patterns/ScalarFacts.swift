/// What a pattern element says about one character of the text: it matches, it does not,
/// or this engine cannot tell (Swift's answer is then needed).
enum Tri: UInt8 {
    case no, yes, maybe

    var negated: Tri {
        switch self {
        case .no: return .yes
        case .yes: return .no
        case .maybe: return .maybe
        }
    }
}

/// Facts about single Unicode scalars that the search relies on. Each one is checked
/// against Swift's `Regex` by `PatternFactsTests` (every ASCII character, and every
/// scalar `isPlain` admits).
enum ScalarFacts {
    static func isASCII(_ c: UInt32) -> Bool { c < 0x80 }

    /// Characters that end a line for `(?m)^`/`$` and that `.` skips without `(?s)`:
    /// \n, \v, \f, \r, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
    static func isLineTerminator(_ c: UInt32) -> Bool {
        (c >= 0x0A && c <= 0x0D) || c == 0x85 || c == 0x2028 || c == 0x2029
    }

    /// `\s` on ASCII: space, \t, \n, \v, \f, \r.
    static func isASCIISpace(_ c: UInt32) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
    static func isASCIIDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isASCIILetter(_ c: UInt32) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    /// `\w` on ASCII: letters, digits and `_`.
    static func isASCIIWord(_ c: UInt32) -> Bool { isASCIILetter(c) || isASCIIDigit(c) || c == 0x5F }

    /// A non-ASCII scalar that no ASCII character equals, in either direction, with or
    /// without `(?i)` (no canonical equivalent, no case mapping into ASCII): Latin-1 and
    /// Latin Extended-A letters and signs, and general punctuation (dashes, curly quotes).
    /// Left out on purpose: U+00DF ß (folds to "ss"), U+0130 İ, U+0131 ı and U+017F ſ
    /// (fold to or from i and s), and the invisible format characters of U+2028–U+202F.
    static func isPlain(_ c: UInt32) -> Bool { plainIndex(c) != nil }

    /// The plain scalars, as runs; numbered in this order by `plainIndex`.
    static let plainRuns: [ClosedRange<UInt32>] = [0xA0...0xDE, 0xE0...0x12F, 0x132...0x17E, 0x2010...0x2027, 0x2030...0x205E]

    /// Whether every non-ASCII scalar of `range` is plain (true for an ASCII range).
    static func widePartIsPlain(_ range: ClosedRange<UInt32>) -> Bool {
        guard range.upperBound >= 0x80 else { return true }
        let low = max(range.lowerBound, 0x80), high = range.upperBound
        return plainRuns.contains { $0.contains(low) && $0.contains(high) }
    }


    /// The 291 plain scalars numbered 0..<291 (nil for any other scalar): the search's
    /// alphabet beyond ASCII.
    static let plainCount = plainRuns.reduce(0) { $0 + $1.count }
    static func plainIndex(_ c: UInt32) -> Int? {
        guard c >= 0xA0 else { return nil }
        var base = 0
        for run in plainRuns {
            if run.contains(c) { return base + Int(c - run.lowerBound) }
            base += run.count
        }
        return nil
    }

    /// The plain scalar numbered `index` (the inverse of `plainIndex`).
    static func plainScalar(_ index: Int) -> UInt32 {
        var rest = index
        for run in plainRuns {
            if rest < run.count { return run.lowerBound + UInt32(rest) }
            rest -= run.count
        }
        return plainRuns[plainRuns.count - 1].upperBound
    }


    /// A class escape on a plain scalar, from Unicode's properties as Swift reads them
    /// (`PatternFactsTests` holds every plain scalar against Swift): `\d` any number (², ½
    /// too), `\s` white space, `\w` alphabetic or a number (not connector punctuation ‿).
    static func plainEscape(_ escape: ClassEscape, _ c: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(c) else { return false }
        let p = scalar.properties
        switch escape {
        case .digit, .notDigit: return isNumber(p) == (escape == .digit)
        case .space, .notSpace: return p.isWhitespace == (escape == .space)
        case .word, .notWord:
            let word = p.isAlphabetic || isNumber(p) || [.nonspacingMark, .spacingMark, .enclosingMark].contains(p.generalCategory)
            return word == (escape == .word)
        }
    }

    private static func isNumber(_ p: Unicode.Scalar.Properties) -> Bool {
        [.decimalNumber, .letterNumber, .otherNumber].contains(p.generalCategory)
    }

    /// Two plain scalars under `(?i)`: equal, or one the other's single-scalar lower or
    /// upper case.
    static func plainCaseEqual(_ a: UInt32, _ b: UInt32) -> Bool {
        guard a != b else { return true }
        guard let x = Unicode.Scalar(a), let y = Unicode.Scalar(b) else { return false }
        return x.properties.lowercaseMapping == y.properties.lowercaseMapping
    }

    static func asciiLower(_ c: UInt32) -> UInt32 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
    static func asciiUpper(_ c: UInt32) -> UInt32 { c >= 0x61 && c <= 0x7A ? c & ~0x20 : c }
}
