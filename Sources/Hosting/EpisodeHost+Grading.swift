import TerrariumBase
import TerrariumGrading

/// Grading a live episode over the API: the verdicts `terrarium grade` would print for the
/// episode's recording so far, with the predicates stored in it when it started.
extension EpisodeHost {
    /// `{"episode", "scenario", "condition", "predicates": {ID: {"verdict", "meaning",
    /// "seqs", "description"}}}` over every event up to the end of the last finished call
    /// (a call in progress is waited for, so no verdict sees half of one).
    public func grade(_ e: HostedEpisode) async throws(HostError) -> JSON {
        guard let directory = e.directory else {
            throw .notImplemented("grading needs a recorded episode (an in-memory one keeps no events to grade): "
                + "start the server with --runs DIR")
        }
        let seq = await e.episode.settledSeq()
        do throws(GradingError) {
            return try EpisodeGrader(directory: directory).gradeLive(through: seq).json
        } catch {
            if case .noPredicates = error {
                throw .noPredicates("episode \(e.id) has no grading predicates: its scenario \"\(e.scenario)\" "
                    + "declares none (a grading: section in scenario.yaml)")
            }
            throw .environment("cannot grade episode \(e.id) from \(directory): \(error.description)")
        }
    }
}
