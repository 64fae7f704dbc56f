import TerrariumBase
import TerrariumWorld

/// Reads an episode directory back: the manifest, the initial world, and the events, and
/// rebuilds the world by re-applying each recorded effect. Needs nothing but the directory.
public struct EpisodeReader {
    public let directory: String
    public let manifest: EpisodeManifest
    public let blobs: BlobStore

    public init(directory: String) throws(RecordingError) {
        self.directory = directory
        self.manifest = try EpisodeManifest.read(directory: directory)
        self.blobs = BlobStore(directory: directory + "/blobs")
    }

    public var codec: RecordingContentCodec { RecordingContentCodec(store: blobs) }

    /// The world as the episode began, checked against the manifest's state hash.
    public func initialWorld() throws(RecordingError) -> World {
        // The blob is read and its digest checked every time (a missing or altered blob is
        // always found); decoding it is done once per process per distinct snapshot.
        let bytes = try blobs.read(manifest.initialSnapshot)
        let world: World
        if let known = InitialWorldCache.shared[manifest.initialSnapshot] {
            world = known
        } else {
            do { world = try World(snapshot: try JSON.parse(bytes), codec) } catch {
                throw .badBlob("initial snapshot: \(error)")
            }
            InitialWorldCache.shared.keep(world, for: manifest.initialSnapshot)
        }
        guard world.stateHash == manifest.initialStateHash else {
            throw .badManifest("initial snapshot hashes to \(world.stateHash.tagged), manifest says \(manifest.initialStateHash.tagged)")
        }
        return world
    }

    /// The bytes of `grading.json` (the predicates the episode was started with), checked
    /// against the digest in the manifest; nil when the manifest names none.
    public func gradingDocument() throws(RecordingError) -> [UInt8]? {
        guard let digest = manifest.grading else { return nil }
        let bytes = try FileIO.readAll(directory + "/grading.json")
        guard Digest.sha256(bytes) == digest else {
            throw .badManifest("grading.json does not match the sha256 episode.json recorded for it")
        }
        return bytes
    }

    public func eventLog() throws(RecordingError) -> EventLogText {
        EventLogText(try FileIO.readAll(directory + "/events.jsonl"))
    }

    /// The result of walking the log.
    public struct Walk {
        public var world: World
        public var events: [EventRecord]
        /// The first problem found; the walk stops there.
        public var error: RecordingError?
        /// A torn last line, reported apart: the prefix before it is still checked.
        public var tornTail: RecordingError?
        public var lastHash: Digest
        /// Lines (complete events) in the log, however far the walk went.
        public var lineCount = 0
        /// The world right after the event `capture` named, when the walk got that far.
        public var captured: World?
    }

    /// Re-applies events in order, checking each line's own hash, the chain, the seq and the
    /// state hash, up to `limit` (a seq) or the end. Stops at the first problem.
    /// `capture`: also keep the world as it was right after that seq (so one pass can both
    /// verify the whole log and show the world at a point).
    /// `initial`: the world `initialWorld()` returned, when the caller already has it (it
    /// is decoded and checked once, not twice).
    public func walk(upTo limit: Int? = nil, keepEvents: Bool = false, capture: Int? = nil,
                     from initial: World? = nil) throws(RecordingError) -> Walk {
        var world: World
        if let initial { world = initial } else { world = try initialWorld() }
        let log = try eventLog()
        let codec = self.codec
        var walk = Walk(world: world, events: [], error: nil, tornTail: nil, lastHash: manifest.initialSnapshot)
        walk.lineCount = log.lines.count
        if let tail = log.tornTail { walk.tornTail = .tornTail(line: log.lines.count + 1, bytes: tail.count) }
        for (index, bytes) in log.lines.enumerated() {
            let expected = index + 1
            if let limit, expected > limit { break }
            do throws(RecordingError) {
                let record = try EventRecord(parsing: bytes, line: expected)
                guard record.seq == expected else {
                    let why = record.seq > expected ? "an event is missing or out of order" : "events are out of order"
                    throw .badEvent(line: expected, seq: expected, message: "expected seq \(expected), found \(record.seq): \(why)")
                }
                // The line's own bytes first; a line laid out otherwise is re-encoded.
                let hash = record.lineHash == record.claimedHash ? record.lineHash ?? record.hash : record.hash
                guard record.claimedHash == hash else {
                    throw .badEvent(line: expected, seq: expected, message: "the line does not match its own hash (it was altered)")
                }
                guard record.prev == walk.lastHash else {
                    throw .badEvent(line: expected, seq: expected, message: "chain broken: prev is not the hash of the event before")
                }
                // A long tool output lives in blobs/: check it is there and intact.
                if let output = record.payload["output"], output["blob"]?.boolValue == true {
                    do { _ = try codec.decode(output) } catch {
                        throw .badEvent(line: expected, seq: expected, message: "tool output: \(error.message)")
                    }
                }
                if let effectJSON = record.payload["effect"] {
                    do {
                        try world.apply(try WorldCoding.effect(effectJSON, codec))
                    } catch {
                        throw .badEvent(line: expected, seq: expected, message: "effect cannot be applied: \(error.message)")
                    }
                }
                guard world.stateHash == record.state else {
                    throw .stateMismatch(seq: expected, expected: record.state.tagged, actual: world.stateHash.tagged)
                }
                walk.lastHash = hash
                if expected == capture { walk.captured = world }
                if keepEvents { walk.events.append(record) }
            } catch {
                // A line too damaged to show its seq is still named by the seq it should have.
                if case .badEvent(let line, nil, let message) = error {
                    walk.error = .badEvent(line: line, seq: expected, message: message)
                } else {
                    walk.error = error
                }
                break
            }
        }
        walk.world = world
        return walk
    }
}
