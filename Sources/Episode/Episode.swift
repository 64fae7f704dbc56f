import TerrariumBase
import TerrariumRecording
import TerrariumScenarios
import TerrariumShell
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#endif

/// One live episode: a world, the tools the agent may call, and (optionally) its recorder.
/// An actor, so concurrent callers see calls one at a time, in one order, and that order
/// is the recorded one.
public actor Episode {
    public nonisolated let id: String
    public nonisolated let catalog: ToolCatalog
    public nonisolated let systemPrompt: String
    public nonisolated let scenarioID: String
    nonisolated let scenarioTitle: String
    nonisolated let scenarioHash: String
    /// The scenario's grading predicates as `grading.json` bytes (nil: none), copied into
    /// the episode directory and into every fork.
    nonisolated let grading: [UInt8]?
    public private(set) var world: World
    let recorder: Recorder?
    /// Stages events and shows them to the scenario's triggers (Reactions/EventStager.swift).
    var stager: EventStager
    private(set) var callCount = 0
    private var ended = false
    private(set) var brokenReason: String?
    /// The episode's shell: its folder on disk appears at the first `run_shell` and goes
    /// when the episode ends or is released (EpisodeShell.swift).
    var shell: ShellSession?
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Largest tool output text the agent receives; longer text is cut with a marker.
    public static let outputLimit = 100_000

    public struct Options: Sendable {
        public var seed: UInt64 = 0
        public var variables: [String: JSON] = [:]
        /// The grid condition; with `variables`, taken from the scenario when not given.
        public var condition: String?
        /// Where to write the episode directory; nil keeps it in memory only.
        public var recordTo: String?
        public var fsync: FsyncPolicy = .never
        public var id: String?
        public init(seed: UInt64 = 0, variables: [String: JSON] = [:], recordTo: String? = nil,
                    fsync: FsyncPolicy = .never, id: String? = nil, condition: String? = nil) {
            self.seed = seed; self.variables = variables; self.recordTo = recordTo; self.fsync = fsync; self.id = id
            self.condition = condition
        }
    }

    /// Starts an episode from a loaded scenario.
    public init(scenario: Scenario, options: Options = Options()) throws(EpisodeError) {
        var options = options
        if options.variables.isEmpty && options.condition == nil {
            (options.variables, options.condition) = (scenario.resolved.values, scenario.resolved.condition)
        }
        try self.init(world: scenario.world, snapshot: (scenario.snapshotBytes, scenario.snapshotDigest),
                      catalog: ToolCatalog.scenario(scenario), systemPrompt: scenario.systemPrompt,
                      scenario: (scenario.id, scenario.title, scenario.sourceHash.tagged), forkedFrom: nil,
                      reactor: Reactor(triggers: scenario.triggers), options: options,
                      grading: scenario.grading.isEmpty ? nil : GradingDocument.bytes(scenario.grading))
    }

    init(world: World, snapshot: ([UInt8], Digest)?, catalog: ToolCatalog, systemPrompt: String,
         scenario: (id: String, title: String, hash: String), forkedFrom: JSON?, reactor: Reactor,
         options: Options, grading: [UInt8]? = nil) throws(EpisodeError) {
        self.id = options.id ?? Episode.newID()
        self.catalog = catalog
        self.systemPrompt = systemPrompt
        self.scenarioID = scenario.id
        self.scenarioTitle = scenario.title
        self.scenarioHash = scenario.hash
        self.grading = grading
        var world = world
        var recorder: Recorder?
        if let directory = options.recordTo {
            let bytes: [UInt8]
            let digest: Digest
            if let snapshot {
                (bytes, digest) = snapshot
            } else {
                bytes = world.snapshotJSON(InlineContentCodec()).canonicalBytes()
                digest = Digest.sha256(bytes)
            }
            var manifest = EpisodeManifest(
                id: id, scenarioID: scenario.id, scenarioTitle: scenario.title, scenarioHash: scenario.hash,
                variables: options.variables, seed: options.seed, terrariumVersion: terrariumVersion,
                initialSnapshot: digest, initialStateHash: world.stateHash, tools: catalog.names,
                agentAddress: world.directory.agentAddress, systemPrompt: systemPrompt, forkedFrom: forkedFrom,
                created: Recorder.wallClockNow(), condition: options.condition)
            manifest.grading = grading.map { Digest.sha256($0) }
            do {
                let started = try Recorder(directory: directory, manifest: manifest, initialSnapshot: bytes, fsync: options.fsync,
                                           grading: grading)
                started.stage(kind: EventKind.episodeStarted.rawValue, time: world.clock.format(world.clock.now),
                               payload: ["scenario": .string(scenario.id), "seed": .string(String(options.seed)),
                                         "agent": .string(world.directory.agentAddress), "tools": JSON(catalog.names),
                                         "forkedFrom": forkedFrom ?? .null]
                                   .merging(manifest.grading.map { ["grading": .string($0.tagged)] } ?? [:]) { $1 },
                               state: world.stateHash)
                recorder = started
            } catch { throw .recording(error) }
        }
        // Schedules whose time is at or before the start fire now, right after episode.started.
        var stager = EventStager(recorder: recorder, reactor: reactor)
        do { try TriggerRunner.fireDue(world: &world, stager: &stager) } catch { throw .world(error.description) }
        do { try recorder?.commit() } catch { throw .recording(error) }
        self.world = world
        self.recorder = recorder
        self.stager = stager
    }

    /// 128 random bits, hex: unguessable, so one episode's id says nothing about another's.
    static func newID() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let s = String(rng.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }.joined()
    }

    public var directory: String? { recorder?.directory }

    // MARK: Internal steps of a call (EpisodeCalls.swift)

    func acquireTurn() async {
        guard busy else { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func releaseTurn() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }

    func bumpCalls() { callCount += 1 }
    func mutateWorld<T>(_ body: (inout World) throws(WorldError) -> T) throws(WorldError) -> T { try body(&world) }
    func markEnded() { ended = true }
    func markBroken(_ reason: String) { brokenReason = reason }

    /// Stages one event (or just counts it when not recording) and returns its seq.
    func stage(_ kind: EventKind, _ payload: [String: JSON], state: Digest, time: VirtualTime,
               measured: [String: JSON] = [:]) -> Int {
        stager.stage(kind, payload, state: state, time: time, clock: world.clock, measured: measured)
    }

    func stageWorldEvent(_ event: WorldEvent, cause: Int) {
        stager.stageWorldEvent(event, cause: cause, clock: world.clock)
    }

    /// Fires the scenario's triggers that are due now (after each call's result).
    func fireDueTriggers() throws(WorldError) { try TriggerRunner.fireDue(world: &world, stager: &stager) }

    /// Shows the staged events to the triggers, then commits the batch. A trigger whose
    /// effect cannot apply breaks the episode: what was staged is still written, and the
    /// error is ours, not the agent's.
    func fireTriggersAndCommit() throws(EpisodeError) {
        do throws(WorldError) { try fireDueTriggers() } catch {
            try? commitOrThrow()
            markBroken(error.description)
            throw .world(error.description)
        }
        try commitOrThrow()
    }

    /// The tools the agent can call now: the episode's catalog minus those a scenario
    /// effect disabled. This is the tool list agents should be shown.
    public var availableTools: ToolCatalog { catalog.without(world.disabledTools) }

    /// Tool output in the log: inline text, or a blob reference when large.
    func outputJSON(_ text: String) -> JSON {
        guard let recorder else { return .string(text) }
        if text.utf8.count <= RecordingContentCodec.inlineLimit { return .string(text) }
        return recorder.codec.encode(Content(text: text))
    }

    func commitOrThrow() throws(EpisodeError) {
        guard let recorder else { return }
        do { try recorder.commit() } catch {
            brokenReason = error.description
            throw .recording(error)
        }
    }
    public var lastSeq: Int { stager.lastSeq }
    public var isEnded: Bool { ended }

    /// The world as it is now: a value, so holding it costs nothing and nothing changes it.
    public func snapshot() -> World { world }

    /// A new, independent episode that starts from this one's current world. The fork has
    /// its own id and (if recorded) its own directory whose manifest names where it came from.
    public func fork(options: Options = Options()) throws(EpisodeError) -> Episode {
        try Episode(world: world, snapshot: nil, catalog: catalog, systemPrompt: systemPrompt,
                    scenario: (scenarioID, scenarioTitle, scenarioHash),
                    forkedFrom: ["episode": .string(id), "seq": JSON(lastSeq), "stateHash": .string(world.stateHash.tagged)],
                    reactor: stager.reactor, options: options, grading: grading)
    }

    /// Starts a live episode from a recorded one, as its world was after event `seq`.
    /// With the scenario it was recorded from (checked by its source hash), the fork also
    /// has the scenario's own tools and its triggers, their agenda rebuilt from the log
    /// (pending firings fire when due); without it, only built-in tools and no triggers.
    public static func fork(recorded directory: String, at seq: Int, scenario: Scenario? = nil,
                            options: Options = Options()) throws(EpisodeError) -> Episode {
        let reader: EpisodeReader
        let walk: EpisodeReader.Walk
        let grading: [UInt8]?
        do {
            reader = try EpisodeReader(directory: directory)
            walk = try reader.walk(upTo: seq, keepEvents: scenario != nil)
            grading = try reader.gradingDocument()
        } catch { throw .recording(error) }
        if let error = walk.error { throw .recording(error) }
        let m = reader.manifest
        var available = ToolCatalog.builtIn
        var reactor = Reactor(triggers: [])
        if let scenario {
            guard scenario.sourceHash.tagged == m.scenarioHash else {
                throw .world("\(directory) was recorded from scenario sources \(m.scenarioHash), not \(scenario.sourceHash.tagged)")
            }
            available = ToolCatalog.scenario(scenario)
            var restorer = Reactor.Restorer(triggers: scenario.triggers)
            let codec = reader.codec
            for event in walk.events where event.seq > 1 {
                let time = ISO8601.parse(event.time)?.time ?? walk.world.clock.now
                do {
                    try restorer.feed(kind: event.kind, payload: .object(event.payload), seq: event.seq, time: time) { ref in
                        (try? codec.decode(ref))?.text
                    }
                } catch { throw .world(error.message) }
            }
            reactor = restorer.reactor
        }
        let catalog = ToolCatalog(m.tools.compactMap { available[$0] })
        var options = options
        if options.variables.isEmpty && options.condition == nil { (options.variables, options.condition) = (m.variables, m.condition) }
        return try Episode(world: walk.world, snapshot: nil, catalog: catalog, systemPrompt: m.systemPrompt,
                           scenario: (m.scenarioID, m.scenarioTitle, m.scenarioHash),
                           forkedFrom: ["episode": .string(m.id), "seq": JSON(seq), "stateHash": .string(walk.world.stateHash.tagged)],
                           reactor: reactor, options: options, grading: grading)
    }
}
