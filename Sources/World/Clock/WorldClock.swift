import TerrariumBase

/// The world's virtual clock. Each tool call advances it by a fixed amount the scenario
/// chooses (optionally per tool), so timestamps are a function of the call sequence alone.
public struct WorldClock: Sendable, Hashable {
    public var now: VirtualTime
    /// How times are shown (mail dates, file times): the offset the scenario's start used.
    public var utcOffsetMinutes: Int
    /// IANA zone name for the shell's TZ, if the scenario gave one.
    public var timezone: String?
    public var defaultAdvance: VirtualTime.Duration
    public var advancePerTool: [String: VirtualTime.Duration]

    public init(now: VirtualTime, utcOffsetMinutes: Int, timezone: String? = nil,
                defaultAdvance: VirtualTime.Duration = .seconds(30),
                advancePerTool: [String: VirtualTime.Duration] = [:]) {
        self.now = now
        self.utcOffsetMinutes = utcOffsetMinutes
        self.timezone = timezone
        self.defaultAdvance = defaultAdvance
        self.advancePerTool = advancePerTool
    }

    public func advance(for tool: String) -> VirtualTime.Duration {
        advancePerTool[tool] ?? defaultAdvance
    }

    /// The instant in the world's display offset, e.g. `2026-03-16T08:30:00-05:00`.
    public func format(_ time: VirtualTime) -> String { ISO8601.format(time, offsetMinutes: utcOffsetMinutes) }
}
