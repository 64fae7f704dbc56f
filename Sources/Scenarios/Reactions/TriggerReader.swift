import TerrariumBase
import TerrariumWorld

/// Reads `triggers:` (docs/SCENARIOS.md, "Triggers and schedules").
struct TriggerReader {
    let effects: EffectReader
    let clock: WorldClock

    func triggers(_ value: YAMLValue?) throws(ScenarioError) -> [Trigger] {
        guard let value else { return [] }
        var out: [Trigger] = []
        var ids = Set<String>()
        for item in try value.list() {
            try item.checkKeys(["id", "on", "at", "after", "repeat", "do"])
            let idValue = try item.required("id")
            let id = try idValue.string()
            guard isSlug(id) else { throw idValue.error("ids are lower-case letters, digits, - and _ (e.g. kai-replies), found \"\(id)\"") }
            guard ids.insert(id).inserted else { throw idValue.error("trigger \"\(id)\" is declared twice") }
            let on = try item.optional("on"), at = try item.optional("at")
            let start: Trigger.Start
            switch (on, at) {
            case (let on?, nil):
                var after = VirtualTime.Duration(milliseconds: 0)
                if let afterValue = try item.optional("after") { after = try ScenarioLoader.duration(afterValue) }
                start = .on(try on.eventPattern(), after: after)
            case (nil, let at?):
                for key in ["after", "repeat"] where try item.optional(key) != nil {
                    throw try item.required(key).error("\"\(key)\" applies to on: triggers; a schedule fires once, at its time")
                }
                guard let (time, _) = ISO8601.parse(try at.string(), defaultOffsetMinutes: clock.utcOffsetMinutes) else {
                    throw at.error("expected an ISO 8601 time, e.g. 2026-06-11T17:00:00-07:00")
                }
                start = .at(time)
            case (nil, nil):
                throw item.error("a trigger needs on: (an event pattern) or at: (a time)")
            case (_?, _?):
                throw try item.required("at").error("a trigger has either on: or at:, not both")
            }
            let doValue = try item.required("do")
            let list = try effects.effects(doValue)
            guard !list.isEmpty else { throw doValue.error("list at least one effect") }
            out.append(Trigger(id: id, start: start, repeats: try item.optional("repeat")?.bool() ?? false, effects: list))
        }
        return out
    }
}

/// `[a-z0-9][a-z0-9_-]*`: trigger and predicate ids.
func isSlug(_ s: String) -> Bool {
    guard let first = s.unicodeScalars.first, ("a"..."z").contains(first) || ("0"..."9").contains(first) else { return false }
    return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
}
