/// The subset of Swift's regex syntax that `TextPattern` matches itself, as a tree.
///
/// Why a subset of our own: Swift's `Regex` takes about 1 ms to compile a scenario's
/// alternation of keywords and about 0.1 ms per search of a mail body, which made grading
/// a short episode take 26 ms. The parser below accepts only constructs whose meaning it
/// knows exactly and which Swift accepts too; anything else (`\p{…}`, backreferences,
/// lookbehind, possessive quantifiers, `(?x)`, flags after the start, POSIX classes, set
/// operations, a `{` that is not a quantifier) makes it return nil, and the pattern is
/// matched by Swift's `Regex` as before. Tests compare the two on random patterns.
indirect enum PatternNode: Equatable {
    case empty
    case atom(PatternAtom)
    case concat([PatternNode])
    case alternation([PatternNode])
    /// `max` nil: unbounded. Greedy and lazy are one thing here: only *whether* the text
    /// contains a match is asked, never which match.
    case repetition(PatternNode, min: Int, max: Int?)
    case assertion(PatternAssertion)
    case lookahead(PatternNode, negated: Bool)
}

enum PatternAtom: Hashable {
    case scalar(UInt32)
    /// `.`; `dotAll` under `(?s)`.
    case any(dotAll: Bool)
    case set(PatternSet)
}

/// A bracket expression or a class escape (`\d` is a set with one escape).
struct PatternSet: Hashable {
    var negated = false
    var ranges: [ClosedRange<UInt32>] = []
    var escapes: [ClassEscape] = []
}

enum ClassEscape: Hashable {
    case digit, notDigit, word, notWord, space, notSpace
}

enum PatternAssertion: Equatable {
    case textStart, textEnd, lineStart, lineEnd
    /// `\b` and `\B`: Swift uses Unicode default word boundaries (no boundary inside
    /// "can't"), which this engine does not model: the search treats them as unknown.
    case wordBoundary, notWordBoundary
}

struct PatternFlags: Equatable {
    var caseInsensitive = false
    var dotAll = false
    var multiline = false
}

/// Parses a pattern into the subset, or returns nil when it leaves the subset.
struct PatternParser {
    private let scalars: [UInt32]
    private var i = 0
    private(set) var flags = PatternFlags()
    /// Group names seen: Swift refuses a name used twice.
    private var names: Set<[UInt32]> = []
    /// Counted repetitions are expanded when compiled; beyond this the pattern goes to Swift.
    static let maxCount = 1000

    init(_ source: String) { scalars = source.unicodeScalars.map(\.value) }

    /// The tree and the flags set at the start, or nil outside the subset.
    static func parse(_ source: String) -> (PatternNode, PatternFlags)? {
        // A pattern whose own characters combine (an accent written as its own scalar) is
        // read character by character by Swift: leave it to Swift.
        if source.unicodeScalars.contains(where: { !$0.isASCII }), source.count != source.unicodeScalars.count { return nil }
        var parser = PatternParser(source)
        guard parser.leadingFlags(), let node = parser.alternation(), parser.i == parser.scalars.count else { return nil }
        return (node, parser.flags)
    }

    private func peek(_ offset: Int = 0) -> UInt32? { i + offset < scalars.count ? scalars[i + offset] : nil }
    private func at(_ text: String) -> Bool {
        var k = i
        for s in text.unicodeScalars {
            guard k < scalars.count, scalars[k] == s.value else { return false }
            k += 1
        }
        return true
    }

    /// `(?i)`, `(?s)`, `(?m)` and their combinations, only before anything else: Swift
    /// applies a flag set later to the rest of the enclosing group, alternatives included.
    private mutating func leadingFlags() -> Bool {
        while at("(?") {
            var k = i + 2, seen = PatternFlags()
            while k < scalars.count, let flag = Unicode.Scalar(scalars[k]), "ism".unicodeScalars.contains(flag) {
                if flag == "i" { seen.caseInsensitive = true } else if flag == "s" { seen.dotAll = true } else { seen.multiline = true }
                k += 1
            }
            guard k > i + 2 else { return true }  // `(?:`, `(?=`, …: a group, parsed later
            guard k < scalars.count, scalars[k] == 0x29 else { return false }  // `(?x)`, `(?i-m)`, `(?i:`: Swift's
            if seen.caseInsensitive { flags.caseInsensitive = true }
            if seen.dotAll { flags.dotAll = true }
            if seen.multiline { flags.multiline = true }
            i = k + 1
        }
        return true
    }

