#if canImport(Glibc)
import Glibc
#endif

/// Monotonic nanoseconds.
func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Times `body` `iterations` times; returns per-iteration durations in seconds, sorted.
func sample(_ iterations: Int, _ body: () throws -> Void) rethrows -> [Double] {
    var out: [Double] = []
    out.reserveCapacity(iterations)
    for _ in 0..<iterations {
        let start = now()
        try body()
        out.append(Double(now() - start) / 1e9)
    }
    return out.sorted()
}

func sampleAsync(_ iterations: Int, _ body: () async throws -> Void) async rethrows -> [Double] {
    var out: [Double] = []
    for _ in 0..<iterations {
        let start = now()
        try await body()
        out.append(Double(now() - start) / 1e9)
    }
    return out.sorted()
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

/// Milliseconds with three decimals.
func ms(_ seconds: Double) -> String {
    let v = (seconds * 1e6).rounded() / 1e3
    return "\(v) ms"
}

func µs(_ seconds: Double) -> String {
    let v = (seconds * 1e7).rounded() / 10
    return "\(v) µs"
}

/// `a` as a multiple of `b`: "2.31×", or "1/5200" when far below one.
func ratio(_ a: Double, _ b: Double) -> String {
    let v = a / b
    if v < 0.05 { return "1/\(Int((b / a).rounded()))" }
    return "\((v * 100).rounded() / 100)×"
}

/// One result line, also collected for the summary table.
struct Figure {
    var name: String
    var value: String
    var target: String
    var pass: Bool
    var baseline: String
}

final class Report {
    var figures: [Figure] = []
    func add(_ f: Figure) {
        figures.append(f)
        print("  \(f.pass ? "PASS" : "MISS")  \(f.name): \(f.value) (target \(f.target)); \(f.baseline)")
    }
}

/// CPU seconds (user + system) used by the whole process so far. Rates per CPU-second do
/// not depend on what else the machine is running, unlike rates per wall-clock second.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
