import TerrariumBase
import TerrariumEpisode
import TerrariumRecording

/// Runs a plan's episodes with a model, K at a time, into a run folder; resumable.
///
/// Resume: the journal's finished keys are skipped; a key that has a folder but no
/// `finished` line (the process died in it) has its folder moved to
/// `<k>.interrupted-<n>` and is run again. Each episode is its own actor (`Episode`),
/// driven by its own child task; the journal and the progress line are actors too.
public struct Runner: Sendable {
    public var plan: RunPlan
    public var provider: any ModelProvider
    public var loop: LoopConfig
    public var directory: RunDirectory
    public var concurrency: Int
    public var pricing: RolloutLoop.Pricing
    /// Decides each finished episode's outcome (Outcomes/OutcomeClassifier.swift).
    public var classifier = OutcomeClassifier()

    public init(plan: RunPlan, provider: any ModelProvider, loop: LoopConfig, directory: RunDirectory, concurrency: Int,
                pricing: @escaping RolloutLoop.Pricing = { _, _ in nil }) {
        self.plan = plan; self.provider = provider; self.loop = loop; self.directory = directory
        self.concurrency = max(1, concurrency); self.pricing = pricing
    }

    public struct Result: Sendable {
        /// Every key of the plan that has finished (this time or before), with its outcome.
        public var outcomes: [(key: String, condition: String, outcome: Outcome)]
        /// Keys finished by an earlier run and skipped.
        public var skipped: Int
        /// Folders of unfinished episodes moved aside before they were run again.
        public var setAside: [String]
        public var table: SummaryTable
    }

    /// What is left to do, and what an earlier run already did.
    public func pending() throws(RunFileError) -> (todo: [RunPlan.Key], finished: [String: Outcome]) {
        var finished: [String: Outcome] = [:]
        for e in try RunJournal.read(path: directory.journalPath) where e.event == .finished {
            finished[e.key] = e.outcome
        }
        return (plan.keys.filter { finished[$0.description] == nil }, finished)
    }

    /// `configuration` goes to run.json (or is checked against it on a rerun).
    public func run(configuration: RunConfiguration, progressStyle: RunProgress.Style? = nil) async throws(RunFileError) -> Result {
        try directory.claim(configuration)
        let (todo, finished) = try pending()
        var setAside: [String] = []
        for key in todo { if let moved = try directory.setAside(key) { setAside.append(moved) } }
        let journal = try RunJournal(path: directory.journalPath)
        let progress = RunProgress(total: plan.keys.count, alreadyDone: plan.keys.count - todo.count, style: progressStyle)
        var outcomes = finished
        var fatal: RunFileError?

        await withTaskGroup(of: (String, RolloutRecord?, RunFileError?).self) { group in
            var next = todo.makeIterator()
            func startNext() -> Bool {
                guard fatal == nil, let key = next.next() else { return false }
                group.addTask { await self.runOne(key, journal: journal, progress: progress) }
                return true
            }
            for _ in 0..<concurrency where !startNext() { break }
            while let (key, record, error) = await group.next() {
                if let record { outcomes[key] = record.outcome }
                if let error, fatal == nil { fatal = error }
                _ = startNext()
            }
        }
        await progress.close()
        if let fatal { throw fatal }
        let done = plan.keys.compactMap { key in outcomes[key.description].map { (key.description, key.conditionID, $0) } }
        let table = SummaryTable(conditions: plan.conditions.map(\.id), outcomes: done.map { ($0.1, $0.2) })
        try RunFiles.writeAtomically(directory.summaryPath, Array(table.json.prettyString().utf8) + [0x0A])
        return Result(outcomes: done, skipped: finished.count, setAside: setAside, table: table)
    }

    /// One episode: journal `started`, run the loop, journal `finished` with the outcome.
    /// A failure to write the journal stops the run (resume could not be trusted).
    func runOne(_ key: RunPlan.Key, journal: RunJournal, progress: RunProgress) async -> (String, RolloutRecord?, RunFileError?) {
        let relative = directory.relativeEpisodeDirectory(key)
        let folder = directory.episodeDirectory(key)
        do { try await journal.append(JournalEntry(key: key.description, event: .started, dir: relative)) } catch {
            return (key.description, nil, error)
        }
        let scenario = plan.conditions[key.condition].scenario
        var record: RolloutRecord
        do throws(EpisodeError) {
            let episode = try Episode(scenario: scenario, options: .init(seed: plan.seed(key), recordTo: folder))
            record = await RolloutLoop.run(episode: episode, provider: provider, config: loop, pricing: pricing,
                                           outcomeDecidedByCaller: true)
            // The outcome is decided from the folder alone, by the same classifier that
            // `terrarium grade RUN_DIR` runs later, so the journal, rollout.json, the progress
            // line and a re-grade all say the same thing.
            let decided = await classifier.classify(directory: folder)
            do {
                try RolloutFileFields.read(directory: folder).write(outcome: decided.outcome, grading: decided.json, to: folder)
                record.outcome = decided.outcome
                record.outcomeReason = decided.reason
            } catch {
                record.outcome = .environmentError
                record.outcomeReason = "rollout.json could not be rewritten: \(error)"
            }
        } catch {
            // No episode to end: the record says why, in a folder of its own.
            let failed = RolloutRecord(outcome: .environmentError, stop: .environmentError, turns: 0, toolCalls: 0, usage: TokenUsage(),
                                       cost: nil, error: "the episode could not start: \(error)", outcomeReason: "the episode could not start")
            do {
                try RunFiles.makeDirectories(folder)
                try failed.write(directory: folder)
            } catch { return (key.description, nil, error) }
            record = failed
        }
        do {
            try await journal.append(JournalEntry(key: key.description, event: .finished, dir: relative, outcome: record.outcome))
        } catch { return (key.description, nil, error) }
        await progress.finished(key: key.description, record: record)
        return (key.description, record, nil)
    }
}
