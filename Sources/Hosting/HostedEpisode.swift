import Synchronization
import TerrariumBase
import TerrariumEpisode
import TerrariumWorld

/// One episode as a host keeps it: the live `Episode`, where it came from, when it was
/// last used (for idle reaping), and the snapshots taken of it (to fork from later).
public final class HostedEpisode: MCPToolProvider, Sendable {
    public let id: String
    public let episode: Episode
    public let scenario: String
    public let seed: UInt64
    public let directory: String?
    public let created: ContinuousClock.Instant
    let gate: ShellGate
    private let state: Mutex<State>

    struct State {
        var lastUsed: ContinuousClock.Instant
        var snapshots: [String: Episode.Checkpoint] = [:]
        var calls = 0
    }

    init(episode: Episode, scenario: String, seed: UInt64, directory: String?, gate: ShellGate) {
        self.id = episode.id
        self.episode = episode
        self.scenario = scenario
        self.seed = seed
        self.directory = directory
        self.gate = gate
        let now = ContinuousClock.now
        self.created = now
        self.state = Mutex(State(lastUsed: now))
    }

    public var catalog: ToolCatalog { episode.catalog }

    public var lastUsed: ContinuousClock.Instant { state.withLock { $0.lastUsed } }

    func touch() { state.withLock { $0.lastUsed = ContinuousClock.now } }

    /// Calls a tool. Shell commands wait for a slot of the host's global shell limit; every
    /// other tool goes straight to the episode, so a queue of shell commands never delays
    /// another episode's mail or file calls.
    public func callTool(_ name: String, arguments: JSON) async throws(EpisodeError) -> ToolCallResult {
        touch()
        defer { touch() }
        if episode.runsProcess(name) {
            return try await gate.withSlot { () async throws(EpisodeError) -> ToolCallResult in
                try await episode.call(name, arguments: arguments)
            }
        }
        return try await episode.call(name, arguments: arguments)
    }

    /// Keeps the world as it is now under a new unguessable id.
    func takeSnapshot() async -> (id: String, seq: Int, stateHash: String) {
        let checkpoint = await episode.checkpoint()
        let id = "snap-" + EpisodeNaming.newID()
        state.withLock { $0.snapshots[id] = checkpoint }
        touch()
        return (id, checkpoint.seq, checkpoint.world.stateHash.tagged)
    }

    func snapshot(_ id: String) -> Episode.Checkpoint? { state.withLock { $0.snapshots[id] } }
}
