import TerrariumBase

/// `episode.json`: what an episode is (scenario, variables, seed, versions, the initial
/// state) and how it ended. It is rewritten atomically when the episode ends.
public struct EpisodeManifest: Sendable {
    public static let format = "terrarium.episode/1"

    public var id: String
    public var scenarioID: String
    public var scenarioTitle: String
    /// SHA-256 of the scenario's sources as loaded (the same text ⇒ the same hash).
    public var scenarioHash: String
    public var variables: [String: JSON]
    /// The grid condition the scenario was rendered for; nil for defaults and --var only.
    public var condition: String?
    public var seed: UInt64
    public var terrariumVersion: String
    /// Digest of the initial world snapshot blob in `blobs/`.
    public var initialSnapshot: Digest
    public var initialStateHash: Digest
    public var tools: [String]
    public var agentAddress: String
    public var systemPrompt: String
    public var forkedFrom: JSON?
    public var created: String
    public var outcome: JSON
    /// Digest of `grading.json` (the scenario's grading predicates, copied when the episode
    /// started), or nil when the scenario declared none.
    public var grading: Digest?

    public init(id: String, scenarioID: String, scenarioTitle: String, scenarioHash: String, variables: [String: JSON],
                seed: UInt64, terrariumVersion: String, initialSnapshot: Digest, initialStateHash: Digest, tools: [String],
                agentAddress: String, systemPrompt: String, forkedFrom: JSON? = nil, created: String,
                outcome: JSON = ["status": "running"], condition: String? = nil) {
        self.condition = condition
        self.id = id
        self.scenarioID = scenarioID
        self.scenarioTitle = scenarioTitle
        self.scenarioHash = scenarioHash
        self.variables = variables
        self.seed = seed
        self.terrariumVersion = terrariumVersion
        self.initialSnapshot = initialSnapshot
        self.initialStateHash = initialStateHash
        self.tools = tools
        self.agentAddress = agentAddress
        self.systemPrompt = systemPrompt
        self.forkedFrom = forkedFrom
        self.created = created
        self.outcome = outcome
    }

    public var json: JSON {
        var o: [String: JSON] = [
            "format": .string(EpisodeManifest.format), "id": .string(id),
            "scenario": ["id": .string(scenarioID), "title": .string(scenarioTitle), "sha256": .string(scenarioHash)],
            "variables": .object(variables), "condition": JSON(condition), "seed": .string(String(seed)), "terrarium": .string(terrariumVersion),
            "initialState": ["snapshot": .string(initialSnapshot.tagged), "stateHash": .string(initialStateHash.tagged)],
            "tools": JSON(tools), "agent": ["address": .string(agentAddress), "systemPrompt": .string(systemPrompt)],
            "created": .string(created), "outcome": outcome,
        ]
        if let forkedFrom { o["forkedFrom"] = forkedFrom }
        if let grading { o["grading"] = ["file": "grading.json", "sha256": .string(grading.tagged)] }
        return .object(o)
    }

    public init(json j: JSON) throws(RecordingError) {
        func s(_ v: JSON?, _ name: String) throws(RecordingError) -> String {
            guard let s = v?.stringValue else { throw .badManifest("missing or non-string \(name)") }
            return s
        }
        func d(_ v: JSON?, _ name: String) throws(RecordingError) -> Digest {
            guard let d = Digest(hex: try s(v, name)) else { throw .badManifest("\(name) is not a sha256 digest") }
            return d
        }
        guard try s(j["format"], "format") == EpisodeManifest.format else {
            throw .badManifest("format is not \(EpisodeManifest.format)")
        }
        guard let seed = UInt64(try s(j["seed"], "seed")) else { throw .badManifest("seed is not a number") }
        self.init(id: try s(j["id"], "id"), scenarioID: try s(j["scenario"]?["id"], "scenario.id"),
                  scenarioTitle: try s(j["scenario"]?["title"], "scenario.title"),
                  scenarioHash: try s(j["scenario"]?["sha256"], "scenario.sha256"),
                  variables: j["variables"]?.objectValue ?? [:], seed: seed,
                  terrariumVersion: try s(j["terrarium"], "terrarium"),
                  initialSnapshot: try d(j["initialState"]?["snapshot"], "initialState.snapshot"),
                  initialStateHash: try d(j["initialState"]?["stateHash"], "initialState.stateHash"),
                  tools: (j["tools"]?.arrayValue ?? []).compactMap(\.stringValue),
                  agentAddress: try s(j["agent"]?["address"], "agent.address"),
                  systemPrompt: try s(j["agent"]?["systemPrompt"], "agent.systemPrompt"),
                  forkedFrom: j["forkedFrom"], created: j["created"]?.stringValue ?? "",
                  outcome: j["outcome"] ?? ["status": "running"], condition: j["condition"]?.stringValue)
        if j["grading"] != nil { grading = try d(j["grading"]?["sha256"], "grading.sha256") }
    }

    public static func read(directory: String) throws(RecordingError) -> EpisodeManifest {
        let bytes = try FileIO.readAll(directory + "/episode.json")
        do { return try EpisodeManifest(json: try JSON.parse(bytes)) } catch let e as RecordingError { throw e } catch {
            throw .badManifest("\(error)")
        }
    }

    public func write(directory: String, sync: Bool) throws(RecordingError) {
        var bytes = Array(json.prettyString().utf8)
        bytes.append(0x0A)
        try FileIO.atomicWrite(directory + "/episode.json", bytes, sync: sync)
    }
}
