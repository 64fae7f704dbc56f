import TerrariumBase

/// The part of the world that scenarios change in reaction to what the agent does: named
/// flags, tools taken away from the agent, and whether the scenario ended the episode.
/// Changed only by world effects (`setFlags`, `disableTools`, `enableTools`,
/// `endEpisode`), so replay rebuilds it and the state hash covers it.
public struct ReactiveState: Sendable, Hashable {
    /// Flag name → value, as set by `set_flag` effects.
    public internal(set) var flags: [String: JSON] = [:]
    /// Tools the agent cannot call now (beyond those the scenario never offers).
    public internal(set) var disabledTools: Set<String> = []
    /// Why the scenario ended the episode (`scenario: ...`), nil while it runs.
    public internal(set) var endedReason: String?

    public init() {}

    public var isEmpty: Bool { flags.isEmpty && disabledTools.isEmpty && endedReason == nil }

    /// Canonical JSON form, used by snapshots and hashed into the state hash.
    public var json: JSON {
        var o: [String: JSON] = ["flags": .object(flags), "disabledTools": JSON(disabledTools.sorted(by: JSON.utf8Less))]
        if let endedReason { o["ended"] = .string(endedReason) }
        return .object(o)
    }

    init(json j: JSON) throws(WorldDecodingError) {
        let r = Reader(j, "reactive state")
        flags = try r.member("flags").objectValue ?? [:]
        disabledTools = Set(try r.strings("disabledTools"))
        endedReason = j["ended"]?.stringValue
    }
}

extension World {
    public var flags: [String: JSON] { reactive.flags }
    public var disabledTools: Set<String> { reactive.disabledTools }
    public var endedReason: String? { reactive.endedReason }

    mutating func applyReactive(_ effect: WorldEffect) throws(WorldDecodingError) {
        switch effect {
        case .setFlags(let values):
            guard !values.isEmpty else { throw WorldDecodingError("setFlags without flags") }
            reactive.flags.merge(values) { $1 }
        case .disableTools(let names):
            reactive.disabledTools.formUnion(names)
        case .enableTools(let names):
            reactive.disabledTools.subtract(names)
        case .endEpisode(let reason):
            guard reactive.endedReason == nil else { throw WorldDecodingError("the episode has already ended") }
            reactive.endedReason = reason
        default:
            throw WorldDecodingError("not a reactive effect")
        }
        reactiveDigest = reactive.isEmpty ? nil : Digest.sha256(reactive.json.canonicalBytes())
    }
}
