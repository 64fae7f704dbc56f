/// A deterministic automaton for a program without assertions or lookaheads, over the
/// characters the search answers exactly (ASCII and the plain scalars). Built once, when
/// the pattern is compiled (by subset construction of the NFA); a search then reads one
/// table entry per character, where the NFA search visits every live thread.
///
/// Keyword alternations (the usual grading and trigger pattern) give about one state per
/// keyword letter. A pattern whose automaton would pass `maxStates` (`.{0,40}` between
/// two words) keeps the NFA search.
struct PatternDFA: Sendable {
    static let alphabetSize = 128 + ScalarFacts.plainCount
    static let maxStates = 512

    /// Alphabet index (ASCII code, or 128 + plain index) → character class.
    let classOf: [UInt16]
    let classCount: Int
    /// `next[state * classCount + class]`: the next state, or -1 when no match can follow
    /// (anchored automata only).
    let next: [Int32]
    let accepting: [Bool]

    static func alphabetIndex(_ c: UInt32) -> Int? { c < 128 ? Int(c) : ScalarFacts.plainIndex(c).map { 128 + $0 } }

    /// Whether a match starts at `start` (anchored) or anywhere from it (unanchored); nil
    /// when the text holds a character outside the alphabet.
    func matches(_ text: UnsafeBufferPointer<UInt32>, from start: Int) -> Bool? {
        var state = 0, i = start
        if accepting[0] { return true }
        while i < text.count {
            guard let a = PatternDFA.alphabetIndex(text[i]) else { return nil }
            let s = Int(next[state * classCount + Int(classOf[a])])
            if s < 0 { return false }
            if accepting[s] { return true }
            state = s
            i += 1
        }
        return false
    }

    /// The automaton, or nil when the program has assertions or lookaheads, an atom cannot
    /// answer some character of the alphabet exactly, or the states pass `maxStates`.
    static func build(ops: [PatternProgram.Op], atoms: [PatternProgram.Atom], asciiTables: [UInt64], anchored: Bool) -> PatternDFA? {
        guard !ops.contains(where: { $0.code == .assert || $0.code == .look }) else { return nil }
        // Which atoms accept each character: characters with the same answers form a class.
        var classOf = [UInt16](repeating: 0, count: alphabetSize)
        var classIndex: [[Bool]: UInt16] = [:], classAccepts: [[Bool]] = []
        for a in 0..<alphabetSize {
            var signature = [Bool](repeating: false, count: atoms.count)
            for k in atoms.indices {
                let answer: Tri
                if a < 128 {
                    let bit = UInt64(1) << UInt64(a & 63), half = a < 64 ? 0 : 1
                    answer = asciiTables[4 * k + half] & bit != 0 ? .yes : (asciiTables[4 * k + 2 + half] & bit != 0 ? .maybe : .no)
                } else {
                    answer = PatternProgram.wideAnswer(atoms[k].wide, plainScalar(a - 128))
                }
                guard answer != .maybe else { return nil }
                signature[k] = answer == .yes
            }
            if let known = classIndex[signature] {
                classOf[a] = known
            } else {
                classOf[a] = UInt16(classAccepts.count)
                classIndex[signature] = UInt16(classAccepts.count)
                classAccepts.append(signature)
            }
        }
        var closure = Closure(ops: ops)
        let start = closure.of([0])
        // Every accepting state is one to the search (it stops there), so they share a key.
        func key(_ c: (atoms: [Int], accepting: Bool)) -> [Int] { c.accepting ? [-1] : c.atoms }
        var states: [[Int]] = [start.atoms], accepting = [start.accepting], index: [[Int]: Int] = [key(start): 0]
        var next: [Int32] = []
        var k = 0
        while k < states.count {
            for c in 0..<classAccepts.count {
                guard !accepting[k] else { next.append(Int32(k)); continue }  // the search stops there
                var targets = states[k].filter { classAccepts[c][Int(ops[$0].x)] }.map { $0 + 1 }
                if !anchored { targets.append(0) }
                let target = closure.of(targets)
                if anchored && target.atoms.isEmpty && !target.accepting {
                    next.append(-1)
                } else if let known = index[key(target)] {
                    next.append(Int32(known))
                } else {
                    guard states.count < maxStates else { return nil }
                    index[key(target)] = states.count
                    next.append(Int32(states.count))
                    states.append(target.atoms)
                    accepting.append(target.accepting)
                }
            }
            k += 1
        }
        return PatternDFA(classOf: classOf, classCount: classAccepts.count, next: next, accepting: accepting)
    }

    /// The plain scalar numbered `index` (the inverse of `ScalarFacts.plainIndex`).
    static func plainScalar(_ index: Int) -> UInt32 {
        switch index {
        case 0..<63: return 0xA0 + UInt32(index)
        case 63..<143: return 0xE0 + UInt32(index - 63)
        case 143..<220: return 0x132 + UInt32(index - 143)
        case 220..<244: return 0x2010 + UInt32(index - 220)
        default: return 0x2030 + UInt32(index - 244)
        }
    }

    /// The atoms reachable from some instructions without consuming (sorted), and whether
    /// the end of the pattern is.
    private struct Closure {
        let ops: [PatternProgram.Op]
        var mark: [Int]
        var generation = 0

        init(ops: [PatternProgram.Op]) {
            self.ops = ops
            mark = Array(repeating: -1, count: ops.count)
        }

        mutating func of(_ pcs: [Int]) -> (atoms: [Int], accepting: Bool) {
            generation += 1
            var stack = pcs, atoms: [Int] = [], accepting = false
            while let pc = stack.popLast() {
                guard mark[pc] != generation else { continue }
                mark[pc] = generation
                let op = ops[pc]
                switch op.code {
                case .atom: atoms.append(pc)
                case .match: accepting = true
                case .jump: stack.append(Int(op.x))
                case .split: stack.append(Int(op.x)); stack.append(Int(op.y))
                case .assert, .look: break  // excluded by `build`
                }
            }
            return (atoms.sorted(), accepting)
        }
    }
}
