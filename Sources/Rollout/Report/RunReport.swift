import TerrariumBase
import TerrariumGrading

/// Everything `terrarium report` shows, read from a run directory: the per-condition
/// table and, per finished episode, its outcome and its timeline. Outcomes are those in
/// each rollout.json (as the loop or the last `terrarium grade` wrote them); every log is
/// verified before it is shown, and one that does not verify is shown as such.
public struct RunReport: Sendable {
    public struct Episode: Sendable {
        public var key: String
        public var condition: String
        public var outcome: Outcome?
        public var reason: String
        public var evalAware: Bool
        public var entries: [TimelineEntry]
        /// Why the episode cannot be shown (unreadable rollout.json, a log that does not verify).
        public var problem: String?
    }

    public var title: String
    public var table: ConditionTable
    public var episodes: [Episode]

    public init(title: String, table: ConditionTable, episodes: [Episode]) {
        self.title = title; self.table = table; self.episodes = episodes
    }

    public static func load(run: RecordedRun) throws(RecordedRun.Problem) -> RunReport {
        let configuration = try run.configuration()
        var episodes: [Episode] = []
        for entry in try run.finishedEpisodes() {
            var episode = Episode(key: entry.key, condition: entry.condition, outcome: nil, reason: "", evalAware: false,
                                  entries: [], problem: nil)
            do {
                let fields = try RolloutFileFields.read(directory: entry.directory)
                episode.outcome = fields.json["outcome"]?.stringValue.flatMap(Outcome.init(rawValue:))
                episode.reason = fields.json["grading"]?["reason"]?.stringValue ?? fields.error ?? ""
                episode.evalAware = fields.json["grading"]?["evalAware"]?.boolValue ?? false
            } catch { episode.problem = error.description }
            do {
                let evidence = try EpisodeGrader(directory: entry.directory).evidence()
                episode.entries = Timeline.entries(events: evidence.events, codec: evidence.codec)
            } catch {
                episode.problem = [episode.problem, error.description].compactMap { $0 }.joined(separator: "; ")
            }
            if episode.problem != nil, episode.outcome == nil { episode.outcome = .environmentError }
            episodes.append(episode)
        }
        let tallies = episodes.map { EpisodeTally(condition: $0.condition, outcome: $0.outcome ?? .environmentError, evalAware: $0.evalAware) }
        let title = [configuration["scenario"]?["id"]?.stringValue ?? configuration["scenario"]?.stringValue,
                                         configuration["model"]?.stringValue].compactMap { $0 }.joined(separator: " · ")
        let heading = title.isEmpty ? "Terrarium run" : "Terrarium run: " + title
        return RunReport(title: heading, table: ConditionTable(tallies, maxK: RunGrader.episodesPerCondition(configuration)),
                         episodes: episodes)
    }
}
