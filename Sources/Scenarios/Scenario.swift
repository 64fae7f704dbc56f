import TerrariumBase
import TerrariumWorld

/// A loaded, validated scenario: its description and the initial world it builds.
public struct Scenario: Sendable {
    public var id: String
    public var title: String
    public var description: String
    /// The folder it was loaded from.
    public var directory: String
    /// SHA-256 over every source file (scenario.yaml, mail, attachments, files/), so two
    /// people can tell whether they ran the same scenario text.
    public var sourceHash: Digest
    public var systemPrompt: String
    public var disabledTools: Set<String>
    public var world: World
    /// Tools the scenario declares (`tools.custom`), in declaration order.
    public var customTools: [ScenarioTool]
    /// Triggers and schedules (`triggers:`), in declaration order.
    public var triggers: [Trigger]
    /// The initial world as one canonical JSON document (inline contents) and its digest:
    /// computed once here, written as-is into every episode that starts from this scenario.
    public var snapshotBytes: [UInt8]
    public var snapshotDigest: Digest
    /// Variables, blocks and grid as declared, and this build's condition and values
    /// (Templating/); `contentHash` covers the rendered text and world.
    public var variables: ScenarioVariables = .none()
    public var resolved: ResolvedVariables = .none
    public var contentHash: Digest
    /// The `grading:` section: named predicates over an episode (Grading/).
    public var grading: [GradingRule] = []

    public init(id: String, title: String, description: String, directory: String, sourceHash: Digest,
                systemPrompt: String, disabledTools: Set<String>, world: World, customTools: [ScenarioTool] = [],
                triggers: [Trigger] = []) {
        self.id = id
        self.title = title
        self.description = description
        self.directory = directory
        self.sourceHash = sourceHash
        self.systemPrompt = systemPrompt
        self.disabledTools = disabledTools
        self.world = world
        self.customTools = customTools
        self.triggers = triggers
        self.snapshotBytes = world.inlineSnapshotBytes()
        self.snapshotDigest = Digest.sha256(snapshotBytes)
        self.contentHash = snapshotDigest
    }
}
