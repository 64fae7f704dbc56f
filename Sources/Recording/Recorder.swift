import TerrariumBase
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When the recorder asks the disk to make writes durable.
public enum FsyncPolicy: String, Sendable, CaseIterable {
    /// Events reach the kernel before the tool result returns: they survive the process
    /// being killed, not the machine losing power.
    case never
    /// Also `fdatasync` the log (and new blobs) once per tool call: survives power loss.
    case everyCall = "every-call"
}

/// Writes one episode directory: `episode.json`, `events.jsonl`, `blobs/`.
///
/// Events are staged with `stage` and written by `commit` — one `write(2)` per tool call,
/// after the blobs they name — so a tool result is never returned before its events are
/// in the file, and a kill can tear at most the batch in flight.
public final class Recorder {
    public let directory: String
    public let blobs: BlobStore
    public let codec: RecordingContentCodec
    public let fsync: FsyncPolicy
    public private(set) var manifest: EpisodeManifest
    public private(set) var lastSeq = 0
    public private(set) var lastHash: Digest
    private var staged: [UInt8] = []
    private var stagedCount = 0
    private var batchWall: String?
    private let fd: Int32

    /// Creates the directory (it must not hold an episode yet) and writes the initial
    /// snapshot, `grading.json` (when given: the manifest must name its digest) and the manifest.
    public init(directory: String, manifest: EpisodeManifest, initialSnapshot: [UInt8], fsync: FsyncPolicy,
                grading: [UInt8]? = nil) throws(RecordingError)
    {
        self.directory = directory
        self.blobs = BlobStore(directory: directory + "/blobs")
        self.codec = RecordingContentCodec(store: blobs)
        self.fsync = fsync
        self.manifest = manifest
        self.lastHash = manifest.initialSnapshot
        try FileIO.makeDirectories(directory)
        try FileIO.makeDirectory(directory + "/blobs")
        let sync = fsync == .everyCall
        try blobs.write(initialSnapshot, digest: manifest.initialSnapshot, sync: sync)
        if let grading {
            guard manifest.grading == Digest.sha256(grading) else { throw .badManifest("grading digest does not match grading.json") }
            try FileIO.atomicWrite(directory + "/grading.json", grading, sync: sync)
        }
        try manifest.write(directory: directory, sync: sync)
        let path = directory + "/events.jsonl"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "create", errno: errno) }
        self.fd = fd
        if sync { FileIO.syncDirectory(directory) }
    }

    deinit { close(fd) }

    /// The wall-clock time as recorded in `wall` fields and the manifest.
    public static func wallClockNow() -> String { WallClock.now() }

    /// Adds an event to the current batch and returns its seq.
    @discardableResult
    public func stage(kind: String, time: String, payload: [String: JSON], state: Digest,
                      measured: [String: JSON] = [:]) -> Int {
        lastSeq += 1
        var wall = measured
        // One timestamp per batch: the batch's events are written together anyway.
        if batchWall == nil { batchWall = WallClock.now() }
        wall["at"] = .string(batchWall ?? "")
        let record = EventRecord(seq: lastSeq, time: time, kind: kind, payload: payload, state: state,
                                 prev: lastHash, wall: wall)
        let (line, hash) = record.encoded()
        staged.append(contentsOf: line)
        stagedCount += 1
        lastHash = hash
        return lastSeq
    }

    /// Writes the staged events (after any blobs they reference) with one write.
    public func commit() throws(RecordingError) {
        guard stagedCount > 0 else { return }
        let sync = fsync == .everyCall
        try codec.flush(sync: sync)
        let bytes = staged
        staged.removeAll(keepingCapacity: true)
        stagedCount = 0
        batchWall = nil
        try FileIO.writeAll(fd, bytes, path: directory + "/events.jsonl")
        if sync && fdatasync(fd) != 0 { throw .io(path: directory + "/events.jsonl", operation: "fdatasync", errno: errno) }
    }

    /// Records how the episode ended in the manifest.
    public func finish(outcome: JSON) throws(RecordingError) {
        try commit()
        manifest.outcome = outcome
        try manifest.write(directory: directory, sync: fsync == .everyCall)
    }
}
