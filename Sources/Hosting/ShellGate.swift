/// A global bound on concurrent shell commands, with a first-come queue. Each command costs
/// a sandbox (processes, a private root, memory), so a host with many episodes runs at
/// most `limit` at once; mail and file calls never pass through here, so a queue of slow
/// shell commands never delays them.
public actor ShellGate {
    public let limit: Int
    private var running = 0
    private var queue: [CheckedContinuation<Void, Never>] = []
    public private(set) var peakRunning = 0
    public private(set) var peakQueued = 0

    public init(limit: Int) { self.limit = max(1, limit) }

    public var queued: Int { queue.count }
    public var inUse: Int { running }

    public func acquire() async {
        if running < limit {
            running += 1
            peakRunning = max(peakRunning, running)
            return
        }
        peakQueued = max(peakQueued, queue.count + 1)
        await withCheckedContinuation { queue.append($0) }
        // The releaser handed its slot over: `running` already counts us.
    }

    public func release() {
        if queue.isEmpty {
            running -= 1
        } else {
            queue.removeFirst().resume()
        }
    }

    /// Runs `body` holding one slot (released however `body` ends).
    public nonisolated func withSlot<T: Sendable, E: Error>(_ body: () async throws(E) -> T) async throws(E) -> T {
        await acquire()
        do {
            let value = try await body()
            await release()
            return value
        } catch {
            await release()
            throw error
        }
    }
}
