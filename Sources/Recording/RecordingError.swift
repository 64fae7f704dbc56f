/// Why recording or reading an episode failed. These are failures of ours or of the disk,
/// never of the agent, and are reported as such.
public enum RecordingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed on a path.
    case io(path: String, operation: String, errno: Int32)
    /// A line of events.jsonl could not be read or does not fit the chain.
    case badEvent(line: Int, seq: Int?, message: String)
    /// The last line was cut short (the process died while writing it).
    case tornTail(line: Int, bytes: Int)
    /// Replaying the effects did not give the recorded state.
    case stateMismatch(seq: Int, expected: String, actual: String)
    case badManifest(String)
    case badBlob(String)

    public var description: String {
        switch self {
        case .io(let path, let op, let e): return "\(op) \(path): \(errnoDescription(e))"
        case .badEvent(let line, let seq, let m):
            return "events.jsonl line \(line)" + (seq.map { " (seq \($0))" } ?? "") + ": \(m)"
        case .tornTail(let line, let bytes):
            return "events.jsonl line \(line) is torn: \(bytes) bytes with no line end (the writer died mid-write)"
        case .stateMismatch(let seq, let e, let a):
            return "seq \(seq): state after replay is \(a), the recording says \(e)"
        case .badManifest(let m): return "episode.json: \(m)"
        case .badBlob(let m): return "blobs: \(m)"
        }
    }

    /// The sequence number this error names, when it names one.
    public var seq: Int? {
        switch self {
        case .badEvent(_, let s, _): return s
        case .stateMismatch(let s, _, _): return s
        default: return nil
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func errnoDescription(_ e: Int32) -> String {
    String(cString: strerror(e)) + " (errno \(e))"
}
