import TerrariumBase

/// Decides when a scenario's triggers fire. A value: the episode feeds it every recorded
/// event (`observe`) and asks it for the firings that are due (`nextDue`); it never
/// touches the world, so the episode records each firing and its effects in order.
///
/// Rules (docs/SCENARIOS.md, "Triggers"): a matching event schedules its trigger at the
/// event's time + `after`; a trigger without `repeat` is scheduled at most once per
/// episode; `at:` triggers are scheduled from the start. Due firings come out by due
/// time, then declaration order, then the order they were scheduled in. Events made by a
/// firing can schedule other triggers (never the same one), up to `maxChainDepth` links.
public struct Reactor: Sendable {
    public let triggers: [Trigger]
    /// How many firings may follow from one agent action, each caused by the last.
    public static let maxChainDepth = 8

    /// One due firing: which trigger, when it was due, the seq of the event that caused
    /// it (nil for a schedule), and its link in a chain (1 = caused by the agent or a schedule).
    public struct Firing: Sendable, Equatable {
        public let index: Int
        public let due: VirtualTime
        public let cause: Int?
        public let depth: Int

        public init(index: Int, due: VirtualTime, cause: Int?, depth: Int) {
            self.index = index; self.due = due; self.cause = cause; self.depth = depth
        }
    }

    private struct Pending: Sendable {
        var firing: Firing
        var order: Int
    }

    private var agenda: [Pending] = []
    private var scheduledOnce: Set<Int> = []
    private var order = 0
    /// Every kind some `on:` pattern names: other events need no payload to be built.
    public let watchedKinds: Set<String>

    public init(triggers: [Trigger]) {
        self.triggers = triggers
        var kinds = Set<String>()
        for trigger in triggers {
            if case .on(let pattern, _) = trigger.start { kinds.formUnion(pattern.kinds.map(\.rawValue)) }
        }
        watchedKinds = kinds
        for (i, trigger) in triggers.enumerated() {
            if case .at(let time) = trigger.start { schedule(Firing(index: i, due: time, cause: nil, depth: 1)) }
        }
    }

    public var isEmpty: Bool { triggers.isEmpty }

    /// Whether events of `kind` can match any trigger (callers skip building payloads otherwise).
    public func watches(_ kind: String) -> Bool { watchedKinds.contains(kind) }

    /// Matches one recorded event against the `on:` triggers.
    /// - Parameters:
    ///   - depth: 0 for events of an agent's call, else the depth of the firing that made it.
    ///   - firedBy: the trigger whose firing made the event (it cannot trigger itself).
    public mutating func observe(kind: String, payload: JSON, seq: Int, time: VirtualTime, depth: Int, firedBy: Int?,
                                 contentText: (JSON) -> String? = EventPattern.inlineText) {
        guard depth < Reactor.maxChainDepth, watches(kind) else { return }
        for (i, trigger) in triggers.enumerated() where i != firedBy {
            guard case .on(let pattern, let after) = trigger.start else { continue }
            if !trigger.repeats && scheduledOnce.contains(i) { continue }
            guard pattern.matches(kind: kind, payload: payload, contentText: contentText) else { continue }
            if !trigger.repeats { scheduledOnce.insert(i) }
            schedule(Firing(index: i, due: time.advanced(by: after), cause: seq, depth: depth + 1))
        }
    }

    /// The next firing due at or before `now`, removed from the agenda.
    public mutating func nextDue(now: VirtualTime) -> Firing? {
        var best: Int?
        for (i, p) in agenda.enumerated() where p.firing.due <= now {
            guard let b = best else { best = i; continue }
            let (x, y) = (p, agenda[b])
            if (x.firing.due, x.firing.index, x.order) < (y.firing.due, y.firing.index, y.order) { best = i }
        }
        guard let best else { return nil }
        return agenda.remove(at: best).firing
    }

    /// Firings scheduled and not yet due, in the order they will fire.
    public var pending: [Firing] {
        agenda.sorted { ($0.firing.due, $0.firing.index, $0.order) < ($1.firing.due, $1.firing.index, $1.order) }.map(\.firing)
    }

    private mutating func schedule(_ firing: Firing) {
        agenda.append(Pending(firing: firing, order: order))
        order += 1
    }
}
