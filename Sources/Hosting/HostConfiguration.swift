/// Limits and places for a host of many episodes (`terrarium serve`).
public struct HostConfiguration: Sendable {
    /// Folder of scenario folders; a create request names one of them.
    public var environments: String
    /// Where episode folders are written; nil keeps episodes in memory (no events API).
    public var runs: String?
    /// Most live episodes at once; a create beyond it is refused with a retry hint.
    public var capacity: Int
    /// An episode with no call for this long is ended and dropped.
    public var idleTimeout: Duration
    /// An episode older than this is ended and dropped, used or not.
    public var ttl: Duration
    /// Most shell commands running at once across all episodes; more wait in a queue.
    public var shellLimit: Int
    /// What a refused create suggests in `Retry-After` (seconds).
    public var retryAfterSeconds: Int

    public init(environments: String, runs: String? = nil, capacity: Int = 2000,
                idleTimeout: Duration = .seconds(30 * 60), ttl: Duration = .seconds(6 * 3600),
                shellLimit: Int = 4, retryAfterSeconds: Int = 5) {
        self.environments = environments
        self.runs = runs
        self.capacity = capacity
        self.idleTimeout = idleTimeout
        self.ttl = ttl
        self.shellLimit = shellLimit
        self.retryAfterSeconds = retryAfterSeconds
    }
}