    private mutating func alternation() -> PatternNode? {
        var branches: [PatternNode] = []
        while true {
            guard let branch = concatenation() else { return nil }
            branches.append(branch)
            guard peek() == 0x7C else { break }  // |
            i += 1
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func concatenation() -> PatternNode? {
        var items: [PatternNode] = []
        while let c = peek(), c != 0x7C, c != 0x29 {  // | )
            guard let item = quantified() else { return nil }
            items.append(item)
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    private mutating func quantified() -> PatternNode? {
        guard let item = primary() else { return nil }
        guard let bounds = quantifier() else { return item }
        guard let (min, max) = bounds else { return nil }
        switch item {
        case .assertion, .lookahead: return nil  // Swift: "expression is not quantifiable"
        default: break
        }
        if peek() == 0x3F { i += 1 }  // lazy: the same answer to "is there a match"
        // A possessive `+` or a second quantifier: Swift's business (an error or atomic).
        if let c = peek(), c == 0x2B || c == 0x2A || c == 0x3F || c == 0x7B { return nil }
        return .repetition(item, min: min, max: max)
    }

    /// nil: no quantifier here; .some(nil): a quantifier outside the subset.
    private mutating func quantifier() -> (Int, Int?)?? {
        switch peek() {
        case 0x2A: i += 1; return .some((0, nil))  // *
        case 0x2B: i += 1; return .some((1, nil))  // +
        case 0x3F: i += 1; return .some((0, 1))  // ?
        case 0x7B:  // {n}, {n,}, {n,m}, {,m}
            i += 1
            let low = number()
            var high: Int? = low
            if peek() == 0x2C {
                i += 1
                high = number()
            } else if low == nil {
                return .some(nil)
            }
            guard peek() == 0x7D, low != nil || high != nil else { return .some(nil) }
            i += 1
            let min = low ?? 0
            if let high, high < min || high > PatternParser.maxCount { return .some(nil) }
            guard min <= PatternParser.maxCount else { return .some(nil) }
            return .some((min, high))
        default: return nil
        }
    }

    private mutating func number() -> Int? {
        var value: Int?
        while let c = peek(), c >= 0x30, c <= 0x39 {
            value = min((value ?? 0) * 10 + Int(c - 0x30), 1_000_000)
            i += 1
        }
        return value
    }

    private mutating func primary() -> PatternNode? {
        guard let c = peek() else { return nil }
        i += 1
        switch c {
        case 0x28: return group()  // (
        case 0x5B: return bracket().map { .atom(.set($0)) }  // [
        case 0x2E: return .atom(.any(dotAll: flags.dotAll))  // .
        case 0x5E: return .assertion(flags.multiline ? .lineStart : .textStart)  // ^
        case 0x24: return .assertion(flags.multiline ? .lineEnd : .textEnd)  // $
        case 0x5C: return escape()
        case 0x2A, 0x2B, 0x3F, 0x7B, 0x7D, 0x5D: return nil  // * + ? { } ] on their own
        default: return .atom(.scalar(c))
        }
    }

    private mutating func group() -> PatternNode? {
        var lookahead: Bool?
        if peek() == 0x3F {  // ?
            if at("?:") {
                i += 2
            } else if at("?=") || at("?!") {
                lookahead = peek(1) == 0x21
                i += 2
            } else if at("?<"), let first = peek(2), isNameStart(first) {
                i += 2
                let nameStart = i
                while let c = peek(), isNameStart(c) || (c >= 0x30 && c <= 0x39) { i += 1 }
                guard peek() == 0x3E, names.insert(Array(scalars[nameStart..<i])).inserted else { return nil }  // >
                i += 1
            } else {
                return nil
            }
        }
        guard let body = alternation(), peek() == 0x29 else { return nil }
        i += 1
        if let negated = lookahead { return .lookahead(body, negated: negated) }
        return body
    }

    private func isNameStart(_ c: UInt32) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F }

    private mutating func escape() -> PatternNode? {
        guard let c = peek() else { return nil }
        i += 1
        switch c {
        case 0x62: return .assertion(.wordBoundary)  // b
        case 0x42: return .assertion(.notWordBoundary)  // B
        case 0x41: return .assertion(.textStart)  // A
        case 0x7A: return .assertion(.textEnd)  // z
        default: break
        }
        if let escape = classEscape(c) { return .atom(.set(PatternSet(escapes: [escape]))) }
        return escapedScalar(c).map { .atom(.scalar($0)) }
    }

    private func classEscape(_ c: UInt32) -> ClassEscape? {
        switch c {
        case 0x64: return .digit
        case 0x44: return .notDigit
        case 0x77: return .word
        case 0x57: return .notWord
        case 0x73: return .space
        case 0x53: return .notSpace
        default: return nil
        }
    }

    /// `\n`, `\t`, `\r`, or a backslash before ASCII punctuation or a space (the
    /// character itself). Every other escape means something else to Swift.
    private func escapedScalar(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x6E: return 0x0A
        case 0x74: return 0x09
        case 0x72: return 0x0D
        case 0x20...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return c
        default: return nil
        }
    }

    private mutating func bracket() -> PatternSet? {
        var set = PatternSet()
        if peek() == 0x5E { set.negated = true; i += 1 }  // ^
        guard peek() != 0x5D else { return nil }  // `[]`: Swift's error
        while let c = peek(), c != 0x5D {
            // Nested classes, POSIX classes and set operations are Swift's.
            if c == 0x5B || at("&&") || at("--") || at("~~") { return nil }
            guard let low = member() else { return nil }
            if peek() == 0x2D, let next = peek(1), next != 0x5D {  // a range
                i += 1
                guard case .scalar(let lo) = low, let high = member(), case .scalar(let hi) = high, lo <= hi else { return nil }
                set.ranges.append(lo...hi)
                continue
            }
            switch low {
            case .scalar(let s): set.ranges.append(s...s)
            case .escape(let e): set.escapes.append(e)
            }
        }
        guard peek() == 0x5D else { return nil }
        i += 1
        return set
    }

    private enum Member { case scalar(UInt32), escape(ClassEscape) }

    private mutating func member() -> Member? {
        guard let c = peek() else { return nil }
        i += 1
        guard c == 0x5C else { return .scalar(c) }
        guard let e = peek() else { return nil }
        i += 1
        if let escape = classEscape(e) { return .escape(escape) }
        return escapedScalar(e).map { .scalar($0) }
    }
}
