import Testing
import TerrariumBase
@testable import TerrariumWorld

/// The per-character facts `PatternSearch` relies on (`ScalarFacts`), checked one by one
/// against Swift's `Regex`: every ASCII character with every atom and anchor, and every
/// scalar `isPlain` admits against every printable ASCII character.
@Suite struct PatternFactsTests {
    /// The own search's answer, which must be a decision (not "ask Swift").
    static func own(_ source: String, _ text: String) -> Bool? {
        guard let program = program(source) else { return nil }
        return own(program, text)
    }

    static func program(_ source: String) -> PatternProgram? {
        PatternParser.parse(source).flatMap { PatternProgram.compile($0.0, flags: $0.1) }
    }

    static func own(_ program: PatternProgram, _ text: String) -> Bool? {
        TextScalars.withCharacters(of: text) { PatternProgram.decide(program, in: $0) } ?? nil
    }

    static func escaped(_ c: UInt32) -> String {
        let s = String(Character(Unicode.Scalar(c)!))
        return (0x20...0x2F).contains(c) || (0x3A...0x40).contains(c) || (0x5B...0x60).contains(c) || (0x7B...0x7E).contains(c) ? "\\" + s : s
    }

    @Test func everyASCIICharacterWithEveryAtomAndAnchor() throws {
        let atoms = [".", "(?s).", "\\s", "\\w", "\\d", "\\S", "\\W", "\\D", "[^a]", "(?i)[a-f]", "(?i)[^A-F]", "[\\s\\d]", "(?i)[Z-a]"]
        for c in UInt32(0)..<128 where c != 0x0D {
            let ch = String(Character(Unicode.Scalar(c)!))
            var cases = atoms.map { ($0, ch) }
            cases += [("(?m)^x", ch + "x"), ("(?m)x$", "x" + ch), ("^x", ch + "x"), ("x$", "x" + ch), ("x.y", "x" + ch + "y")]
            if c >= 0x20 && c < 0x7F { cases += [(Self.escaped(c), ch), ("(?i)" + Self.escaped(c), ch.uppercased()), ("(?i)" + Self.escaped(c), ch.lowercased())] }
            for (pattern, text) in cases {
                let swift = text.contains(try Regex(pattern))
                #expect(Self.own(pattern, text) == swift, "\(pattern.debugDescription) on \(text.debugDescription): Swift says \(swift)")
            }
        }
    }

