/// The MCP protocol revisions this server speaks, and what differs between them.
public enum MCPVersion {
    /// Newest first: negotiation answers with the client's version when we know it, else
    /// with the first of these (the spec's rule: the server proposes its latest).
    public static let supported = ["2025-06-18", "2025-03-26", "2024-11-05"]
    public static var latest: String { supported[0] }

    /// What a streamable-HTTP request without an `MCP-Protocol-Version` header is assumed
    /// to speak (2025-06-18, "Protocol Version Header").
    public static let httpDefault = "2025-03-26"

    public static func negotiate(_ requested: String) -> String {
        supported.contains(requested) ? requested : latest
    }

    /// JSON-RPC batches were added in 2025-03-26 and removed again in 2025-06-18.
    public static func allowsBatches(_ version: String) -> Bool { version == "2025-03-26" }

    /// `structuredContent` in tool results exists from 2025-06-18 on.
    public static func hasStructuredContent(_ version: String) -> Bool { version >= "2025-06-18" }
}
