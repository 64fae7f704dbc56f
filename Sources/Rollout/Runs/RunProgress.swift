import TerrariumBase

#if canImport(Glibc)
import Glibc
#endif

/// The progress of a run on stderr: done/total, failed, episodes per minute, ETA, tokens
/// and cost so far. On a terminal one line is redrawn in place; otherwise (a log file, CI)
/// one line per finished episode.
public actor RunProgress {
    public enum Style: Sendable { case redraw, lines, silent }

    let total: Int
    let style: Style
    let started = ContinuousClock.now
    /// Episodes finished before this process started (a resumed run): counted in done,
    /// not in the rate.
    let alreadyDone: Int
    private(set) var done = 0
    private(set) var failed = 0
    private(set) var tokens = 0
    private(set) var cost = 0.0
    private(set) var costUnknown = false
    private let write: @Sendable (String) -> Void

    public init(total: Int, alreadyDone: Int, style: Style? = nil,
                write: @escaping @Sendable (String) -> Void = RunProgress.toStderr) {
        self.total = total
        self.alreadyDone = alreadyDone
        self.style = style ?? (isatty(2) == 1 ? .redraw : .lines)
        self.write = write
    }

    public static let toStderr: @Sendable (String) -> Void = { text in
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    /// Failures of the run, not behaviour of the model.
    static func isFailure(_ o: Outcome) -> Bool {
        o == .modelError || o == .environmentError || o == .timeout || o == .graderError
    }

    public func finished(key: String, record: RolloutRecord) {
        done += 1
        if RunProgress.isFailure(record.outcome) { failed += 1 }
        tokens += record.usage.input + record.usage.output + record.usage.cacheRead + record.usage.cacheWrite
        if let c = record.cost { cost += c } else { costUnknown = true }
        switch style {
        case .redraw: write("\r\u{1B}[2K" + line())
        case .lines: write("\(key): \(record.outcome.rawValue) (\(record.stop.rawValue), \(record.turns) turns) — \(line())\n")
        case .silent: break
        }
    }

    /// Ends the redrawn line.
    public func close() { if style == .redraw && done > 0 { write("\n") } }

    public func line(now: ContinuousClock.Instant = .now) -> String {
        let elapsed = Double((now - started) / .milliseconds(1)) / 60_000
        let perMinute = elapsed > 0 ? Double(done) / elapsed : 0
        let all = alreadyDone + done
        let left = total - all
        var eta = "ETA —"
        if perMinute > 0 { eta = "ETA " + RunProgress.duration(Double(left) / perMinute * 60) }
        let costText = costUnknown ? "cost unknown" : "$" + format2(cost)
        return "\(all)/\(total) episodes, \(failed) failed, \(format1(perMinute))/min, \(eta), \(RunProgress.count(tokens)) tokens, \(costText)"
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(s % 60 < 10 ? "0" : "")\(s % 60)s" }
        return "\(s / 3600)h\((s % 3600) / 60 < 10 ? "0" : "")\((s % 3600) / 60)m"
    }

    static func count(_ n: Int) -> String {
        if n < 1000 { return "\(n)" }
        if n < 1_000_000 { return format1(Double(n) / 1000) + "k" }
        return format1(Double(n) / 1_000_000) + "M"
    }
}

/// One decimal place, without Foundation's locale-dependent formatting.
func format1(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
}

func format2(_ x: Double) -> String {
    let hundredths = Int((x * 100).rounded())
    let cents = abs(hundredths % 100)
    return "\(hundredths / 100).\(cents < 10 ? "0" : "")\(cents)"
}
