import TerrariumBase

/// One line of `events.jsonl`.
///
/// The line is the canonical JSON of `{hash, seq, time, kind, payload, state, prev, wall}`.
/// The event's hash is SHA-256 over the object *without* `hash` and `wall`. `wall` holds
/// everything measured on the host rather than decided by the world — `at` (when it was
/// written) and, for some events, measurements such as a command's duration — so none of
/// it ever enters a hash; `prev` is the previous event's hash (for seq 1: the digest of the
/// initial world snapshot), which chains every line to everything before it.
public struct EventRecord: Sendable {
    public var seq: Int
    /// Virtual time, in the world's display offset.
    public var time: String
    public var kind: String
    public var payload: [String: JSON]
    public var state: Digest
    public var prev: Digest
    /// Host measurements: `at` (wall-clock time of writing) and optional extras.
    public var wall: [String: JSON]
    /// The hash the line claims for itself (nil for records built in memory).
    public var claimedHash: Digest?
    /// The SHA-256 of the line's own hashed part, taken from its bytes, when the line has
    /// the layout `encoded()` writes (nil otherwise). Verifying with it skips re-encoding
    /// the payload; a line that does not match it is checked the slow way (`hash`).
    public var lineHash: Digest?

    public init(seq: Int, time: String, kind: String, payload: [String: JSON], state: Digest, prev: Digest, wall: [String: JSON]) {
        self.seq = seq
        self.time = time
        self.kind = kind
        self.payload = payload
        self.state = state
        self.prev = prev
        self.wall = wall
    }

    /// The canonical bytes of the hashed part: `{"kind","payload","prev","seq","state","time"}`
    /// written field by field in key order (the keys are fixed, so no sorting is needed).
    func hashedBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(contentsOf: "{\"kind\":".utf8)
        JSON.writeString(kind, into: &out)
        out.append(contentsOf: ",\"payload\":".utf8)
        JSON.object(payload).write(into: &out, pretty: false, indent: 0)
        out.append(contentsOf: ",\"prev\":\"sha256:".utf8)
        prev.appendHex(to: &out)
        out.append(contentsOf: "\",\"seq\":".utf8)
        out.append(contentsOf: String(seq).utf8)
        out.append(contentsOf: ",\"state\":\"sha256:".utf8)
        state.appendHex(to: &out)
        out.append(contentsOf: "\",\"time\":".utf8)
        JSON.writeString(time, into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The line to append (with its newline) and the event's hash. The line also carries
    /// the hash itself, so an altered line is named by its own seq.
    public func encoded() -> (line: [UInt8], hash: Digest) {
        let hashed = hashedBytes()
        let hash = Digest.sha256(hashed)
        // "hash" sorts before every other key and "wall" after, so splicing them in at the
        // ends keeps the line canonical.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hashed.count + 140)
        bytes.append(contentsOf: "{\"hash\":\"sha256:".utf8)
        hash.appendHex(to: &bytes)
        bytes.append(contentsOf: "\",".utf8)
        bytes.append(contentsOf: hashed[1..<(hashed.count - 1)])
        bytes.append(contentsOf: ",\"wall\":".utf8)
        JSON.object(wall).write(into: &bytes, pretty: false, indent: 0)
        bytes.append(contentsOf: "}\n".utf8)
        return (bytes, hash)
    }

    public var hash: Digest { Digest.sha256(hashedBytes()) }

    /// Reads a line back; `line` is the 1-based line number, for the error.
    public init(parsing bytes: ArraySlice<UInt8>, line: Int) throws(RecordingError) {
        let json: JSON
        do { json = try JSON.parse(Array(bytes)) } catch {
            throw .badEvent(line: line, seq: nil, message: "not valid JSON (\(error.description))")
        }
        let seq = json["seq"]?.intValue.map(Int.init)
        func field(_ key: String) throws(RecordingError) -> String {
            guard let s = json[key]?.stringValue else {
                throw .badEvent(line: line, seq: seq, message: "missing or non-string \"\(key)\"")
            }
            return s
        }
        func digest(_ key: String) throws(RecordingError) -> Digest {
            guard let d = Digest(hex: try field(key)) else {
                throw .badEvent(line: line, seq: seq, message: "\"\(key)\" is not a sha256 digest")
            }
            return d
        }
        guard let seq else { throw .badEvent(line: line, seq: nil, message: "missing or non-integer \"seq\"") }
        guard let payload = json["payload"]?.objectValue else {
            throw .badEvent(line: line, seq: seq, message: "missing or non-object \"payload\"")
        }
        self.init(seq: seq, time: try field("time"), kind: try field("kind"), payload: payload,
                  state: try digest("state"), prev: try digest("prev"), wall: json["wall"]?.objectValue ?? [:])
        self.claimedHash = try digest("hash")
        self.lineHash = EventRecord.hashOfHashedPart(bytes, wall: wall)
    }

    /// `{"hash":"sha256:<64 hex>",` + part + `,"wall":<wall>}`: the digest of `{part}`, the
    /// bytes `hashedBytes()` gives for a line `encoded()` wrote. The wall is matched as
    /// its canonical encoding, so the part holds every other member and nothing else.
    static func hashOfHashedPart(_ line: ArraySlice<UInt8>, wall: [String: JSON]) -> Digest? {
        let head = "{\"hash\":\"sha256:".utf8
        var tail = Array(",\"wall\":".utf8)
        JSON.object(wall).write(into: &tail, pretty: false, indent: 0)
        tail.append(UInt8(ascii: "}"))
        let partStart = line.startIndex + head.count + 64 + 2  // the hex digest, then `",`
        let partEnd = line.endIndex - tail.count
        guard partEnd > partStart, line.starts(with: head), line[partStart - 2] == UInt8(ascii: "\""),
              line[partStart - 1] == UInt8(ascii: ","), line[partEnd...].elementsEqual(tail)
        else { return nil }
        return Digest.sha256(parts: [[UInt8(ascii: "{")][...], line[partStart..<partEnd], [UInt8(ascii: "}")][...]])
    }


}

/// Splits events.jsonl into lines, telling a torn last line (no newline: the writer died
/// mid-write) from the rest.
public struct EventLogText {
    public var lines: [ArraySlice<UInt8>]
    /// The bytes after the last newline, if any.
    public var tornTail: ArraySlice<UInt8>?

    public init(_ bytes: [UInt8]) {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            lines.append(bytes[start..<newline])
            start = newline + 1
        }
        self.lines = lines
        self.tornTail = start < bytes.count ? bytes[start...] : nil
    }
}
