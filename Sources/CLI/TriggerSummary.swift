import TerrariumScenarios
import TerrariumWorld

/// `check`'s summary of a scenario's triggers: one line each, what starts it and what it does.
func describeTriggers(_ triggers: [Trigger], clock: WorldClock) -> String {
    var lines = ["triggers (\(triggers.count)):"]
    for t in triggers {
        let start: String
        switch t.start {
        case .on(let pattern, let after):
            let fields = pattern.givenFields.map(\.rawValue)
            start = "on \(pattern.kinds.map(\.rawValue).joined(separator: "|"))"
                + (fields.isEmpty ? "" : " (\(fields.joined(separator: ", ")))")
                + (after.milliseconds > 0 ? " after \(after.milliseconds / 1000)s" : "")
                + (t.repeats ? ", repeating" : "")
        case .at(let time):
            start = "at \(clock.format(time))" + (time <= clock.now ? " (at the start)" : "")
        }
        lines.append("  \(t.id): \(start) → \(t.effects.map(\.name).joined(separator: ", "))")
    }
    return lines.joined(separator: "\n")
}
