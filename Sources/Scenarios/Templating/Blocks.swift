import TerrariumBase

/// A text chosen by a variable (`blocks:` in scenario.yaml), used as `${name}`.
public struct BlockDeclaration: Sendable {
    public var name: String
    /// An enum or boolean variable.
    public var by: String
    /// Case key (an enum value, `true`/`false`) → its raw text; rendered when chosen.
    public var cases: [String: String]
    public var defaultCase: String?
    public var line: Int?

    /// The raw text for a value of `by` (every value has one: checked when reading).
    func text(for value: JSON) -> String {
        cases[VariableDeclaration.key(value)] ?? defaultCase ?? ""
    }
}

extension BlockDeclaration {
    /// Reads `blocks:` and checks it whole, for every value (not only the ones a run picks):
    /// `by` names an enum or boolean variable, every value has a case or there is a
    /// `default`, the texts name only known variables and blocks, and no block reaches itself.
    static func readAll(_ value: YAMLValue?, variables: [VariableDeclaration]) throws(ScenarioError) -> [BlockDeclaration] {
        guard let value else { return [] }
        var blocks: [BlockDeclaration] = []
        var texts: [(block: Int, text: String, at: YAMLValue)] = []
        for (name, item) in try value.mapping() {
            guard Template.isName(name[...]) else { throw item.error("block names are [a-z][a-z0-9_]* (found \"\(name)\")") }
            if variables.contains(where: { $0.name == name }) {
                throw item.error("\"\(name)\" is already a variable (blocks and variables share the ${name} namespace)")
            }
            try item.checkKeys(["by", "cases"])
            let byValue = try item.required("by")
            let by = try byValue.string()
            guard let variable = variables.first(where: { $0.name == by }) else {
                let hint = Template.nearest(by, in: variables.map(\.name)).map { " (did you mean \"\($0)\"?)" } ?? ""
                throw byValue.error("no variable \"\(by)\"\(hint)")
            }
            guard let choices = variable.choices else {
                throw byValue.error("\(by) is a \(variable.kind.rawValue) variable; a block is chosen by an enum or boolean variable")
            }
            let keys = choices.map(VariableDeclaration.key)
            var block = BlockDeclaration(name: name, by: by, cases: [:], defaultCase: nil, line: item.line)
            let casesValue = try item.required("cases")
            for (key, text) in try casesValue.mapping() {
                let raw = try text.string()
                if keys.contains(key) {
                    block.cases[key] = raw
                } else if key == "default" {
                    block.defaultCase = raw
                } else {
                    let hint = Template.nearest(key, in: keys + ["default"]).map { " (did you mean \"\($0)\"?)" } ?? ""
                    throw text.error("\"\(key)\" is not a value of \(by)\(hint); cases are: \(keys.joined(separator: ", ")), default")
                }
                texts.append((blocks.count, raw, text))
            }
            if block.defaultCase == nil {
                let missing = keys.filter { block.cases[$0] == nil }
                if !missing.isEmpty {
                    throw casesValue.error("block \(name) has no case for \(by) = \(missing.joined(separator: ", ")) and no default; "
                                           + "every value needs text (it may be \"\")")
                }
            }
            blocks.append(block)
        }
        let known = variables.map(\.name) + blocks.map(\.name)
        var references: [[Int]] = Array(repeating: [], count: blocks.count)
        for (index, raw, at) in texts {
            let names: [String]
            do { names = try Template.names(in: raw) } catch { throw at.templateError(error, in: raw) }
            for name in names {
                guard known.contains(name) else {
                    let failure = Template.Failure(offset: byteOffset(of: "${" + name + "}", in: raw), token: "${" + name + "}",
                                                   message: Template.unknownMessage(name, known: known))
                    throw at.templateError(failure, in: raw)
                }
                if let target = blocks.firstIndex(where: { $0.name == name }) { references[index].append(target) }
            }
        }
        if let cycle = findCycle(references) {
            let names = cycle.map { blocks[$0].name }
            throw (try value.required(names[0])).error("blocks refer to each other in a cycle: \(names.joined(separator: " → "))")
        }
        return blocks
    }

    static func byteOffset(of token: String, in text: String) -> Int {
        guard let r = text.range(of: token) else { return 0 }
        return text.utf8.distance(from: text.startIndex, to: r.lowerBound)
    }

    /// A path that returns to its start (first node repeated at the end), if any.
    static func findCycle(_ edges: [[Int]]) -> [Int]? {
        var state = Array(repeating: 0, count: edges.count)   // 0 new, 1 on the path, 2 done
        var path: [Int] = []
        func visit(_ n: Int) -> [Int]? {
            state[n] = 1
            path.append(n)
            for m in edges[n] {
                if state[m] == 1, let start = path.firstIndex(of: m) { return Array(path[start...]) + [m] }
                if state[m] == 0, let found = visit(m) { return found }
            }
            path.removeLast()
            state[n] = 2
            return nil
        }
        for n in edges.indices where state[n] == 0 {
            if let found = visit(n) { return found }
        }
        return nil
    }
}
