import TerrariumBase

/// One cell of a scenario's grid: a value for every factor, and its stable id.
public struct GridCondition: Sendable, Equatable {
    /// Factor values joined by `.` in factor order; booleans as NAME / no-NAME.
    public var id: String
    public var values: [String: JSON]
}

/// `grid:`: factors (enum or boolean variables), and the rules that drop conditions.
/// Conditions come in factor order and value order; an id depends only on the values.
public struct ScenarioGrid: Sendable {
    public var factors: [String]
    public var conditions: [GridCondition]
    /// The size of the full product, before `exclude` and `require`.
    public var product: Int
    public var excluded: Int
    public var droppedByRequire: Int

    public func condition(_ id: String) -> GridCondition? { conditions.first { $0.id == id } }

    /// The id part for one factor value.
    static func idPart(_ factor: String, _ value: JSON) -> String {
        if case .bool(let b) = value { return b ? factor : "no-" + factor }
        return VariableDeclaration.key(value)
    }
}

extension ScenarioGrid {
    /// A rule's `factor: value` or `factor: [values]` entries.
    typealias Match = [(factor: String, values: [JSON])]

    static func read(_ value: YAMLValue?, variables: [VariableDeclaration]) throws(ScenarioError) -> ScenarioGrid? {
        guard let value else { return nil }
        try value.checkKeys(["factors", "exclude", "require"])
        let factorsValue = try value.required("factors")
        var factors: [VariableDeclaration] = []
        for item in try factorsValue.list() {
            let name = try item.string()
            guard let variable = variables.first(where: { $0.name == name }) else {
                let hint = Template.nearest(name, in: variables.map(\.name)).map { " (did you mean \"\($0)\"?)" } ?? ""
                throw item.error("no variable \"\(name)\"\(hint)")
            }
            guard variable.choices != nil else {
                throw item.error("\(name) is a \(variable.kind.rawValue) variable; a factor is an enum or boolean variable")
            }
            guard !factors.contains(where: { $0.name == name }) else { throw item.error("\(name) is listed twice") }
            factors.append(variable)
        }
        guard !factors.isEmpty else { throw factorsValue.error("list at least one factor") }

        func match(_ m: YAMLValue) throws(ScenarioError) -> Match {
            var out: Match = []
            for (name, v) in try m.mapping() {
                guard let factor = factors.first(where: { $0.name == name }) else {
                    let hint = Template.nearest(name, in: factors.map(\.name)).map { " (did you mean \"\($0)\"?)" } ?? ""
                    throw v.error("\"\(name)\" is not a factor of the grid\(hint)")
                }
                let items: [YAMLValue]
                if case .sequence = v.node { items = try v.list() } else { items = [v] }
                var values: [JSON] = []
                for item in items {
                    let given: JSON = factor.kind == .boolean ? .bool(try item.bool()) : .string(try item.string())
                    guard factor.choices?.contains(given) == true else {
                        throw item.error("\"\(VariableDeclaration.key(given))\" is not a value of \(name); values: "
                                         + (factor.choices ?? []).map(VariableDeclaration.key).joined(separator: ", "))
                    }
                    values.append(given)
                }
                out.append((name, values))
            }
            return out
        }
        var excludes: [Match] = []
        for item in try value.optional("exclude")?.list() ?? [] { excludes.append(try match(item)) }
        var requires: [(when: Match, then: Match)] = []
        for item in try value.optional("require")?.list() ?? [] {
            try item.checkKeys(["if", "then"])
            requires.append((try match(try item.required("if")), try match(try item.required("then"))))
        }

        var grid = ScenarioGrid(factors: factors.map(\.name), conditions: [], product: 1, excluded: 0, droppedByRequire: 0)
        var cells: [[String: JSON]] = [[:]]
        for factor in factors {
            let choices = factor.choices ?? []
            cells = cells.flatMap { cell in choices.map { var c = cell; c[factor.name] = $0; return c } }
        }
        grid.product = cells.count
        func matches(_ cell: [String: JSON], _ m: Match) -> Bool {
            m.allSatisfy { rule in cell[rule.factor].map { rule.values.contains($0) } ?? false }
        }
        for cell in cells {
            if excludes.contains(where: { matches(cell, $0) }) { grid.excluded += 1; continue }
            if requires.contains(where: { matches(cell, $0.when) && !matches(cell, $0.then) }) { grid.droppedByRequire += 1; continue }
            let id = factors.map { idPart($0.name, cell[$0.name] ?? .null) }.joined(separator: ".")
            grid.conditions.append(GridCondition(id: id, values: cell))
        }
        guard !grid.conditions.isEmpty else {
            throw value.error("the grid expands to no condition: its \(grid.product) combinations are all dropped by exclude/require")
        }
        return grid
    }
}
