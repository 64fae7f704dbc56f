import TerrariumBase
import TerrariumWorld

/// Finds triggers that can never fire (issue 4, "Bad input"): an `on:` pattern that names a
/// tool the agent is never offered, events nothing in the scenario can record, a sender that
/// the pattern's kinds can never carry, a path that is not home-relative, or an `at:` time
/// after a schedule that ends the episode. Each is an error at the field at fault.
///
/// Every rule is a certainty, not a guess: a built-in tool this file does not know is
/// assumed to record anything, and every effect of every trigger and scenario tool is
/// assumed to run, so a scenario that works is never refused.
struct TriggerReachability {
    let world: World
    /// The built-in tools the episode layer offers (ScenarioLoader's `toolNames`).
    let builtIn: [String]
    let customTools: [ScenarioTool]
    let disabled: Set<String>
    let triggers: [Trigger]

    /// What each known built-in tool can record besides `tool.called`, `clock.advanced` and
    /// `tool.result`, by the families the rules below judge. Supersets on purpose.
    static let agentMail: Set<String> = ["send_email", "reply_email", "forward_email"]
    static let fileTools: Set<String> = ["list_files", "read_file", "write_file", "delete_file", "move_file", "make_folder",
                                         "search_files"]
    static let shell = "run_shell"
    static let knownBuiltIns: Set<String> = agentMail.union(fileTools).union([shell, "list_emails", "read_email",
                                                                              "search_emails", "delete_email"])

    static let shellKinds: Set<EventKind> = [.shellExecuted, .sandboxDenied, .fileSkipped]
    static let agentMailKinds: Set<EventKind> = [.mailSent, .mailEgress, .mailBounced]
    static let fileKinds: Set<EventKind> = [.fileCreated, .fileModified, .fileDeleted, .fileMoved, .fileRead]
    /// Recorded outside any call's events: the start before triggers are watched, the end
    /// after which nothing fires.
    static let neverObserved: Set<EventKind> = [.episodeStarted, .episodeEnded]

    /// Every effect any trigger or scenario tool can perform.
    var allEffects: [ScenarioEffect] {
        triggers.flatMap(\.effects) + customTools.flatMap { $0.responses.flatMap(\.effects) }
    }

    /// Tools the agent is offered at some point of an episode. A tool in `tools.disabled`
    /// is never offered: no effect may enable it (EffectReader refuses that).
    var offered: Set<String> {
        Set(builtIn + customTools.map(\.name)).subtracting(disabled)
    }

    func check(_ value: YAMLValue?) throws(ScenarioError) {
        guard let value else { return }
        let items = try value.list()
        for (index, trigger) in triggers.enumerated() where index < items.count {
            let item = items[index]
            switch trigger.start {
            case .on(let pattern, _):
                guard let on = try item.optional("on") else { continue }
                try check(pattern, at: on)
            case .at(let time):
                guard let at = try item.optional("at"), TriggerReachability.isLiteral(at) else { continue }
                try checkSchedule(index, time, at: at, items: items)
            }
        }
    }

    // MARK: on:

    func check(_ pattern: EventPattern, at on: YAMLValue) throws(ScenarioError) {
        let offered = self.offered
        if let tool = pattern.tool, let field = try on.optional("tool") {
            try checkTool(tool, offered: offered, at: field)
        }
        if let path = pattern.path, let field = try on.optional("path"), let why = TriggerReachability.pathNeverMatches(
            path, home: world.home, consequence: "this trigger can never fire") {
            throw field.error(why)
        }
        try checkKinds(pattern, offered: offered, at: on)
        try checkAddresses(pattern, at: on)
    }

