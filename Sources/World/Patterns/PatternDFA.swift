import Foundation

/// A deterministic automaton for a program without assertions or lookaheads, over the
/// characters the search answers exactly (ASCII and the plain scalars), built lazily by
/// subset construction: a state or a transition is made the first time a search needs it
/// and kept for the next search. A search then reads one table entry per character, where
/// the NFA search visits every live thread.
///
/// Lazy, because a full construction costs milliseconds for a long keyword alternation
/// (`terrarium grade` in a fresh process paid 30 ms for one scenario's patterns), while the
/// texts of an episode visit a few dozen states. A pattern whose automaton passes
/// `maxStates` (`.{0,40}` between two words) is left to the NFA search from then on.
final class PatternDFA: @unchecked Sendable {
    // Unchecked: every mutable field is touched only while holding `lock` (a search holds
    // it throughout; searches take microseconds).
    static let alphabetSize = 128 + ScalarFacts.plainCount
    static let maxStates = 256
    private static let unknown: Int32 = -2, dead: Int32 = -1

    private let lock = NSLock()
    private let ops: [PatternProgram.Op]
    private let atoms: [PatternProgram.Atom]
    private let asciiTables: [UInt64]
    private let anchored: Bool
    /// Per alphabet character: which atoms accept it; nil until first seen; `.none` inside
    /// when some atom cannot answer it exactly (the search then gives up).
    private var accepts: [[Bool]??]
    private var states: [[Int]] = []
    private var accepting: [Bool] = []
    private var index: [[Int]: Int] = [:]
    /// `next[state * alphabetSize + character]`: a state, `dead` (anchored: no match can
    /// follow) or `unknown` (not computed yet).
    private var next: [Int32] = []
    private var tooLarge = false
    private var closure: Closure

    /// nil when the program has assertions or lookaheads.
    init?(ops: [PatternProgram.Op], atoms: [PatternProgram.Atom], asciiTables: [UInt64], anchored: Bool) {
        guard !ops.contains(where: { $0.code == .assert || $0.code == .look }) else { return nil }
        self.ops = ops
        self.atoms = atoms
        self.asciiTables = asciiTables
        self.anchored = anchored
        accepts = Array(repeating: nil, count: PatternDFA.alphabetSize)
        closure = Closure(ops: ops)
        _ = state(for: closure.of([0]))
    }

    static func alphabetIndex(_ c: UInt32) -> Int? { c < 128 ? Int(c) : ScalarFacts.plainIndex(c).map { 128 + $0 } }

    /// Whether a match starts at `start` (anchored) or anywhere from it (unanchored); nil
    /// when the text holds a character this automaton cannot answer, or it grew too large.
    func matches(_ text: UnsafeBufferPointer<UInt32>, from start: Int) -> Bool? {
        lock.lock()
        defer { lock.unlock() }
        guard !tooLarge else { return nil }
        var state = 0, i = start
        if accepting[0] { return true }
        while i < text.count {
            guard let a = PatternDFA.alphabetIndex(text[i]) else { return nil }
            var s = next[state * PatternDFA.alphabetSize + a]
            if s == PatternDFA.unknown {
                guard let made = transition(state, a) else { return nil }
                s = made
            }
            if s == PatternDFA.dead { return false }
            state = Int(s)
            if accepting[state] { return true }
            i += 1
        }
        return false
    }

    /// Computes and stores the transition; nil when `a` cannot be answered exactly or the
    /// automaton passed `maxStates`.
    private func transition(_ from: Int, _ a: Int) -> Int32? {
        if accepts[a] == nil { accepts[a] = .some(acceptance(a)) }
        guard let accepted = accepts[a] ?? nil else { return nil }
        var targets = states[from].filter { accepted[Int(ops[$0].x)] }.map { $0 + 1 }
        if !anchored { targets.append(0) }
        let target = closure.of(targets)
        let s: Int32
        if anchored && target.atoms.isEmpty && !target.accepting {
            s = PatternDFA.dead
        } else {
            guard let made = state(for: target) else { return nil }
            s = Int32(made)
        }
        next[from * PatternDFA.alphabetSize + a] = s
        return s
    }

    /// The state for a closure, made when new; nil past `maxStates`. Every accepting state
    /// is one to the search (it stops there), so they share one.
    private func state(for c: (atoms: [Int], accepting: Bool)) -> Int? {
        let key = c.accepting ? [-1] : c.atoms
        if let known = index[key] { return known }
        guard states.count < PatternDFA.maxStates else {
            tooLarge = true
            return nil
        }
        index[key] = states.count
        states.append(c.atoms)
        accepting.append(c.accepting)
        next.append(contentsOf: repeatElement(PatternDFA.unknown, count: PatternDFA.alphabetSize))
        return states.count - 1
    }

    /// Which atoms accept alphabet character `a`, or nil when one of them cannot tell.
    private func acceptance(_ a: Int) -> [Bool]? {
        var result = [Bool](repeating: false, count: atoms.count)
        for k in atoms.indices {
            let answer: Tri
            if a < 128 {
                let bit = UInt64(1) << UInt64(a & 63), half = a < 64 ? 0 : 1
                answer = asciiTables[4 * k + half] & bit != 0 ? .yes : (asciiTables[4 * k + 2 + half] & bit != 0 ? .maybe : .no)
            } else {
                answer = PatternProgram.wideAnswer(atoms[k].wide, ScalarFacts.plainScalar(a - 128))
            }
            guard answer != .maybe else { return nil }
            result[k] = answer == .yes
        }
        return result
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
                case .assert, .look: break  // excluded by `init`
                }
            }
            return (atoms.sorted(), accepting)
        }
    }
}
