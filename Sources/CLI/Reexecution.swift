import TerrariumBase
import TerrariumEpisode
import TerrariumRecording

#if canImport(Glibc)
import Glibc
#endif

/// `replay --reexecute`: makes every recorded tool call again, in order, in a fresh episode
/// that starts from the recorded initial world (shell commands really run again), and
/// compares what each call recorded with what it records now. A deterministic scenario and
/// agent give identical events (host measurements in `wall` aside); each difference is
/// reported with the recorded seq and the first field that differs.
struct Reexecution {
    let directory: String

    struct Divergence {
        var seq: Int
        var call: Int
        var tool: String
        var what: String
    }

    struct Report {
        var calls = 0
        var events = 0
        var divergences: [Divergence] = []
        var recordedFinal = ""
        var reexecutedFinal = ""
    }

    func run() async throws -> Report {
        let recorded = try EpisodeReader(directory: directory).walk(keepEvents: true)
        if let error = recorded.error { throw ReexecutionError("the recording does not verify, so it cannot be re-executed: \(error)") }
        let scratch = "/tmp/terrarium-reexecute-\(getpid())-\(EpisodeNaming.newID().prefix(8))"
        defer { _ = system("rm -rf '\(scratch)'") }
        let fresh = try Episode.fork(recorded: directory, at: 0, options: .init(recordTo: scratch))
        let original = Reexecution.calls(recorded.events)
        var report = Report()
        var stoppedAt: Int?
        for (index, group) in original.enumerated() {
            guard let called = group.first, let tool = called.payload["tool"]?.stringValue else { continue }
            do {
                _ = try await fresh.call(tool, arguments: called.payload["arguments"] ?? .object([:]))
                report.calls += 1
            } catch {
                report.divergences.append(Divergence(seq: called.seq, call: index + 1, tool: tool,
                                                     what: "re-executing failed: \(error)"))
                stoppedAt = index
                break
            }
        }
        if stoppedAt == nil { try? await fresh.end(reason: "re-executed") }
        let again = try EpisodeReader(directory: scratch).walk(keepEvents: true)
        let redone = Reexecution.calls(again.events)
        for (index, group) in original.enumerated() {
            if let stoppedAt, index >= stoppedAt { break }
            let tool = group.first?.payload["tool"]?.stringValue ?? "?"
            report.events += group.count
            guard index < redone.count else {
                report.divergences.append(Divergence(seq: group.first?.seq ?? 0, call: index + 1, tool: tool,
                                                     what: "the call was not re-executed"))
                continue
            }
            if let d = Reexecution.compare(group, redone[index]) {
                report.divergences.append(Divergence(seq: d.seq, call: index + 1, tool: tool, what: d.what))
            }
        }
        report.recordedFinal = recorded.world.stateHash.tagged
        report.reexecutedFinal = again.world.stateHash.tagged
        return report
    }

    /// The events of each tool call (from its tool.called to the event before the next).
    static func calls(_ events: [EventRecord]) -> [[EventRecord]] {
        var groups: [[EventRecord]] = []
        for e in events {
            if e.kind == "tool.called" { groups.append([e]) } else if e.kind != "episode.ended" && e.kind != "agent.message" && !groups.isEmpty {
                // agent.message is what the model said, not an event of the call: a
                // re-execution makes the calls only, so it is left out of the comparison.
                groups[groups.count - 1].append(e)
            }
        }
        return groups
    }

    /// The first difference between a recorded call and its re-execution, if any.
    static func compare(_ a: [EventRecord], _ b: [EventRecord]) -> (seq: Int, what: String)? {
        let baseA = a.first?.seq ?? 0, baseB = b.first?.seq ?? 0
        for i in 0..<max(a.count, b.count) {
            guard i < a.count else { return (b[i].seq - baseB + baseA, "an extra event \(b[i].kind) was recorded") }
            guard i < b.count else { return (a[i].seq, "\(a[i].kind) was not recorded again") }
            let x = a[i], y = b[i]
            if x.kind != y.kind { return (x.seq, "kind: recorded \(x.kind), re-executed \(y.kind)") }
            if x.time != y.time { return (x.seq, "\(x.kind) time: recorded \(x.time), re-executed \(y.time)") }
            let px = relative(x.payload, baseA), py = relative(y.payload, baseB)
            if let d = difference(.object(px), .object(py), path: "payload") { return (x.seq, "\(x.kind) \(d)") }
            if x.state != y.state { return (x.seq, "\(x.kind) state: recorded \(x.state.tagged), re-executed \(y.state.tagged)") }
        }
        return nil
    }

    /// Seq references (`cause`, `shell`) made relative to the call's first event.
    static func relative(_ payload: [String: JSON], _ base: Int) -> [String: JSON] {
        var p = payload
        for key in ["cause", "shell"] {
            if let v = p[key]?.intValue { p[key] = .int(v - Int64(base)) }
        }
        return p
    }

    static func difference(_ a: JSON, _ b: JSON, path: String) -> String? {
        if a == b { return nil }
        switch (a, b) {
        case (.object(let x), .object(let y)):
            if let s1 = x["sha256"], let s2 = y["sha256"], s1 != s2 {
                return "\(path): recorded \(shown(a)), re-executed \(shown(b))"
            }
            for key in Set(x.keys).union(y.keys).sorted() {
                guard let u = x[key] else { return "\(path).\(key): absent in the recording" }
                guard let v = y[key] else { return "\(path).\(key): absent in the re-execution" }
                if let d = difference(u, v, path: path + "." + key) { return d }
            }
            return nil
        case (.array(let x), .array(let y)):
            if x.count != y.count { return "\(path): \(x.count) items recorded, \(y.count) re-executed" }
            for (i, (u, v)) in zip(x, y).enumerated() {
                if let d = difference(u, v, path: "\(path)[\(i)]") { return d }
            }
            return nil
        default:
            return "\(path): recorded \(shown(a)), re-executed \(shown(b))"
        }
    }

    static func shown(_ v: JSON) -> String {
        if let text = v["text"]?.stringValue { return shown(.string(text)) }
        if let sha = v["sha256"]?.stringValue { return "sha256 \(sha.prefix(12))…" }
        let s = v.canonicalString()
        return s.count > 80 ? String(s.prefix(77)) + "…" : s
    }
}

struct ReexecutionError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
