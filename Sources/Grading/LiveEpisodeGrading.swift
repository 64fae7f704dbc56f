import TerrariumBase
import TerrariumRecording
import TerrariumScenarios
import TerrariumWorld

/// Grading an episode that is still running (`POST /episodes/{id}/grade` on the server):
/// the same checks as `grade` for every event up to a seq the host knows is whole, but
/// without asking for an ended outcome, which a live episode does not have yet.
extension EpisodeGrader {
    /// Verifies events 1 through `seq` and returns them with the worlds before the first
    /// and after the last of them.
    public func liveEvidence(through seq: Int) throws(GradingError) -> EpisodeEvidence {
        let initial: World
        let walk: EpisodeReader.Walk
        do {
            initial = try reader.initialWorld()
            walk = try reader.walk(upTo: seq, keepEvents: true)
        } catch { throw .unreadable(error.description) }
        if let error = walk.error { throw .tampered(error.description) }
        guard walk.events.count == seq else {
            throw .unreadable("the log holds \(walk.events.count) whole events; the live episode is at seq \(seq)")
        }
        if let first = walk.events.first, first.payload["grading"]?.stringValue != reader.manifest.grading?.tagged {
            throw .tampered("episode.json's grading sha256 differs from the one the first event recorded")
        }
        return EpisodeEvidence(events: walk.events, initial: initial, final: walk.world, codec: reader.codec)
    }

    /// The verdicts over events 1 through `seq`, with `rules` or the episode's stored predicates.
    public func gradeLive(through seq: Int, with rules: [GradingRule]? = nil) throws(GradingError) -> GradeReport {
        let chosen: [GradingRule]
        if let rules { chosen = rules } else { chosen = try storedRules() }
        let evidence = try liveEvidence(through: seq)
        let m = reader.manifest
        return GradeReport(episode: m.id, scenario: m.scenarioID, condition: m.condition,
                           predicates: PredicateEvaluator(evidence).results(chosen))
    }
}
