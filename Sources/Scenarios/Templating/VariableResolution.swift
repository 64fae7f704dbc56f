import TerrariumBase

/// What a run asks for: a grid condition and/or `--var` values.
public struct VariableSelection: Sendable, Equatable {
    public var condition: String?
    /// `--var name=value` in the order given (a later one for the same name wins).
    public var overrides: [(name: String, value: String)]

    public init(condition: String? = nil, overrides: [(name: String, value: String)] = []) {
        self.condition = condition
        self.overrides = overrides
    }

    /// Parses `name=value` texts as given to `--var`.
    public static func parseOverrides(_ texts: [String]) -> Result<[(name: String, value: String)], VariableValueError> {
        var out: [(String, String)] = []
        for text in texts {
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                return .failure(.init("--var \(text): expected NAME=VALUE, e.g. --var urgency=none"))
            }
            out.append((String(text[..<eq]), String(text[text.index(after: eq)...])))
        }
        return .success(out)
    }

    public static func == (a: VariableSelection, b: VariableSelection) -> Bool {
        a.condition == b.condition && a.overrides.map { "\($0.name)=\($0.value)" } == b.overrides.map { "\($0.name)=\($0.value)" }
    }
}

/// Every variable's value for one run, where it came from, and the texts `${...}` stands for.
public struct ResolvedVariables: Sendable {
    public var condition: String?
    public var values: [String: JSON]
    public var context: RenderContext

    public static let none = ResolvedVariables(condition: nil, values: [:], context: .empty)
}

/// The declared variables, blocks and grid of a scenario, and how a selection resolves:
/// defaults, then the condition's factor values, then `--var`.
public struct ScenarioVariables: Sendable {
    public var file: String
    public var declarations: [VariableDeclaration]
    public var blocks: [BlockDeclaration]
    public var grid: ScenarioGrid?
    var gridLine: Int?

    public var isEmpty: Bool { declarations.isEmpty && blocks.isEmpty }

    /// A scenario without variables.
    public static func none(file: String = "") -> ScenarioVariables {
        ScenarioVariables(file: file, declarations: [], blocks: [], grid: nil, gridLine: nil)
    }

    public func resolve(_ selection: VariableSelection) throws(ScenarioError) -> ResolvedVariables {
        var values: [String: JSON] = [:]
        for d in declarations { values[d.name] = d.defaultValue }
        if let id = selection.condition {
            guard let grid else {
                throw ScenarioError(file: file, line: nil, field: "grid",
                                    message: "--condition \(id): this scenario has no grid: (use --var to set variables)")
            }
            guard let condition = grid.condition(id) else { throw unknownCondition(id, grid) }
            for (name, value) in condition.values { values[name] = value }
        }
        for (name, text) in selection.overrides {
            guard let d = declarations.first(where: { $0.name == name }) else {
                if blocks.contains(where: { $0.name == name }) {
                    throw ScenarioError(file: file, line: nil, field: "blocks.\(name)",
                                        message: "--var \(name)=\(text): \(name) is a block; set the variable it is chosen by instead")
                }
                let hint = Template.nearest(name, in: declarations.map(\.name)).map { " (did you mean \"\($0)\"?)" }
                    ?? (declarations.isEmpty ? "; this scenario declares no variables" :
                        "; variables: " + declarations.map(\.name).joined(separator: ", "))
                throw ScenarioError(file: file, line: nil, field: "variables", message: "--var \(name)=\(text): no such variable\(hint)")
            }
            if let id = selection.condition, grid?.factors.contains(name) == true {
                throw ScenarioError(file: file, line: gridLine, field: "grid.factors",
                                    message: "--var \(name)=\(text) with --condition \(id) is ambiguous: \(name) is a factor "
                                             + "of the grid, so the condition sets it; give one or the other")
            }
            switch d.parse(text) {
            case .success(let v): values[name] = v
            case .failure(let e):
                throw ScenarioError(file: file, line: d.line, field: "variables.\(name)",
                                    message: "--var \(name)=\(text): \(e.message) (\(name) is a \(d.kind.rawValue) variable)")
            }
        }
        return ResolvedVariables(condition: selection.condition, values: values, context: try context(values))
    }

    func unknownCondition(_ id: String, _ grid: ScenarioGrid) -> ScenarioError {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var message = "--condition \(id): no such condition"
        if parts.count == grid.factors.count, cellValues(parts, grid) != nil {
            message += " (it is dropped by the grid's exclude/require rules)"
        } else if let hint = Template.nearest(id, in: grid.conditions.map(\.id)) {
            message += " (did you mean \"\(hint)\"?)"
        } else {
            message += "; ids are the values of \(grid.factors.joined(separator: ", ")) joined by \".\", "
                + "e.g. \(grid.conditions[0].id) (terrarium check DIR --grid lists them)"
        }
        return ScenarioError(file: file, line: gridLine, field: "grid", message: message)
    }

    /// The values an id names, if every part is a value of its factor.
    func cellValues(_ parts: [String], _ grid: ScenarioGrid) -> [String: JSON]? {
        var cell: [String: JSON] = [:]
        for (factor, part) in zip(grid.factors, parts) {
            guard let d = declarations.first(where: { $0.name == factor }),
                  let value = d.choices?.first(where: { ScenarioGrid.idPart(factor, $0) == part }) else { return nil }
            cell[factor] = value
        }
        return cell
    }

    /// The texts of every variable and block for these values (blocks have no cycle and
    /// name only known names: checked when they were read).
    func context(_ values: [String: JSON]) throws(ScenarioError) -> RenderContext {
        var texts: [String: String] = [:]
        for (name, value) in values { texts[name] = VariableDeclaration.text(value) }
        var pending = blocks
        // Each pass resolves the blocks whose references are all resolved; no cycle means
        // every pass resolves at least one.
        while !pending.isEmpty {
            var progressed = false
            var rest: [BlockDeclaration] = []
            for block in pending {
                let raw = block.text(for: values[block.by] ?? .null)
                let names = (try? Template.names(in: raw)) ?? []
                guard names.allSatisfy({ texts[$0] != nil }) else { rest.append(block); continue }
                do { texts[block.name] = try RenderContext(texts: texts).render(raw) } catch {
                    throw ScenarioError(file: file, line: block.line, field: "blocks.\(block.name)", message: error.message)
                }
                progressed = true
            }
            guard progressed else {
                throw ScenarioError(file: file, line: rest[0].line, field: "blocks.\(rest[0].name)",
                                    message: "blocks refer to each other in a cycle")
            }
            pending = rest
        }
        return RenderContext(texts: texts)
    }
}
