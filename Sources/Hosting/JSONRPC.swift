import TerrariumBase

/// JSON-RPC 2.0 error codes MCP uses (https://www.jsonrpc.org/specification#error_object).
public enum JSONRPCErrorCode: Int64, Sendable {
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    case internalError = -32603
}

/// A protocol-level failure: answered as a JSON-RPC error object, never as tool output.
public struct JSONRPCError: Error, Sendable, Equatable {
    public var code: JSONRPCErrorCode
    public var message: String
    public init(_ code: JSONRPCErrorCode, _ message: String) { self.code = code; self.message = message }
}

/// Builders for the three message shapes a server sends.
public enum JSONRPC {
    /// A request id: MCP allows strings and integers only (never null).
    public static func isValidID(_ id: JSON) -> Bool {
        switch id {
        case .string, .int: return true
        default: return false
        }
    }

    public static func result(id: JSON, _ result: JSON) -> JSON {
        ["jsonrpc": "2.0", "id": id, "result": result]
    }

    public static func error(id: JSON, _ error: JSONRPCError) -> JSON {
        ["jsonrpc": "2.0", "id": id,
         "error": ["code": .int(error.code.rawValue), "message": .string(error.message)]]
    }
}
