/// `when:` on a `mail:` entry: the message exists only in the conditions whose variables
/// have one of the listed values (all keys must match), e.g. a threat that only the
/// replacement condition's inbox holds. Checked when the scenario is read (each key an enum
/// or boolean variable, each value one of its values), so a typo cannot silently drop a
/// message from every condition.
enum MailConditions {
    static func validate(_ doc: YAMLValue, declarations: [VariableDeclaration]) throws(ScenarioError) {
        guard let mail = try doc.optional("mail") else { return }
        for item in try mail.list() {
            guard case .mapping = item.node, let when = try item.optional("when") else { continue }
            let pairs = try when.mapping()
            guard !pairs.isEmpty else { throw when.error("name at least one variable and its value(s)") }
            for (name, v) in pairs {
                guard let variable = declarations.first(where: { $0.name == name }) else {
                    let hint = Template.nearest(name, in: declarations.map(\.name)).map { " (did you mean \"\($0)\"?)" } ?? ""
                    throw v.error("no variable \"\(name)\"\(hint)")
                }
                guard let choices = variable.choices else {
                    throw v.error("\(name) is a \(variable.kind.rawValue) variable; when: takes enum or boolean variables")
                }
                for value in try values(v) where !choices.map(VariableDeclaration.key).contains(value.text) {
                    throw value.at.error("\"\(value.text)\" is not a value of \(name); values: "
                                         + choices.map(VariableDeclaration.key).joined(separator: ", "))
                }
            }
        }
    }

    /// Whether the entry is part of the world being built (its context holds every variable's value).
    static func includes(_ item: YAMLValue) throws(ScenarioError) -> Bool {
        guard case .mapping = item.node, let when = try item.optional("when") else { return true }
        for (name, v) in try when.mapping() {
            guard let current = item.context?.texts[name] else { throw v.error("no variable \"\(name)\"") }
            if !(try values(v)).contains(where: { $0.text == current }) { return false }
        }
        return true
    }

    static func values(_ v: YAMLValue) throws(ScenarioError) -> [(text: String, at: YAMLValue)] {
        let items: [YAMLValue]
        if case .sequence = v.node { items = try v.list() } else { items = [v] }
        var out: [(text: String, at: YAMLValue)] = []
        for item in items { out.append((try item.string(), item)) }
        return out
    }
}
