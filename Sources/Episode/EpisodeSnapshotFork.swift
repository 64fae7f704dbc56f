import TerrariumBase
import TerrariumWorld

extension Episode {
    /// A new, independent episode starting from `snapshot`, a world value this episode
    /// returned from `snapshot()` earlier (a host keeps such values to fork from later).
    /// The manifest names this episode and the snapshot's state hash as its origin.
    public func fork(from snapshot: World, takenAt seq: Int, options: Options = Options()) throws(EpisodeError) -> Episode {
        try Episode(world: snapshot, snapshot: nil, catalog: catalog, systemPrompt: systemPrompt,
                    scenario: (scenarioID, scenarioTitle, scenarioHash),
                    forkedFrom: ["episode": .string(id), "seq": JSON(seq), "stateHash": .string(snapshot.stateHash.tagged)],
                    options: options)
    }

    /// The tool named `name` runs a process (the shell), so a host may bound it globally.
    public nonisolated func runsProcess(_ name: String) -> Bool {
        catalog[name].map(ShellTool.runsProcess) ?? false
    }
}
