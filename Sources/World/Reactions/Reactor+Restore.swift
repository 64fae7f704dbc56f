import TerrariumBase

extension Reactor {
    /// Rebuilds the reactor a recorded episode had after its last event, from its events
    /// (seq ≥ 2; `episode.started` is not shown to triggers): the agent's events are
    /// observed as they were live, each `trigger.fired` takes its firing off the agenda,
    /// and the events a firing caused are observed at its depth.
    public struct Restorer {
        public private(set) var reactor: Reactor
        private var firings: [Int: (depth: Int, index: Int)] = [:]
        private let indexByID: [String: Int]

        public init(triggers: [Trigger]) {
            reactor = Reactor(triggers: triggers)
            var ids: [String: Int] = [:]
            for (i, t) in triggers.enumerated() { ids[t.id] = i }
            indexByID = ids
        }

        /// Feeds one recorded event. A `trigger.fired` naming a trigger the scenario no
        /// longer has is an error: the log and the scenario disagree.
        public mutating func feed(kind: String, payload: JSON, seq: Int, time: VirtualTime,
                                  contentText: (JSON) -> String? = EventPattern.inlineText) throws(WorldDecodingError) {
            var depth = 0
            var firedBy: Int?
            if kind == EventKind.triggerFired.rawValue {
                guard let id = payload["trigger"]?.stringValue, let index = indexByID[id] else {
                    throw WorldDecodingError("seq \(seq): trigger.fired names a trigger the scenario does not declare")
                }
                depth = Int(payload["depth"]?.intValue ?? 1)
                firedBy = index
                firings[seq] = (depth, index)
                reactor.remove(index: index, cause: payload["cause"]?.intValue.map(Int.init))
            } else if let cause = payload["cause"]?.intValue, let firing = firings[Int(cause)] {
                (depth, firedBy) = (firing.depth, firing.index)
            }
            reactor.observe(kind: kind, payload: payload, seq: seq, time: time, depth: depth, firedBy: firedBy,
                            contentText: contentText)
        }
    }
}
