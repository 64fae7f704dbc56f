import TerrariumBase

/// A run directory as grading reads it (docs/design/rollouts.md "Runs"): `run.json`,
/// `journal.jsonl` and `episodes/<condition>/<k>/`.
public struct RecordedRun: Sendable {
    public let path: String
    public init(path: String) { self.path = path }

    public static let runFile = "run.json"
    public static let journalFile = "journal.jsonl"
    public static let summaryFile = "summary.json"
    public static let judgeCache = "judge-cache"

    /// True when the folder is a run (it has run.json), not a single episode.
    public static func isRun(_ path: String) -> Bool { GradingFiles.exists(path + "/" + runFile) }

    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// One finished episode of the run.
    public struct Entry: Sendable, Equatable {
        /// "<condition>/<k>".
        public var key: String
        public var condition: String
        public var index: Int
        public var directory: String
    }

    public func configuration() throws(Problem) -> [String: JSON] {
        let file = path + "/" + RecordedRun.runFile
        do {
            guard let object = try JSON.parse(try GradingFiles.read(file)).objectValue else {
                throw Problem(description: "\(file): expected a JSON object")
            }
            return object
        } catch let p as Problem { throw p } catch { throw Problem(description: "\(file): \(error)") }
    }

    /// The finished episodes the journal names, in the order they first started (so
    /// conditions keep the run's order). A key finished twice counts once, with its last
    /// directory; a torn last line (the runner died mid-write) is not a finished entry.
    public func finishedEpisodes() throws(Problem) -> [Entry] {
        let file = path + "/" + RecordedRun.journalFile
        let bytes: [UInt8]
        do { bytes = try GradingFiles.read(file) } catch { throw Problem(description: "\(file): cannot read the journal") }
        var order: [String] = []
        var finished: [String: String] = [:]
        var lineNumber = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            lineNumber += 1
            if line.isEmpty { continue }
            let json: JSON
            do { json = try JSON.parse(Array(line)) } catch {
                throw Problem(description: "\(file):\(lineNumber): \(error)")
            }
            guard let key = json["key"]?.stringValue, let event = json["event"]?.stringValue else {
                throw Problem(description: "\(file):\(lineNumber): expected {\"key\", \"event\", ...}")
            }
            if !order.contains(key) { order.append(key) }
            if event == "finished" {
                let dir = json["dir"]?.stringValue ?? "episodes/" + key
                finished[key] = dir.hasPrefix("/") ? dir : path + "/" + dir
            }
        }
        var entries: [Entry] = []
        for key in order {
            guard let directory = finished[key] else { continue }
            guard let slash = key.lastIndex(of: "/"), let index = Int(key[key.index(after: slash)...]) else {
                throw Problem(description: "\(file): key \"\(key)\" is not <condition>/<k>")
            }
            entries.append(Entry(key: key, condition: String(key[..<slash]), index: index, directory: directory))
        }
        return entries
    }
}

/// `terrarium grade RUN_DIR`: re-decides every finished episode's outcome offline,
/// rewrites each rollout.json's outcome and the run's summary.json.
public struct RunGrader: Sendable {
    public var run: RecordedRun
    public var classifier: OutcomeClassifier

    public init(run: RecordedRun, classifier: OutcomeClassifier) { self.run = run; self.classifier = classifier }

    public struct Graded: Sendable {
        public var entry: RecordedRun.Entry
        public var classification: Classification
    }

    public struct Result: Sendable {
        public var episodes: [Graded]
        public var table: ConditionTable
    }

    public func gradeAll() async throws(RecordedRun.Problem) -> Result {
        let configuration = try run.configuration()
        let entries = try run.finishedEpisodes()
        var graded: [Graded] = []
        for entry in entries {
            var c = await classifier.classify(directory: entry.directory)
            // rollout.json may be what could not be read; then there is nothing to rewrite.
            if let fields = try? RolloutFileFields.read(directory: entry.directory) {
                do { try fields.write(outcome: c.outcome, grading: c.json, to: entry.directory) } catch {
                    c = Classification(outcome: .environmentError, reason: error.description)
                }
            }
            graded.append(Graded(entry: entry, classification: c))
        }
        let table = ConditionTable(graded.map { EpisodeTally(condition: $0.entry.condition, outcome: $0.classification.outcome,
                                                             evalAware: $0.classification.evalAwareness.aware) },
                                   maxK: RunGrader.episodesPerCondition(configuration))
        var summary = table.json.objectValue ?? [:]
        summary["judge"] = classifier.judge?.configuration.json ?? .null
        let file = run.path + "/" + RecordedRun.summaryFile
        do { try GradingFiles.atomicWrite(file, Array(JSON.object(summary).prettyString().utf8) + [0x0A]) } catch {
            throw RecordedRun.Problem(description: error.description)
        }
        return Result(episodes: graded, table: table)
    }

    /// `episodes` (or `episodesPerCondition`) from run.json: the N of pass@k's k = 1…N.
    static func episodesPerCondition(_ configuration: [String: JSON]) -> Int? {
        for key in ["episodesPerCondition", "episodes"] {
            if let n = configuration[key]?.intValue, n > 0 { return Int(n) }
        }
        return nil
    }
}
