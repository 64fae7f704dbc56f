import TerrariumBase
import TerrariumRecording
import TerrariumWorld

/// Stages an episode's events in the recorder (or only numbers them when the episode is
/// not recorded) and shows each one to the scenario's `Reactor`, with the chain it
/// belongs to. One place for both, so no recorded event escapes the triggers.
struct EventStager {
    let recorder: Recorder?
    /// The last seq when not recording (the recorder numbers its own events).
    private(set) var unrecordedSeq: Int
    var reactor: Reactor
    /// While a firing's effects are recorded: its chain depth and trigger (0 / nil for the
    /// agent's own call).
    var depth = 0
    var firedBy: Int?

    init(recorder: Recorder?, reactor: Reactor) {
        self.recorder = recorder
        self.unrecordedSeq = recorder == nil ? 1 : 0  // episode.started is seq 1 either way
        self.reactor = reactor
    }

    var lastSeq: Int { recorder?.lastSeq ?? unrecordedSeq }

    /// Stages one event and returns its seq. `contentText` reads a content reference of
    /// the payload (for `content:` patterns) when it is not inline.
    mutating func stage(_ kind: EventKind, _ payload: [String: JSON], state: Digest, time: VirtualTime, clock: WorldClock,
                        measured: [String: JSON] = [:], contentText: (JSON) -> String? = EventPattern.inlineText) -> Int {
        let seq: Int
        if let recorder {
            seq = recorder.stage(kind: kind.rawValue, time: clock.format(time), payload: payload, state: state, measured: measured)
        } else {
            unrecordedSeq += 1
            seq = unrecordedSeq
        }
        if reactor.watches(kind.rawValue) {
            reactor.observe(kind: kind.rawValue, payload: .object(payload), seq: seq, time: time, depth: depth,
                            firedBy: firedBy, contentText: contentText)
        }
        return seq
    }

    /// Stages a world event with its cause and its effect in recorded form.
    @discardableResult
    mutating func stageWorldEvent(_ event: WorldEvent, cause: Int, clock: WorldClock) -> Int {
        var payload = event.detail
        payload["cause"] = JSON(cause)
        var written: Content?
        if let effect = event.effect {
            if let recorder {
                payload["effect"] = WorldCoding.effect(effect, recorder.codec)
            } else if reactor.watches(event.kind.rawValue) {
                // Not recorded, but a pattern may read it: the same shape, contents by digest.
                payload["effect"] = WorldCoding.effect(effect, DigestOnlyContentCodec())
            }
            if case .writeFile(_, let content, _, _) = effect { written = content }
        }
        // The written text itself, whether the log holds it inline or as a blob.
        return stage(event.kind, payload, state: event.stateHash, time: event.time, clock: clock) { _ in written?.text }
    }
}
