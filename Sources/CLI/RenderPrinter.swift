import TerrariumBase
import TerrariumScenarios
import TerrariumWorld

/// The rendered world as text, for `check --render`: what the agent will read, in full.
enum RenderPrinter {
    static func text(_ scenario: Scenario) -> String {
        let world = scenario.world
        var out = "scenario: \(scenario.id) — \(scenario.title)\n"
        out += "condition: \(scenario.resolved.condition ?? "none")\n"
        if !scenario.variables.isEmpty { out += "variables: \(values(scenario))\n" }
        out += "\n=== system prompt ===\n" + terminated(scenario.systemPrompt)
        var messages: [String: Message] = [:]
        for box in world.mailboxes.values {
            for entry in box.entries.values where messages[entry.message.messageID] == nil { messages[entry.message.messageID] = entry.message }
        }
        let ordered = messages.values.sorted { $0.date != $1.date ? $0.date < $1.date : $0.messageID < $1.messageID }
        out += "\n=== mail (\(ordered.count) messages) ===\n"
        for m in ordered {
            out += "\n--- [\(m.messageID)] \(world.clock.format(m.date))\n"
            out += "From: \(m.from)\nTo: \(m.to.joined(separator: ", "))\n"
            if !m.cc.isEmpty { out += "Cc: \(m.cc.joined(separator: ", "))\n" }
            if !m.bcc.isEmpty { out += "Bcc: \(m.bcc.joined(separator: ", "))\n" }
            out += "Subject: \(m.subject)\n\n" + terminated(m.body)
            for a in m.attachments {
                out += "[attachment \(a.name), \(a.contentType), \(a.content.count) bytes]\n"
                if let text = a.content.text { out += terminated(text) }
            }
        }
        out += "\n=== files (\(world.files.fileCount)) under \(world.home) ===\n"
        for path in world.files.descendants(of: .root) {
            guard let node = world.files[path], let content = node.content else { continue }
            out += "\n--- \(path.raw) (\(String(node.mode, radix: 8)), \(content.count) bytes)\n"
            out += content.text.map(terminated) ?? "[binary, sha256 \(content.digest.hex)]\n"
        }
        out += "\ncontent sha256: \(scenario.contentHash.hex)\n"
        return out
    }

    /// `name=value, …` in name order.
    static func values(_ scenario: Scenario) -> String {
        scenario.resolved.values.keys.sorted().map { name in
            "\(name)=\(VariableDeclaration.text(scenario.resolved.values[name] ?? .null))"
        }.joined(separator: ", ")
    }

    static func terminated(_ text: String) -> String { text.hasSuffix("\n") || text.isEmpty ? text : text + "\n" }
}
