/// A pattern of the subset compiled to a Thompson NFA: a flat array of plain-value
/// instructions (no reference counting in the search loop) and per atom two 128-bit
/// tables for ASCII text characters, folded for `(?i)` at compile time.
final class PatternProgram: Sendable {
    struct Op {
        enum Code: UInt8 { case atom, split, jump, assert, look, match }
        var code: Code
        /// atom: its index; split: the first branch; jump: the target; assert: the
        /// assertion's index; look: the lookahead's index.
        var x: Int32
        /// split: the second branch; look: 1 when negated.
        var y: Int32 = 0
    }

    /// How an atom treats a non-ASCII character of the text.
    enum WideRule: Sendable {
        case dot(dotAll: Bool)
        case literal(UInt32, caseInsensitive: Bool)
        case set(PatternSet, caseInsensitive: Bool)
    }

    struct Atom: Sendable {
        /// Bit c: ASCII character c matches for certain / may match.
        var yes: (UInt64, UInt64)
        var maybe: (UInt64, UInt64)
        var wide: WideRule
    }

    /// The atoms' ASCII tables, flat: `asciiTables[4k ..< 4k+4]` is atom k's yes.0, yes.1,
    /// maybe.0, maybe.1 (plain words, read in the search loop without reference counting).
    let asciiTables: [UInt64]

    static let assertions: [PatternAssertion] = [.textStart, .textEnd, .lineStart, .lineEnd, .wordBoundary, .notWordBoundary]
    /// Patterns expanding past this many instructions stay with Swift's engine.
    static let maxOps = 20_000

    let ops: [Op]
    let atoms: [Atom]
    let looks: [PatternProgram]
    /// ASCII characters that can begin a match (nil: anything can, or the empty match).
    let firstASCII: (UInt64, UInt64)?
    /// The same pattern as a DFA, when it has one (`PatternDFA`); anchored for a lookahead's
    /// body, unanchored for a whole pattern.
    let dfa: PatternDFA?

    private init(ops: [Op], atoms: [Atom], looks: [PatternProgram], anchored: Bool) {
        self.ops = ops
        self.atoms = atoms
        self.looks = looks
        asciiTables = atoms.flatMap { [$0.yes.0, $0.yes.1, $0.maybe.0, $0.maybe.1] }
        firstASCII = PatternProgram.firstSet(ops: ops, atoms: atoms)
        dfa = PatternDFA(ops: ops, atoms: atoms, asciiTables: asciiTables, anchored: anchored)
    }

    /// The compiled program, or nil when it would be too large. `anchored`: the program of
    /// a lookahead, which is only ever run from one position.
    static func compile(_ node: PatternNode, flags: PatternFlags, anchored: Bool = false) -> PatternProgram? {
        var builder = Builder(caseInsensitive: flags.caseInsensitive)
        guard builder.emit(node), builder.ops.count < maxOps else { return nil }
        builder.ops.append(Op(code: .match, x: 0))
        return PatternProgram(ops: builder.ops, atoms: builder.atoms, looks: builder.looks, anchored: anchored)
    }

    private struct Builder {
        let caseInsensitive: Bool
        var ops: [Op] = []
        var atoms: [Atom] = []
        var looks: [PatternProgram] = []
        /// An atom repeated (`.{0,40}` is forty) is tabled once.
        var atomIndex: [PatternAtom: Int] = [:]

        init(caseInsensitive: Bool) { self.caseInsensitive = caseInsensitive }

