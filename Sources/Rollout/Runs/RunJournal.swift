import TerrariumBase

#if canImport(Glibc)
import Glibc
#endif

/// One line of `journal.jsonl`.
public struct JournalEntry: Sendable, Equatable {
    public enum Event: String, Sendable { case started, finished }
    public var key: String
    public var event: Event
    /// The episode folder, relative to the run folder.
    public var dir: String
    public var outcome: Outcome?

    public init(key: String, event: Event, dir: String, outcome: Outcome? = nil) {
        self.key = key; self.event = event; self.dir = dir; self.outcome = outcome
    }

    var json: JSON {
        var o: [String: JSON] = ["key": .string(key), "event": .string(event.rawValue), "dir": .string(dir)]
        if let outcome { o["outcome"] = .string(outcome.rawValue) }
        return .object(o)
    }
}

/// `journal.jsonl`: append-only, one line per episode start and finish, each written
/// with one write(2) and fsync'd before the runner goes on, so after a crash the journal
/// says exactly which episodes finished. An actor: episodes finish concurrently.
public actor RunJournal {
    public nonisolated let path: String
    private let file: AppendFile

    /// Opens the journal for appending; a torn last line (the process died mid-write) is
    /// cut off first, so the next line starts clean.
    public init(path: String) throws(RunFileError) {
        self.path = path
        if RunFiles.exists(path) {
            let bytes = try RunFiles.read(path)
            if let last = bytes.last, last != 0x0A {
                let keep = (bytes.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
                guard truncate(path, off_t(keep)) == 0 else { throw RunFileError("\(path): cannot cut the torn last line (errno \(errno))") }
            }
        }
        file = try AppendFile(path: path, sync: true)
    }

    public func append(_ entry: JournalEntry) throws(RunFileError) { try file.append(entry.json) }

    /// The entries of a journal file (none when it does not exist). A torn last line is
    /// ignored; any other bad line is an error naming it.
    public static func read(path: String) throws(RunFileError) -> [JournalEntry] {
        guard RunFiles.exists(path) else { return [] }
        let bytes = try RunFiles.read(path)
        var entries: [JournalEntry] = []
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() {
            if line.isEmpty { continue }
            let complete = i < lines.count - 1
            let value: JSON
            do { value = try JSON.parse(Array(line)) } catch {
                if !complete { break }
                throw RunFileError("\(path):\(i + 1): \(error)")
            }
            guard let key = value["key"]?.stringValue, let e = value["event"]?.stringValue,
                  let event = JournalEntry.Event(rawValue: e), let dir = value["dir"]?.stringValue else {
                throw RunFileError("\(path):\(i + 1): expected {\"key\", \"event\": \"started\"|\"finished\", \"dir\"}")
            }
            var outcome: Outcome?
            if let o = value["outcome"]?.stringValue {
                guard let parsed = Outcome(rawValue: o) else { throw RunFileError("\(path):\(i + 1): unknown outcome \"\(o)\"") }
                outcome = parsed
            }
            if event == .finished && outcome == nil { throw RunFileError("\(path):\(i + 1): a finished entry without an outcome") }
            entries.append(JournalEntry(key: key, event: event, dir: dir, outcome: outcome))
        }
        return entries
    }
}
