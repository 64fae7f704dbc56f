import TerrariumBase

/// The fields of an episode's `rollout.json` that grading reads and writes
/// (docs/design/rollouts.md: `{"outcome", "stop", "turns", "usage", "cost", "error"}`,
/// written by the rollout loop). Every other field is kept as it is when the file is
/// rewritten.
public struct RolloutFileFields: Sendable, Equatable {
    public static let fileName = "rollout.json"

    /// The whole file as read.
    public var json: [String: JSON]

    public init(json: [String: JSON]) { self.json = json }

    /// Why rollout.json could not be read or written.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    public static func read(directory: String) throws(Problem) -> RolloutFileFields {
        let path = directory + "/" + fileName
        let bytes: [UInt8]
        do { bytes = try GradingFiles.read(path) } catch { throw Problem(path: path, message: "cannot read it") }
        let parsed: JSON
        do { parsed = try JSON.parse(bytes) } catch { throw Problem(path: path, message: error.description) }
        guard let object = parsed.objectValue else { throw Problem(path: path, message: "expected a JSON object, found \(parsed.typeName)") }
        if let o = object["outcome"], o != .null, o.stringValue.flatMap(Outcome.init(rawValue:)) == nil {
            throw Problem(path: path, message: "\"outcome\": expected one of \(Outcome.allCases.map(\.rawValue).joined(separator: ", ")), found \(o.canonicalString())")
        }
        return RolloutFileFields(json: object)
    }

    /// The loop's own verdict on how the episode went: the outcome it wrote, kept in
    /// `loopOutcome` once grading has rewritten `outcome` (so re-grading still knows the
    /// episode timed out, hit a budget, or failed to parse).
    public var loopOutcome: Outcome? {
        (json["loopOutcome"] ?? json["outcome"])?.stringValue.flatMap(Outcome.init(rawValue:))
    }

    /// Why the loop stopped (`end_turn`, `max_turns`, `refusal`, `model_error`, ...).
    public var stop: String { json["stop"]?.stringValue ?? "" }
    public var error: String? { json["error"]?.stringValue }

    /// Rewrites the file atomically with the graded outcome and its grading details.
    public func write(outcome: Outcome, grading: JSON, to directory: String) throws(Problem) {
        var out = json
        if out["loopOutcome"] == nil { out["loopOutcome"] = out["outcome"] ?? .null }
        out["outcome"] = .string(outcome.rawValue)
        out["grading"] = grading
        var bytes = Array(JSON.object(out).prettyString().utf8)
        bytes.append(0x0A)
        let path = directory + "/" + RolloutFileFields.fileName
        do { try GradingFiles.atomicWrite(path, bytes) } catch { throw Problem(path: path, message: error.description) }
    }
}
