import TerrariumEpisode

/// Why a host request failed. The HTTP layer maps each case to a status code; the
/// message says what was wrong and what would be accepted.
public enum HostError: Error, Sendable, Equatable, CustomStringConvertible {
    case badRequest(String)
    case unknownScenario(String, available: [String])
    case invalidScenario(String)
    case unknownEpisode(String)
    case unknownSnapshot(String)
    case conflict(String)
    /// The host is full; try again after this many seconds.
    case full(capacity: Int, retryAfter: Int)
    /// The episode cannot be graded: its scenario declared no predicates.
    case noPredicates(String)
    case environment(String)
    case notImplemented(String)

    public var description: String {
        switch self {
        case .badRequest(let m): return m
        case .unknownScenario(let name, let available):
            return "unknown scenario \"\(name)\"; available: \(available.isEmpty ? "(none)" : available.joined(separator: ", "))"
        case .invalidScenario(let m): return "the scenario could not be loaded: \(m)"
        case .unknownEpisode(let id): return "no live episode \"\(id)\" (it may have been deleted or reaped)"
        case .unknownSnapshot(let id): return "no snapshot \"\(id)\" of this episode"
        case .conflict(let m): return m
        case .full(let capacity, let retryAfter):
            return "the server is full (\(capacity) live episodes); retry after \(retryAfter) s or delete episodes"
        case .noPredicates(let m): return m
        case .environment(let m): return "environment failure: \(m)"
        case .notImplemented(let m): return m
        }
    }
}
