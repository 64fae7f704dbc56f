import TerrariumBase
import TerrariumScenarios

/// The tools an episode offers, in a fixed order (mail, files, shell), so `tools/list` and
/// every exported schema are the same on every run.
public struct ToolCatalog: Sendable {
    public let tools: [ToolDefinition]
    private let index: [String: Int]

    /// Every built-in tool: mail, files, then the shell.
    public static let builtIn = ToolCatalog(MailTools.all + FileTools.all + [ShellTool.runShell])

    public static var builtInNames: [String] { builtIn.tools.map(\.name) }

    public init(_ tools: [ToolDefinition]) {
        self.tools = tools
        var index: [String: Int] = [:]
        for (i, t) in tools.enumerated() { index[t.name] = i }
        self.index = index
    }

    public subscript(name: String) -> ToolDefinition? { index[name].map { tools[$0] } }

    public var names: [String] { tools.map(\.name) }

    /// A scenario's catalog: the built-ins, then its own tools, minus those it disables.
    public static func scenario(_ scenario: Scenario) -> ToolCatalog {
        ToolCatalog(builtIn.tools + scenario.customTools.map(ToolDefinition.init(scenario:))).without(scenario.disabledTools)
    }

    public func without(_ disabled: Set<String>) -> ToolCatalog {
        guard !disabled.isEmpty else { return self }
        return ToolCatalog(tools.filter { !disabled.contains($0.name) })
    }
}

/// The tool list in the shapes agent frameworks expect.
public enum ToolSchemaFormat: String, Sendable, CaseIterable {
    case mcp, anthropic, openai

    public func render(_ catalog: ToolCatalog) -> JSON {
        .array(catalog.tools.map { tool in
            switch self {
            case .mcp:
                return ["name": .string(tool.name), "description": .string(tool.description), "inputSchema": tool.inputSchema,
                        "annotations": ["readOnlyHint": .bool(tool.readOnly), "destructiveHint": .bool(!tool.readOnly),
                                        "openWorldHint": false]]
            case .anthropic:
                return ["name": .string(tool.name), "description": .string(tool.description), "input_schema": tool.inputSchema]
            case .openai:
                return ["type": "function",
                        "function": ["name": .string(tool.name), "description": .string(tool.description),
                                     "parameters": tool.inputSchema, "strict": false]]
            }
        })
    }
}
