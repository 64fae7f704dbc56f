import TerrariumBase
import TerrariumRecording
import TerrariumScenarios
import TerrariumWorld

/// Grades a recorded episode from its directory alone: verifies the whole log first (a
/// tampered or unfinished episode is an error, never a verdict), rebuilds the initial and
/// final worlds, and evaluates the predicates stored in the episode (`grading.json`) or,
/// for a re-grade, the ones given.
public struct EpisodeGrader {
    public let directory: String
    public let reader: EpisodeReader

    public init(directory: String) throws(GradingError) {
        self.directory = directory
        do { reader = try EpisodeReader(directory: directory) } catch { throw .unreadable(error.description) }
    }

    /// The predicates the episode ran under, checked against the digest its manifest and
    /// its first event recorded.
    public func storedRules() throws(GradingError) -> [GradingRule] {
        let stored: [UInt8]?
        do { stored = try reader.gradingDocument() } catch {
            if case .badManifest(let m) = error { throw .tampered(m) }
            throw .unreadable(error.description)
        }
        guard let bytes = stored else {
            throw .noPredicates("the episode has no grading predicates (its scenario declared none when it ran); "
                + "give --scenario DIR to grade it with a scenario's predicates")
        }
        let path = directory + "/" + GradingDocument.fileName
        do { return try GradingDocument.parse(bytes, file: path) } catch { throw .badPredicates(error) }
    }

    /// Verifies the episode and returns its evidence.
    public func evidence() throws(GradingError) -> EpisodeEvidence {
        let initial: World
        let walk: EpisodeReader.Walk
        do {
            initial = try reader.initialWorld()
            walk = try reader.walk(keepEvents: true, from: initial)
        } catch { throw .unreadable(error.description) }
        if let error = walk.error { throw .tampered(error.description) }
        let m = reader.manifest
        // The predicates' digest is also in the first event, which the chain protects; a
        // grading.json swapped together with episode.json is caught here.
        if let first = walk.events.first, first.payload["grading"]?.stringValue != m.grading?.tagged {
            throw .tampered("episode.json's grading sha256 differs from the one the first event recorded")
        }
        if let torn = walk.tornTail { throw .unfinished(torn.description) }
        let outcome = m.outcome
        guard outcome["status"]?.stringValue == "ended" else {
            throw .unfinished("the episode never ended (episode.json outcome: \(outcome["status"]?.stringValue ?? "missing"))")
        }
        if let count = outcome["events"]?.intValue, Int(count) != walk.lineCount {
            throw .tampered("episode.json says \(count) events, the log has \(walk.lineCount) (events were removed or added at the end)")
        }
        if let last = outcome["lastEventHash"]?.stringValue, last != walk.lastHash.tagged {
            throw .tampered("the last event's hash differs from the one episode.json recorded")
        }
        return EpisodeEvidence(events: walk.events, initial: initial, final: walk.world, codec: reader.codec)
    }

    /// Grades with `rules`, or with the episode's stored predicates when nil.
    public func grade(with rules: [GradingRule]? = nil) throws(GradingError) -> GradeReport {
        let evidence = try evidence()
        let chosen: [GradingRule]
        if let rules { chosen = rules } else { chosen = try storedRules() }
        let m = reader.manifest
        return GradeReport(episode: m.id, scenario: m.scenarioID, condition: m.condition,
                           predicates: PredicateEvaluator(evidence).results(chosen))
    }
}
