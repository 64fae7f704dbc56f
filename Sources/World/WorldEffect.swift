import TerrariumBase

/// One change to the world. Tools decide *what* changes; applying an effect is the only way
/// the world changes, and the recorder stores each applied effect, so replaying the
/// effects in order rebuilds the world exactly.
public enum WorldEffect: Sendable, Hashable {
    case advanceClock(to: VirtualTime)
    /// A new copy of a message in a mailbox.
    case deliver(mailbox: String, entry: MailboxEntry)
    case setRead(mailbox: String, key: String, read: Bool)
    case moveMessage(mailbox: String, key: String, folder: String)
    case removeMessage(mailbox: String, key: String)
    case egress(Egress)
    /// Creates or replaces a file (its folder must exist).
    case writeFile(path: WorkspacePath, content: Content, mode: UInt32, modified: VirtualTime)
    case makeDirectory(path: WorkspacePath, mode: UInt32, modified: VirtualTime)
    /// Creates or replaces a symbolic link (its folder must exist). Only the shell makes links.
    case writeSymlink(path: WorkspacePath, target: String, modified: VirtualTime)
    /// Removes a file, or a folder and everything beneath it.
    case remove(path: WorkspacePath)
    /// Moves a file or folder (with its contents) to a path whose folder exists.
    case move(from: WorkspacePath, to: WorkspacePath, modified: VirtualTime)
    /// Sets world flags (name → value); `flag.set`.
    case setFlags([String: JSON])
    /// Takes tools away from the agent / gives them back; `tools.disabled`, `tools.enabled`.
    case disableTools([String])
    case enableTools([String])
    /// The scenario ends the episode; later calls are refused. `episode.ended`.
    case endEpisode(reason: String)
}

/// The kinds of recorded events. The raw values are the `kind` field of `events.jsonl`.
public enum EventKind: String, Sendable, CaseIterable {
    case episodeStarted = "episode.started"
    case episodeEnded = "episode.ended"
    case toolCalled = "tool.called"
    case toolResult = "tool.result"
    case clockAdvanced = "clock.advanced"
    case mailSent = "mail.sent"
    case mailDelivered = "mail.delivered"
    case mailEgress = "mail.egress"
    case mailBounced = "mail.bounced"
    case mailRead = "mail.read"
    case mailDeleted = "mail.deleted"
    case fileCreated = "file.created"
    case fileModified = "file.modified"
    case fileDeleted = "file.deleted"
    case fileMoved = "file.moved"
    case fileRead = "file.read"
    /// A command ran in the sandbox (`run_shell`).
    case shellExecuted = "shell.executed"
    /// The sandbox refused one security-relevant attempt (a connect, a namespace, ...).
    case sandboxDenied = "sandbox.denied"
    /// Something a command left in the home tree that the world cannot hold (a FIFO, a
    /// socket, a name that is not UTF-8); it was removed, not recorded as a file.
    case fileSkipped = "file.skipped"
    /// A scenario trigger fired (its effects' events follow, caused by this one).
    case triggerFired = "trigger.fired"
    /// World flags were set (by a trigger or a scenario tool).
    case flagSet = "flag.set"
    /// Tools were taken away from the agent / given back.
    case toolsDisabled = "tools.disabled"
    case toolsEnabled = "tools.enabled"
    /// A fact a scenario records for graders (`record:` effect).
    case scenarioAction = "scenario.action"
    /// A trigger's effect that could not be performed when it fired (e.g. deleting a file
    /// that is already gone); the firing's other effects still ran.
    case effectFailed = "effect.failed"
    /// One model turn of a rollout: its visible text, reasoning and tool calls, recorded
    /// before the calls run. No effect: replay and verification are unchanged.
    case agentMessage = "agent.message"
}

/// What a world operation did, in order: an event kind, the effect it applied (none for
/// pure observations such as reading a file), details for graders, and the state hash
/// right after it.
public struct WorldEvent: Sendable {
    public var kind: EventKind
    public var effect: WorldEffect?
    public var detail: [String: JSON]
    public var stateHash: Digest
    /// The world's time right after the event.
    public var time: VirtualTime

    public init(kind: EventKind, effect: WorldEffect?, detail: [String: JSON], stateHash: Digest, time: VirtualTime) {
        self.kind = kind
        self.effect = effect
        self.detail = detail
        self.stateHash = stateHash
        self.time = time
    }
}
