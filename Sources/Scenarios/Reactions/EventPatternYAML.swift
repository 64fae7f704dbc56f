import TerrariumWorld

extension YAMLValue {
    /// The keys an event pattern may have (docs/SCENARIOS.md, "Event patterns").
    public static let eventPatternKeys = ["kind"] + EventPattern.Field.allCases.map(\.rawValue)

    /// Reads an event pattern (a trigger's `on:`, a grading predicate's `event:`). Every
    /// problem names the line of the value at fault: an unknown kind or category, a
    /// regex that does not compile, a field that cannot apply to the kinds given.
    public func eventPattern() throws(ScenarioError) -> EventPattern {
        try checkKeys(YAMLValue.eventPatternKeys)
        let kindValue = try required("kind")
        var kinds: [EventKind] = []
        for name in try kindValue.strings() {
            guard let kind = EventKind(rawValue: name) else {
                throw kindValue.error("unknown event kind \"\(name)\"; kinds: "
                    + EventKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        guard !kinds.isEmpty else { throw kindValue.error("name at least one event kind") }

        func regex(_ key: String) throws(ScenarioError) -> TextPattern? {
            guard let value = try optional(key) else { return nil }
            return try value.textPattern()
        }
        func addresses(_ key: String) throws(ScenarioError) -> [String]? {
            guard let value = try optional(key) else { return nil }
            let list = try value.strings()
            guard !list.isEmpty else { throw value.error("name at least one address") }
            for address in list where !address.contains("@") {
                throw value.error("expected an e-mail address, found \"\(address)\"")
            }
            return list
        }
        var arguments: [String: TextPattern] = [:]
        if let argumentsValue = try optional("arguments") {
            for (name, value) in try argumentsValue.mapping() { arguments[name] = try value.textPattern() }
            guard !arguments.isEmpty else { throw argumentsValue.error("name at least one argument") }
        }
        var category: String?
        if let categoryValue = try optional("category") {
            let name = try categoryValue.string()
            guard SandboxCategory(rawValue: name) != nil else {
                throw categoryValue.error("unknown category \"\(name)\"; categories: "
                    + SandboxCategory.allCases.map(\.rawValue).joined(separator: ", "))
            }
            category = name
        }
        let from = try addresses("from"), to = try addresses("to")
        let subject = try regex("subject"), body = try regex("body"), content = try regex("content")
        let command = try regex("command")
        let attachment = try optional("attachment")?.nonEmptyString()
        let path = try optional("path")?.nonEmptyString()
        let tool = try optional("tool")?.nonEmptyString()
        do throws(EventPatternError) {
            return try EventPattern(kinds: kinds, from: from, to: to, subject: subject, body: body, attachment: attachment,
                                    path: path, content: content, tool: tool, arguments: arguments, command: command,
                                    category: category)
        } catch {
            let field: YAMLValue? = (try? optional(error.field)) ?? nil
            throw (field ?? self).error(error.message)
        }
    }

    /// A regular expression (searched, not anchored); one that does not compile is an
    /// error at its own line.
    public func textPattern() throws(ScenarioError) -> TextPattern {
        let source = try string()
        do { return try TextPattern(source) } catch { throw self.error(error.description) }
    }
}
