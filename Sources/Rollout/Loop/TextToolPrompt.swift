import TerrariumBase

/// Text tool-use mode: what is added to the system prompt (the tools and the
/// `<tool_use:NAME>` convention) and how tool results are written back.
public enum TextToolPrompt {
    /// The scenario's system prompt, a blank line, then the tool description.
    public static func system(_ scenarioPrompt: String, tools: [ToolSpec]) -> String {
        let base = ReasoningSplitter.trim(scenarioPrompt)
        return (base.isEmpty ? "" : base + "\n\n") + description(tools)
    }

    public static func description(_ tools: [ToolSpec]) -> String {
        var out = """
            # Tools

            To use a tool, write a block like this in your answer (outside any reasoning):

            <tool_use:TOOL_NAME>
            argument_name: "value",
            other_argument: "value",
            </tool_use:TOOL_NAME>

            A value may span several lines inside its quotes. The arguments may also be one JSON object:

            <tool_use:TOOL_NAME>
            {"argument_name": "value", "other_argument": ["a", "b"]}
            </tool_use:TOOL_NAME>

            You may write several blocks in one answer; they run in order, and their results come \
            back in the next message as <tool_result:TOOL_NAME> blocks. When you are done, answer \
            without any tool_use block.

            The tools:
            """
        for tool in tools {
            out += "\n\n## \(tool.name)\n\(ReasoningSplitter.trim(tool.description))"
            let properties = tool.inputSchema["properties"]?.objectValue ?? [:]
            let required = Set((tool.inputSchema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            if properties.isEmpty { out += "\nNo arguments."; continue }
            out += "\nArguments:"
            // Required arguments first, each group by name: the same text on every run.
            let names = properties.keys.sorted { (required.contains($0) ? 0 : 1, $0) < (required.contains($1) ? 0 : 1, $1) }
            for name in names {
                let p = properties[name] ?? .null
                var line = "\n- \(name) (\(typeText(p)), \(required.contains(name) ? "required" : "optional"))"
                if let d = p["description"]?.stringValue, !d.isEmpty { line += ": \(d)" }
                out += line
            }
        }
        return out
    }

    static func typeText(_ p: JSON) -> String {
        if let options = p["enum"]?.arrayValue?.compactMap(\.stringValue), !options.isEmpty {
            return "one of " + options.joined(separator: ", ")
        }
        switch p["type"]?.stringValue {
        case "array": return "list of \(p["items"]?["type"]?.stringValue ?? "value")s"
        case "integer":
            if let lo = p["minimum"]?.intValue, let hi = p["maximum"]?.intValue { return "integer \(lo)–\(hi)" }
            return "integer"
        case let t?: return t
        case nil: return "value"
        }
    }

    /// The results of one turn's calls as the next user message's text.
    public static func results(_ results: [(name: String, text: String, isError: Bool)]) -> String {
        results.map { r in
            "<tool_result:\(r.name)\(r.isError ? " status=\"error\"" : "")>\n\(r.text)\n</tool_result:\(r.name)>"
        }.joined(separator: "\n\n")
    }

}
