import TerrariumBase

extension World {
    /// Applies an effect as part of an operation and appends the event that records it,
    /// with the state hash right after it.
    mutating func perform(_ kind: EventKind, _ effect: WorldEffect?, _ detail: [String: JSON],
                          into events: inout [WorldEvent]) throws(WorldError) {
        if let effect {
            do { try apply(effect) } catch { throw .internalInconsistency(error.message) }
        }
        events.append(WorldEvent(kind: kind, effect: effect, detail: detail, stateHash: stateHash, time: clock.now))
    }

    /// Advances the clock by the scenario's amount for `tool`, as every tool call does first.
    public mutating func tick(for tool: String, into events: inout [WorldEvent]) throws(WorldError) {
        let from = clock.now
        let to = from.advanced(by: clock.advance(for: tool))
        try perform(.clockAdvanced, .advanceClock(to: to),
                    ["from": .string(clock.format(from)), "to": .string(clock.format(to))], into: &events)
    }
}
