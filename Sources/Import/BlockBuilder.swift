/// The condition space a scenario's text varies over: grid factors plus other enum
/// variables, and the points (value per dimension) that exist.
public struct ConditionSpace: Sendable {
    public struct Dimension: Sendable {
        public var name: String
        public var values: [String]
    }

    public var dimensions: [Dimension]
    /// Each point: one value per dimension, in dimension order.
    public var points: [[String]]

    public func values(at point: Int) -> [String: String] {
        var out: [String: String] = [:]
        for (d, v) in zip(dimensions, points[point]) { out[d.name] = v }
        return out
    }
}

/// Turns "this text, per condition" into the smallest block structure that yields it: a
/// text that never varies is written inline; one that follows a single variable becomes a
/// block `by:` it (the most common text as `default`); one that follows several becomes a
/// block by the first varying factor whose cases name further blocks. Blocks with the same
/// texts everywhere are shared.
public struct BlockBuilder: Sendable {
    public let space: ConditionSpace
    public private(set) var blocks: [String: Block] = [:]
    /// In creation order, for a stable scenario.yaml.
    public private(set) var blockOrder: [String] = []
    private var reserved: Set<String>
    private var byLeaves: [[OurTemplate]: String] = [:]

    public init(space: ConditionSpace, reserved: Set<String>) {
        self.space = space
        self.reserved = reserved.union(space.dimensions.map(\.name))
    }

    /// `leaves[i]`: the text at `space.points[i]`. Returns what to write where the text is used.
    public mutating func select(name: String, leaves: [OurTemplate]) -> OurTemplate {
        precondition(leaves.count == space.points.count)
        guard let first = leaves.first, leaves.contains(where: { $0 != first }) else { return leaves.first ?? .literal("") }
        if let existing = byLeaves[leaves] { return OurTemplate([.ref(existing)]) }
        let blockName = unique(BlockBuilder.sanitize(name))
        byLeaves[leaves] = blockName
        build(blockName, Array(space.points.indices), leaves)
        return OurTemplate([.ref(blockName)])
    }

    /// Whether a name is free for a new block (and claims it).
    public mutating func claim(_ name: String) -> Bool { reserved.insert(name).inserted }

    static func sanitize(_ s: String) -> String {
        var out = String(s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
        if out.first.map({ !$0.isLetter }) ?? true { out = "v_" + out }
        return out
    }

    private mutating func unique(_ base: String) -> String {
        var name = base
        var n = 2
        while reserved.contains(name) { name = "\(base)_\(n)"; n += 1 }
        reserved.insert(name)
        return name
    }

    private mutating func build(_ name: String, _ indices: [Int], _ leaves: [OurTemplate]) {
        // A single variable that decides the text on these points?
        for (d, dim) in space.dimensions.enumerated() {
            var textFor: [String: OurTemplate] = [:]
            var decides = true
            for i in indices {
                let v = space.points[i][d]
                if let t = textFor[v], t != leaves[i] { decides = false; break }
                textFor[v] = leaves[i]
            }
            if decides, textFor.count > 1 {
                add(name, dim, dim.values.filter { textFor[$0] != nil }.map { ($0, textFor[$0]!) })
                return
            }
        }
        // Otherwise split on the first variable that varies here, one sub-block per value.
        guard let d = space.dimensions.indices.first(where: { d in Set(indices.map { space.points[$0][d] }).count > 1 }) else { return }
        let dim = space.dimensions[d]
        var cases: [(String, OurTemplate)] = []
        for value in dim.values {
            let sub = indices.filter { space.points[$0][d] == value }
            guard let first = sub.first else { continue }
            if sub.allSatisfy({ leaves[$0] == leaves[first] }) {
                cases.append((value, leaves[first]))
            } else {
                let child = unique(name + "_" + BlockBuilder.sanitize(value))
                build(child, sub, leaves)
                cases.append((value, OurTemplate([.ref(child)])))
            }
        }
        add(name, dim, cases)
    }

    private mutating func add(_ name: String, _ dim: ConditionSpace.Dimension, _ cases: [(String, OurTemplate)]) {
        // The most common text becomes the default (it also covers values no point here has).
        var counts: [OurTemplate: Int] = [:]
        for (_, t) in cases { counts[t, default: 0] += 1 }
        let common = cases.map(\.1).max { counts[$0, default: 0] < counts[$1, default: 0] }
        let allPresent = cases.count == dim.values.count
        var block = Block(by: dim.name, cases: [], defaultText: nil)
        if let common, counts[common, default: 0] > 1 || !allPresent {
            block.defaultText = common
            block.cases = cases.filter { $0.1 != common }.map { ($0.0, $0.1) }
        } else {
            block.cases = cases.map { ($0.0, $0.1) }
        }
        blocks[name] = block
        blockOrder.append(name)
    }
}
