import TerrariumBase
import TerrariumScenarios
import TerrariumWorld

/// Fires the scenario's due triggers on a world, recording each firing (`trigger.fired`)
/// and then its effects' events, caused by that firing. Static, over the world and the
/// stager, so an episode's initializer can fire the start-time schedules too.
enum TriggerRunner {
    /// Fires every firing due at or before the world's clock, including those that the
    /// firings' own events schedule for now. Effects that fail at fire time (a file the
    /// agent already deleted) are recorded as `effect.failed`; the firing goes on.
    static func fireDue(world: inout World, stager: inout EventStager) throws(WorldError) {
        defer { stager.depth = 0; stager.firedBy = nil }
        // Nothing fires once the scenario has ended the episode (a firing's remaining
        // effects still run: "disable the tools, then end" is one firing).
        while world.endedReason == nil, let firing = stager.reactor.nextDue(now: world.clock.now) {
            let trigger = stager.reactor.triggers[firing.index]
            stager.depth = firing.depth
            stager.firedBy = firing.index
            let firedSeq = stager.stage(.triggerFired,
                                        ["trigger": .string(trigger.id), "due": .string(world.clock.format(firing.due)),
                                         "cause": firing.cause.map { JSON($0) } ?? .null, "depth": JSON(firing.depth)],
                                        state: world.stateHash, time: world.clock.now, clock: world.clock)
            for effect in trigger.effects {
                var events: [WorldEvent] = []
                var failure: WorldError?
                do throws(WorldError) {
                    try world.perform(effect, at: firing.due, source: "trigger:" + trigger.id, into: &events)
                } catch {
                    if case .internalInconsistency = error { throw error }
                    failure = error
                }
                for event in events { stager.stageWorldEvent(event, cause: firedSeq, clock: world.clock) }
                if let failure {
                    // Not "effect": in a payload that key holds an applied world effect.
                    _ = stager.stage(.effectFailed, ["cause": JSON(firedSeq), "trigger": .string(trigger.id),
                                                     "failed": .string(effect.name), "error": .string(failure.description)],
                                     state: world.stateHash, time: world.clock.now, clock: world.clock)
                }
            }
        }
    }
}
