/// The per-provider admission control, shared by every episode using the provider:
/// at most `maxInFlight` requests open at once, and at most `requestsPerMinute` started
/// in any 60-second window. Waiters are served first come, first served.
public actor RequestGate {
    public let maxInFlight: Int
    public let requestsPerMinute: Int?
    private let clock: any ProviderClock
    private var inFlight = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// Start times of the requests of the last minute, oldest first.
    private var starts: [Double] = []

    public init(maxInFlight: Int, requestsPerMinute: Int?, clock: any ProviderClock) {
        self.maxInFlight = max(1, maxInFlight)
        self.requestsPerMinute = requestsPerMinute.map { max(1, $0) }
        self.clock = clock
    }

    /// Waits for a slot (concurrency first, then the per-minute window) and takes it.
    public func acquire() async {
        if inFlight >= maxInFlight {
            await withCheckedContinuation { waiting.append($0) }
            // `release` handed its slot straight to us: `inFlight` already counts it.
        } else {
            inFlight += 1
        }
        guard let rpm = requestsPerMinute else { return }
        while true {
            let now = await clock.now()
            starts.removeAll { $0 <= now - 60 }
            if starts.count < rpm {
                starts.append(now)
                return
            }
            // Wait until the oldest start leaves the window. Other callers may run while
            // we sleep (actor reentrancy), so check again afterwards.
            await clock.sleep(seconds: starts[0] + 60 - now)
        }
    }

    public func release() {
        if waiting.isEmpty {
            inFlight -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// For tests and the progress line.
    public var openRequests: Int { inFlight }
}
