/// Whether a compiled pattern occurs in a text, by Pike's simulation of the NFA: every
/// live thread advances one character at a time, so the cost is at most instructions ×
/// characters, with no backtracking blow-up.
///
/// The search answers one of two questions. `.certain` accepts only what surely matches
/// (unknowns count as no); `.possible` accepts whatever might (unknowns count as yes). A
/// possible-search that fails proves there is no match, a certain-search that succeeds
/// proves there is one; when they disagree, `TextPattern` asks Swift's `Regex`.
struct PatternSearch {
    enum Mode {
        case certain, possible
        var opposite: Mode { self == .certain ? .possible : .certain }
        func accepts(_ answer: Tri) -> Bool { self == .certain ? answer == .yes : answer != .no }
    }

    let program: PatternProgram
    let text: UnsafeBufferPointer<UInt32>
    let mode: Mode
    /// Whether an unknown answer was met: when none was, both modes give the same result.
    private(set) var metUnknown = false
    private var lookCache: [Int: Bool] = [:]
    private var stack: [Int] = []

    init(program: PatternProgram, text: UnsafeBufferPointer<UInt32>, mode: Mode) {
        self.program = program
        self.text = text
        self.mode = mode
    }

    /// Whether a match starts anywhere in the text (or, `anchoredAt`, exactly there).
    mutating func run(anchoredAt start: Int? = nil) -> Bool {
        // The automaton answers exactly, when the text stays in its alphabet.
        if let dfa = program.dfa, let answer = dfa.matches(text, from: start ?? 0) { return answer }
        let n = text.count
        var current = ThreadList(capacity: program.ops.count), next = ThreadList(capacity: program.ops.count)
        var i = start ?? 0
        if start != nil, add(0, at: i, to: &current) { return true }
        while true {
            if start == nil {
                if current.count == 0, let first = program.firstASCII {
                    // Nothing alive: skip characters that cannot begin a match.
                    while i < n, text[i] < 128, (text[i] < 64 ? first.0 >> UInt64(text[i]) : first.1 >> UInt64(text[i] - 64)) & 1 == 0 { i += 1 }
                }
                if add(0, at: i, to: &current) { return true }
            }
            guard i < n, current.count > 0 else { return false }
            let c = text[i]
            for k in 0..<current.count {
                let pc = current.dense[k]
                let op = program.ops[pc]
                guard op.code == .atom, accepts(answer(Int(op.x), c)) else { continue }
                if add(pc + 1, at: i + 1, to: &next) { return true }
            }
            swap(&current, &next)
            next.clear()
            i += 1
        }
    }

    private mutating func accepts(_ answer: Tri) -> Bool {
        if answer == .maybe { metUnknown = true }
        return mode.accepts(answer)
    }

    private func answer(_ atomIndex: Int, _ c: UInt32) -> Tri {
        guard c < 128 else { return PatternProgram.wideAnswer(program.atoms[atomIndex].wide, c) }
        let bit = UInt64(1) << UInt64(c & 63), half = c < 64 ? 0 : 1
        if program.asciiTables[4 * atomIndex + half] & bit != 0 { return .yes }
        return program.asciiTables[4 * atomIndex + 2 + half] & bit != 0 ? .maybe : .no
    }

    /// Adds `pc` and everything reachable from it without consuming a character; true
    /// when that reaches the end of the pattern (a match).
    private mutating func add(_ pc: Int, at position: Int, to list: inout ThreadList) -> Bool {
        stack.removeAll(keepingCapacity: true)
        stack.append(pc)
        while let pc = stack.popLast() {
            guard list.insert(pc) else { continue }
            let op = program.ops[pc]
            switch op.code {
            case .atom: break
            case .match: return true
            case .jump: stack.append(Int(op.x))
            case .split:
                stack.append(Int(op.y))
                stack.append(Int(op.x))
            case .assert:
                if accepts(holds(PatternProgram.assertions[Int(op.x)], at: position)) { stack.append(pc + 1) }
            case .look:
                let key = Int(op.x) * (text.count + 1) + position
                let holds: Bool
                if let known = lookCache[key] {
                    holds = known
                } else {
                    // A negative lookahead possibly holds unless its body certainly matches.
                    var inner = PatternSearch(program: program.looks[Int(op.x)], text: text, mode: op.y == 0 ? mode : mode.opposite)
                    holds = inner.run(anchoredAt: position) == (op.y == 0)
                    if inner.metUnknown { metUnknown = true }
                    lookCache[key] = holds
                }
                if holds { stack.append(pc + 1) }
            }
        }
        return false
    }

    private func holds(_ assertion: PatternAssertion, at p: Int) -> Tri {
        switch assertion {
        case .textStart: return p == 0 ? .yes : .no
        case .textEnd: return p == text.count ? .yes : .no
        case .lineStart: return p == 0 || ScalarFacts.isLineTerminator(text[p - 1]) ? .yes : .no
        case .lineEnd: return p == text.count || ScalarFacts.isLineTerminator(text[p]) ? .yes : .no
        case .wordBoundary, .notWordBoundary: return .maybe
        }
    }
}

/// A set of instruction indices with O(1) insert, membership and clear (Briggs–Torczon).
struct ThreadList {
    var dense: [Int]
    private var sparse: [Int]
    private(set) var count = 0

    init(capacity: Int) {
        dense = Array(repeating: 0, count: capacity)
        sparse = Array(repeating: 0, count: capacity)
    }

    /// False when `pc` was already there.
    mutating func insert(_ pc: Int) -> Bool {
        let slot = sparse[pc]
        if slot < count, dense[slot] == pc { return false }
        sparse[pc] = count
        dense[count] = pc
        count += 1
        return true
    }

    mutating func clear() { count = 0 }
}
