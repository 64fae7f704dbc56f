import TerrariumBase

/// When and how long to wait before trying a failed call again.
///
/// Backoff is exponential with full jitter: before retry n (0-based) the wait is uniform
/// in [0, min(maxDelay, baseDelay·2ⁿ)], drawn from a seeded generator so a test (or a
/// rerun) sees the same waits. A `retry-after-ms` or `retry-after` header from the server
/// replaces the drawn wait (capped at `maxServerDelay`): the server knows its own limits.
public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt; `maxRetries + 1` attempts in all.
    public var maxRetries: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// The longest server-requested wait we accept as is.
    public var maxServerDelay: Double
    /// 408 timeout, 409 conflict (Anthropic: retry), 429 rate limit, 5xx gateway trouble,
    /// 529 Anthropic overloaded.
    public static let retryableStatuses: Set<Int> = [408, 409, 429, 500, 502, 503, 504, 529]

    public init(maxRetries: Int = 6, baseDelay: Double = 1, maxDelay: Double = 60, maxServerDelay: Double = 600) {
        self.maxRetries = maxRetries; self.baseDelay = baseDelay; self.maxDelay = maxDelay
        self.maxServerDelay = maxServerDelay
    }

    public static func isRetryable(status: Int) -> Bool { retryableStatuses.contains(status) }

    /// The wait in seconds before retry `retry` (0 = the first retry).
    public func delay(retry: Int, serverDelay: Double?, random: inout SeededRandom) -> Double {
        if let serverDelay { return min(max(serverDelay, 0), maxServerDelay) }
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(retry, 30)))
        return ceiling * random.nextUnit()
    }

    /// The server's requested wait from `retry-after-ms` (milliseconds, preferred: finer)
    /// or `retry-after` (seconds; the HTTP-date form is not used by these APIs and is
    /// ignored). `headers` has lowercased names.
    public static func serverDelay(_ headers: [String: String]) -> Double? {
        if let ms = headers["retry-after-ms"].flatMap({ Double($0.trimmingSpaces) }), ms.isFinite, ms >= 0 { return ms / 1000 }
        if let s = headers["retry-after"].flatMap({ Double($0.trimmingSpaces) }), s.isFinite, s >= 0 { return s }
        return nil
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