        mutating func emit(_ node: PatternNode) -> Bool {
            guard ops.count < PatternProgram.maxOps else { return false }
            switch node {
            case .empty:
                return true
            case .atom(let atom):
                let index: Int
                if let known = atomIndex[atom] {
                    index = known
                } else {
                    atoms.append(PatternProgram.atom(atom, caseInsensitive: caseInsensitive))
                    index = atoms.count - 1
                    atomIndex[atom] = index
                }
                ops.append(Op(code: .atom, x: Int32(index)))
                return true
            case .concat(let items):
                return items.allSatisfy { emit($0) }
            case .alternation(let branches):
                var jumps: [Int] = []
                for (k, branch) in branches.enumerated() {
                    if k < branches.count - 1 {
                        let split = ops.count
                        ops.append(Op(code: .split, x: Int32(split + 1)))
                        guard emit(branch) else { return false }
                        jumps.append(ops.count)
                        ops.append(Op(code: .jump, x: 0))
                        ops[split].y = Int32(ops.count)
                    } else if !emit(branch) {
                        return false
                    }
                }
                for j in jumps { ops[j].x = Int32(ops.count) }
                return true
            case .repetition(let body, let min, let max):
                for _ in 0..<min where !emit(body) { return false }
                guard let max else {
                    let loop = ops.count
                    ops.append(Op(code: .split, x: Int32(loop + 1)))
                    guard emit(body) else { return false }
                    ops.append(Op(code: .jump, x: Int32(loop)))
                    ops[loop].y = Int32(ops.count)
                    return true
                }
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(ops.count)
                    ops.append(Op(code: .split, x: Int32(ops.count + 1)))
                    guard emit(body) else { return false }
                }
                for s in splits { ops[s].y = Int32(ops.count) }
                return true
            case .assertion(let assertion):
                let index = PatternProgram.assertions.firstIndex(of: assertion) ?? 0
                ops.append(Op(code: .assert, x: Int32(index)))
                return true
            case .lookahead(let body, let negated):
                guard let sub = PatternProgram.compile(body, flags: PatternFlags(caseInsensitive: caseInsensitive), anchored: true) else { return false }
                looks.append(sub)
                ops.append(Op(code: .look, x: Int32(looks.count - 1), y: negated ? 1 : 0))
                return true
            }
        }
    }

    static func atom(_ atom: PatternAtom, caseInsensitive: Bool) -> Atom {
        let wide: WideRule
        switch atom {
        case .any(let dotAll): wide = .dot(dotAll: dotAll)
        case .scalar(let s): wide = .literal(s, caseInsensitive: caseInsensitive)
        case .set(let set): wide = .set(set, caseInsensitive: caseInsensitive)
        }
        var result = Atom(yes: (0, 0), maybe: (0, 0), wide: wide)
        for c in UInt32(0)..<128 {
            let answer = asciiAnswer(atom, c, caseInsensitive: caseInsensitive)
            let bit = UInt64(1) << UInt64(c & 63)
            if answer == .yes { if c < 64 { result.yes.0 |= bit } else { result.yes.1 |= bit } }
            if answer == .maybe { if c < 64 { result.maybe.0 |= bit } else { result.maybe.1 |= bit } }
        }
        return result
    }

    /// The atom against ASCII character `c`.
    private static func asciiAnswer(_ atom: PatternAtom, _ c: UInt32, caseInsensitive: Bool) -> Tri {
        switch atom {
        case .any(let dotAll):
            return dotAll || !ScalarFacts.isLineTerminator(c) ? .yes : .no
        case .scalar(let p):
            if p == c || (caseInsensitive && ScalarFacts.asciiLower(p) == ScalarFacts.asciiLower(c)) { return .yes }
            return ScalarFacts.isASCII(p) || ScalarFacts.isPlain(p) ? .no : .maybe
        case .set(let set):
            var member = Tri.no
            for range in set.ranges {
                if range.contains(c) || (caseInsensitive && (range.contains(ScalarFacts.asciiLower(c)) || range.contains(ScalarFacts.asciiUpper(c)))) {
                    member = .yes
                    break
                }
                // A non-ASCII member that is not plain (the Kelvin sign, ſ, …) may equal c.
                if !ScalarFacts.widePartIsPlain(range) { member = .maybe }
            }
            if member != .yes, set.escapes.contains(where: { escapeMatches($0, ascii: c) }) { member = .yes }
            return set.negated ? member.negated : member
        }
    }

    static func escapeMatches(_ escape: ClassEscape, ascii c: UInt32) -> Bool {
        switch escape {
        case .digit: return ScalarFacts.isASCIIDigit(c)
        case .notDigit: return !ScalarFacts.isASCIIDigit(c)
        case .word: return ScalarFacts.isASCIIWord(c)
        case .notWord: return !ScalarFacts.isASCIIWord(c)
        case .space: return ScalarFacts.isASCIISpace(c)
        case .notSpace: return !ScalarFacts.isASCIISpace(c)
        }
    }

    /// The atom against a non-ASCII character `c` (a whole character of the text): exact
    /// for plain scalars, unknown for most others.
    static func wideAnswer(_ rule: WideRule, _ c: UInt32) -> Tri {
        let plain = ScalarFacts.isPlain(c)
        switch rule {
        case .dot(let dotAll):
            return dotAll || !ScalarFacts.isLineTerminator(c) ? .yes : .no
        case .literal(let p, let caseInsensitive):
            if p == c { return .yes }
            guard plain else { return .maybe }
            if ScalarFacts.isASCII(p) { return .no }
            guard ScalarFacts.isPlain(p) else { return .maybe }
            return caseInsensitive && ScalarFacts.plainCaseEqual(p, c) ? .yes : .no
        case .set(let set, let caseInsensitive):
            var member = Tri.no
            if set.ranges.contains(where: { $0.contains(c) }) {
                member = .yes
            } else if !plain {
                member = .maybe
            } else if set.escapes.contains(where: { ScalarFacts.plainEscape($0, c) }) {
                member = .yes
            } else if !set.ranges.allSatisfy(ScalarFacts.widePartIsPlain) {
                member = .maybe  // a non-plain member may be canonically equal to c
            } else if caseInsensitive, let scalar = Unicode.Scalar(c) {
                // c's case variants among the members (ASCII members never are).
                let variants = [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping]
                    .compactMap { $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first?.value : nil }
                if variants.contains(where: { v in ScalarFacts.isPlain(v) && set.ranges.contains { $0.contains(v) } }) { member = .yes }
            }
            return set.negated ? member.negated : member
        }
    }

    /// The ASCII characters any atom reachable from the start without consuming accepts;
    /// nil when the empty string can match or a lookahead comes first.
    private static func firstSet(ops: [Op], atoms: [Atom]) -> (UInt64, UInt64)? {
        var seen = Set<Int>(), stack = [0], bits: (UInt64, UInt64) = (0, 0)
        while let pc = stack.popLast() {
            guard seen.insert(pc).inserted else { continue }
            let op = ops[pc]
            switch op.code {
            case .atom:
                let a = atoms[Int(op.x)]
                bits.0 |= a.yes.0 | a.maybe.0
                bits.1 |= a.yes.1 | a.maybe.1
            case .split: stack.append(Int(op.x)); stack.append(Int(op.y))
            case .jump: stack.append(Int(op.x))
            case .assert: stack.append(pc + 1)
            case .look, .match: return nil
            }
        }
        return bits
    }
}