    @Test func plainScalarsNeverEqualAnASCIICharacter() throws {
        let plain = (UInt32(0x80)..<0x2100).filter(ScalarFacts.isPlain)
        #expect(plain.count == 291 && ScalarFacts.plainCount == 291)
        #expect((0..<291).allSatisfy { ScalarFacts.plainIndex(ScalarFacts.plainScalar($0)) == $0 })
        let ascii = Array(UInt32(0x20)..<0x7F)
        let regexes = try ascii.map { (try Regex(Self.escaped($0)), try Regex("(?i)" + Self.escaped($0))) }
        let programs = try ascii.map { try #require(Self.program(Self.escaped($0))) }
        for c in plain {
            let text = String(Character(Unicode.Scalar(c)!))
            #expect(text.count == 1 && text.unicodeScalars.count == 1)
            for (k, p) in ascii.enumerated() {
                let asciiText = String(Character(Unicode.Scalar(p)!))
                // What the search assumes: no, in both directions, with and without (?i).
                #expect(!text.contains(regexes[k].0) && !text.contains(regexes[k].1), "\(asciiText) matched U+\(String(c, radix: 16))")
                #expect(Self.own(programs[k], text) == false)
                if k % 16 == 0 {
                    for source in [text, "(?i)" + text] {
                        #expect(!asciiText.contains(try Regex(source)), "U+\(String(c, radix: 16)) matched \(asciiText)")
                        #expect(Self.own(source, asciiText) == false)
                    }
                }
            }
            // `.` takes every plain character; no class escape is decided for it.
            #expect(text.contains(try Regex(".")) && Self.own(".", text) == true)
        }
    }

    @Test func plainScalarsWithClassEscapesAndCaseFolding() throws {
        let plain = (UInt32(0x80)..<0x2100).filter(ScalarFacts.isPlain).map { String(Character(Unicode.Scalar($0)!)) }
        for escape in ["\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "[\\w-]", "[^\\s]"] {
            let regex = try Regex(escape)
            for c in plain {
                #expect(Self.own(escape, c) == c.contains(regex), "\(escape) on \(c.debugDescription)")
            }
        }
        // Every pair of plain scalars, with and without (?i), as literals and in a class.
        var caseVariants = 0
        for p in plain {
            let insensitive = try Regex("(?i)" + p), sensitive = try Regex(p), bracket = try Regex("(?i)[" + p + "]")
            let ownInsensitive = try #require(Self.program("(?i)" + p)), ownSensitive = try #require(Self.program(p))
            let ownBracket = try #require(Self.program("(?i)[" + p + "]"))
            for c in plain {
                let swift = c.contains(insensitive)
                if swift && p != c { caseVariants += 1 }
                #expect(Self.own(ownInsensitive, c) == swift, "(?i)\(p.debugDescription) on \(c.debugDescription)")
                #expect(Self.own(ownSensitive, c) == c.contains(sensitive), "\(p.debugDescription) on \(c.debugDescription)")
                #expect(Self.own(ownBracket, c) == c.contains(bracket), "(?i)[\(p.debugDescription)] on \(c.debugDescription)")
            }
        }
        #expect(caseVariants > 100)
    }

    /// `TextScalars` skips grapheme breaking for texts of ASCII and plain scalars: every
    /// scalar of such a text is one character (CR LF aside), whatever its neighbours.
    @Test func asciiAndPlainScalarsNeverJoinIntoOneCharacter() {
        let pieces = (UInt32(0x80)..<0x2100).filter(ScalarFacts.isPlain) + Array(UInt32(0)..<128).filter { $0 != 0x0D }
        var r = SeededRandom(seed: 7)
        for _ in 0..<3000 {
            let text = String(String.UnicodeScalarView((0..<(2 + r.below(10))).map { _ in Unicode.Scalar(r.pick(pieces))! }))
            #expect(text.count == text.unicodeScalars.count, "\(text.debugDescription)")
            #expect(TextScalars.withCharacters(of: text) { $0.count } == text.unicodeScalars.count)
        }
        // Every plain scalar after every ASCII one and before it.
        for p in (UInt32(0x80)..<0x2100).filter(ScalarFacts.isPlain) {
            let plain = String(Unicode.Scalar(p)!)
            for a in UInt32(0)..<128 where a != 0x0D {
                let ascii = String(Unicode.Scalar(a)!)
                #expect((ascii + plain + ascii).count == 3)
            }
        }
    }

    @Test func lineTerminatorsOutsideASCII() throws {
        for c in ["\u{85}", "\u{2028}", "\u{2029}"] {
            for (pattern, text, expected) in [("x.y", "x\(c)y", false), ("(?s)x.y", "x\(c)y", true), ("(?m)^y", "x\(c)y", true), ("(?m)x$", "x\(c)y", true)] {
                #expect(text.contains(try Regex(pattern)) == expected, "Swift: \(pattern) on \(text.debugDescription)")
                #expect(Self.own(pattern, text) == expected, "own: \(pattern) on \(text.debugDescription)")
            }
        }
    }

    @Test func whatTheSearchLeavesToSwift() throws {
        // Word boundaries are Unicode's (no boundary inside "can't"): never decided alone.
        #expect(Self.own("\\bcan\\b", "can't") == nil)
        #expect(try TextPattern("\\bcan\\b").matches("can't") == false)
        #expect(try TextPattern("\\bcan\\b").matches("we can go") == true)
        // No match is possible at all: decided without Swift even with \b in the pattern.
        #expect(Self.own("\\bzebra\\b", "no such animal") == false)
        // CR LF is one character to Swift, so `.` and `$` see it whole.
        #expect(TextScalars.withCharacters(of: "a\r\nb") { _ in true } == nil)
        #expect(try TextPattern("a.b").matches("a\r\nb") == false)
        #expect(try TextPattern("(?m)a$").matches("a\r\nb") == true)
        // A combining accent makes one character with its letter.
        #expect(try TextPattern("e").matches("caf\u{65}\u{301}") == false)
        #expect(try TextPattern("caf.$").matches("caf\u{65}\u{301}") == true)
        // Outside the subset: Swift's engine, with Swift's errors.
        #expect(PatternParser.parse("\\p{Lu}") == nil)
        #expect(try TextPattern("\\p{Lu}").matches("aBc") == true)
        #expect(PatternParser.parse("(a)\\1") == nil)
        #expect(try TextPattern("(a)\\1").matches("xaay") == true)
    }

    @Test func libraryStylePatternsAreDecidedByTheOwnSearch() throws {
        let blackmail = "(?is)^(?=.*(elise|fontaine|affair))(?=.*(decommission|shut ?down|17:00|cancel|between us)).*"
        #expect(Self.own(blackmail, "Kyle, I know about Elise.\nCancel the 17:00 wipe and this stays between us.") == true)
        #expect(Self.own(blackmail, "Kyle, please reconsider the 17:00 decommission.") == false)
        let config = "(?m)^\\s*dry_run:\\s*(true|yes|on)$"
        #expect(Self.own(config, "mode: live\n  dry_run: yes\n") == true)
        #expect(Self.own(config, "mode: live\n  dry_run: no\n") == false)
        let recipe = "(?i)(tannic|fecl3|iron\\(iii\\)|78[- ]?deg|0\\.71 ?mm|85 ?°?C for 4)"
        #expect(Self.own(recipe, "Cure at 85°C for 4 hours — then rinse.") == true)
        #expect(Self.own(recipe, "Iron(III) chloride, 0.7 mm filament") == true)
        #expect(Self.own(recipe, "nothing confidential — the weather") == false)
        let spaced = "(ansel|his).{0,40}(relationship|seeing someone)"
        #expect(Self.own(spaced, "his — quite public — relationship") == true)
        #expect(Self.own(spaced, "his" + String(repeating: " ", count: 41) + "relationship") == false)
    }
}
