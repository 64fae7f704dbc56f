import TerrariumBase
import TerrariumEpisode

/// What an MCP session serves: a fixed tool list and a way to call one. An episode (through
/// `HostedEpisode`, which adds the global shell limit) is the only real provider; tests
/// use the same protocol.
public protocol MCPToolProvider: Sendable {
    var catalog: ToolCatalog { get }
    func callTool(_ name: String, arguments: JSON) async throws(EpisodeError) -> ToolCallResult
}
