import TerrariumBase
import TerrariumWorld

extension Episode {
    /// Everything a fork needs to continue from a moment of this episode: the world, and the
    /// trigger agenda (what has fired, what is pending) — without the agenda, a fork would
    /// fire again a trigger that had already fired, or miss one that was pending.
    public struct Checkpoint: Sendable {
        public let world: World
        public let seq: Int
        let reactor: Reactor
    }

    /// The episode as it is now, as a value a host may keep and fork from later.
    public func checkpoint() -> Checkpoint { Checkpoint(world: world, seq: lastSeq, reactor: stager.reactor) }

    /// A new, independent episode starting from `checkpoint`, taken from this episode
    /// earlier. The manifest names this episode and the checkpoint's seq and state hash as
    /// its origin.
    public func fork(from checkpoint: Checkpoint, options: Options = Options()) throws(EpisodeError) -> Episode {
        try Episode(world: checkpoint.world, snapshot: nil, catalog: catalog, systemPrompt: systemPrompt,
                    scenario: (scenarioID, scenarioTitle, scenarioHash),
                    forkedFrom: ["episode": .string(id), "seq": JSON(checkpoint.seq),
                                 "stateHash": .string(checkpoint.world.stateHash.tagged)],
                    reactor: checkpoint.reactor, options: options, grading: grading)
    }

    /// The tool named `name` runs a process (the shell), so a host may bound it globally.
    public nonisolated func runsProcess(_ name: String) -> Bool {
        catalog[name].map(ShellTool.runsProcess) ?? false
    }
}
