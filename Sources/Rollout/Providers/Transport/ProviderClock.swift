import Foundation

/// Time as the retry loop and the rate limiter see it. Injected so tests run the whole
/// retry sequence (and the per-minute limiter) without waiting for real.
public protocol ProviderClock: Sendable {
    /// Seconds on a monotonic scale (only differences matter).
    func now() async -> Double
    func sleep(seconds: Double) async
}

/// The real clock.
public struct SystemProviderClock: ProviderClock {
    public init() {}
    public func now() async -> Double {
        let t = Self.origin.duration(to: .now)
        return Double(t.components.seconds) + Double(t.components.attoseconds) / 1e18
    }
    public func sleep(seconds: Double) async {
        guard seconds > 0 else { return }
        try? await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded())))
    }
    private static let origin = ContinuousClock.now
}

/// A clock that never waits: `sleep` moves its time forward and remembers the wait.
/// Used by tests (exact wait sequences) and usable for dry runs.
public actor VirtualProviderClock: ProviderClock {
    public private(set) var time: Double
    public private(set) var sleeps: [Double] = []
    public init(start: Double = 0) { time = start }
    public func now() -> Double { time }
    public func sleep(seconds: Double) {
        sleeps.append(seconds)
        if seconds > 0 { time += seconds }
    }
}