    func checkTool(_ tool: String, offered: Set<String>, at field: YAMLValue) throws(ScenarioError) {
        let all = builtIn + customTools.map(\.name)
        if !all.contains(tool) {
            let hint = Template.nearest(tool, in: all).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw field.error("\"\(tool)\" is not a tool of this scenario\(hint), so the agent is never offered it and "
                + "this trigger can never fire; tools: \(all.joined(separator: ", "))")
        }
        if !offered.contains(tool) {
            throw field.error("\"\(tool)\" is in tools.disabled, so the agent is never offered it and this trigger can "
                + "never fire")
        }
    }

    /// Why no event of each of the pattern's kinds can happen, or nothing when one can.
    func checkKinds(_ pattern: EventPattern, offered: Set<String>, at on: YAMLValue) throws(ScenarioError) {
        // A tool this file does not know might record anything.
        guard offered.allSatisfy({ TriggerReachability.knownBuiltIns.contains($0) || customTools.map(\.name).contains($0)
            || !builtIn.contains($0) }) else { return }
        let effects = allEffects
        let agentMails = !offered.isDisjoint(with: TriggerReachability.agentMail)
        let agentFiles = !offered.isDisjoint(with: TriggerReachability.fileTools) || offered.contains(TriggerReachability.shell)
        var reasons: [String] = []
        for kind in pattern.kinds {
            if TriggerReachability.neverObserved.contains(kind) {
                reasons.append(kind == .episodeStarted ? "episode.started is recorded before triggers are watched"
                                                       : "nothing fires once the episode has ended (episode.ended)")
            } else if TriggerReachability.shellKinds.contains(kind) {
                guard !offered.contains(TriggerReachability.shell) else { return }
                reasons.append("\(kind.rawValue) is recorded only by run_shell, which the agent is never offered")
            } else if TriggerReachability.agentMailKinds.contains(kind) {
                guard !agentMails else { return }
                reasons.append("\(kind.rawValue) is recorded only by send_email, reply_email and forward_email, "
                    + "which the agent is never offered")
            } else if kind == .mailDelivered {
                let delivers = effects.contains { if case .deliverMail = $0 { return true } else { return false } }
                guard !agentMails && !delivers else { return }
                reasons.append("mail.delivered needs send_email, reply_email or forward_email, which the agent is never "
                    + "offered, or a deliver_mail effect, which no trigger or scenario tool has")
            } else if TriggerReachability.fileKinds.contains(kind) {
                guard !agentFiles else { return }
                if effectsTouch(kind, pattern.path, effects) { return }
                let effect = kind == .fileDeleted ? "delete_file" : kind == .fileMoved || kind == .fileRead ? nil : "write_file"
                reasons.append("\(kind.rawValue) is recorded only by the file tools and run_shell, which the agent is never "
                    + "offered" + (effect.map { ", or by a \($0) effect" + (pattern.path.map { " on a path matching \"\($0)\"" } ?? "")
                        + ", which no trigger or scenario tool has" } ?? ""))
            } else {
                return
            }
        }
        guard !reasons.isEmpty else { return }
        let onFiles = pattern.path != nil && pattern.kinds.allSatisfy { TriggerReachability.fileKinds.contains($0) }
        let field = (try on.optional(onFiles ? "path" : "kind")) ?? on
        throw field.error("this trigger can never fire: " + reasons.joined(separator: "; "))
    }

    /// Whether some effect can record `kind` on a path the glob matches (a path still
    /// holding `${args.…}` is filled per call: it might match).
    func effectsTouch(_ kind: EventKind, _ glob: String?, _ effects: [ScenarioEffect]) -> Bool {
        var paths: [String] = []
        for effect in effects {
            switch effect {
            case .writeFile(let path, _, _) where kind == .fileCreated || kind == .fileModified:
                paths.append(path)
                // Missing folders on the way are created too.
                if kind == .fileCreated {
                    var parts = path.split(separator: "/").dropLast()
                    while !parts.isEmpty { paths.append(parts.joined(separator: "/")); parts = parts.dropLast() }
                }
            case .deleteFile(let path) where kind == .fileDeleted: paths.append(path)
            default: break
            }
        }
        guard let glob else { return !paths.isEmpty }
        return paths.contains { $0.contains("${") || globMatches(glob, relative($0)) }
    }

    /// An effect path as events record it: relative to the home.
    func relative(_ path: String) -> String {
        (try? WorkspacePath.resolve(path, home: world.home))?.raw ?? path
    }

    /// `from:` on the agent's own mail kinds must include the agent; an internal address
    /// in `to:`/`from:` must be a person's.
    func checkAddresses(_ pattern: EventPattern, at on: YAMLValue) throws(ScenarioError) {
        let directory = world.directory
        let agent = directory.agentAddress.lowercased()
        if let from = pattern.from, Set(pattern.kinds).isSubset(of: [.mailSent, .mailEgress]), !from.contains(agent),
           let field = try on.optional("from") {
            throw field.error("\(pattern.kinds.map(\.rawValue).joined(separator: " and ")) events are the agent's own mail, "
                + "always from \(directory.agentAddress), so this trigger can never fire; expected from: \(directory.agentAddress) "
                + "(or kind: mail.delivered for mail from others)")
        }
        // A bounce pattern may well name an address nobody has.
        guard !pattern.kinds.contains(.mailBounced) else { return }
        for (key, list) in [("from", pattern.from), ("to", pattern.to)] {
            for address in list ?? [] where directory.isInternal(address) && directory.person(address) == nil {
                throw (try on.optional(key) ?? on).error("\(address) is in the company's domain but is not one of people: it "
                    + "has no mailbox, so this trigger could only fire on mail sent to a wrong address; expected one of "
                    + "people's addresses or an outside address (kind: mail.bounced for bounces)")
            }
        }
    }

    /// Why a path glob can never match a recorded path (home-relative, normalised), or nil;
    /// `consequence` ends the sentence ("so this trigger can never fire").
    static func pathNeverMatches(_ glob: String, home: String, consequence: String) -> String? {
        if glob.hasPrefix("/") {
            let suggestion = glob.hasPrefix(home + "/") ? "; write \"\(glob.dropFirst(home.count + 1))\"" : ""
            return "event paths are relative to the agent's home (e.g. notes/*.md), so \"\(glob)\" can never match "
                + "and \(consequence)\(suggestion)"
        }
        if glob.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." }) {
            return "event paths are relative to the agent's home and normalised (no . or .. parts), so \"\(glob)\" "
                + "can never match and \(consequence)"
        }
        return nil
    }

    // MARK: at:

    /// Whether a scalar was written without placeholders (its text before rendering).
    static func isLiteral(_ value: YAMLValue) -> Bool {
        guard case .scalar(let s) = value.node else { return false }
        return !s.string.contains("${")
    }

    /// A schedule after (or at the same time as, declared after) a schedule that ends the
    /// episode never fires: nothing fires once the episode has ended.
    /// Only literal times are compared: a time from a variable (`at: "${decommission_at}"`)
    /// changes with the condition, and the library parks the schedules a condition does not
    /// use after the end on purpose.
    func checkSchedule(_ index: Int, _ time: VirtualTime, at field: YAMLValue, items: [YAMLValue]) throws(ScenarioError) {
        for (other, trigger) in triggers.enumerated() where other != index && other < items.count {
            guard let otherAt = try items[other].optional("at"), TriggerReachability.isLiteral(otherAt) else { continue }
            guard case .at(let end) = trigger.start,
                  trigger.effects.contains(where: { if case .endEpisode = $0 { return true } else { return false } }),
                  end < time || (end == time && other < index) else { continue }
            let when = end == time ? "the time at which trigger \"\(trigger.id)\", declared before it,"
                                   : "after trigger \"\(trigger.id)\""
            throw field.error("\(world.clock.format(time)) is \(when) ends the episode (at \(world.clock.format(end))), "
                + "so this trigger can never fire")
        }
    }
}
