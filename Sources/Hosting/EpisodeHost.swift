import Foundation
import Synchronization
import TerrariumBase
import TerrariumEpisode
import TerrariumScenarios

/// Many live episodes in one process: create (alone or as a group), look up, snapshot,
/// fork, delete, reap. Each episode is its own actor, so episodes never share a world and
/// one episode's slow call never holds up another's; the host's own lock guards only the
/// table of ids, never a tool call.
public final class EpisodeHost: Sendable {
    public let configuration: HostConfiguration
    public let gate: ShellGate
    private let table = Mutex(Table())
    private let scenarios = Mutex<[String: Scenario]>([:])

    struct Table {
        var episodes: [String: HostedEpisode] = [:]
        /// Creates in progress, counted against capacity before they finish.
        var reserved = 0
        var idempotency: [String: (request: CreateRequest, ids: [String])] = [:]
        var created = 0
        var reaped = 0
    }

    public init(configuration: HostConfiguration) {
        self.configuration = configuration
        self.gate = ShellGate(limit: configuration.shellLimit)
    }

    public var liveCount: Int { table.withLock { $0.episodes.count } }

    public func episode(_ id: String) throws(HostError) -> HostedEpisode {
        guard let e = table.withLock({ $0.episodes[id] }) else { throw .unknownEpisode(id) }
        return e
    }

    /// Creates `request.count` episodes (all or none). With an idempotency key seen before,
    /// returns the episodes made then (still live ones), or refuses a different request.
    public func create(_ request: CreateRequest) throws(HostError) -> (episodes: [HostedEpisode], reused: Bool) {
        let reuse: Result<[HostedEpisode]?, HostError> = table.withLock { t in
            if let key = request.idempotencyKey, let previous = t.idempotency[key] {
                guard previous.request == request else {
                    return .failure(.conflict("idempotency key \"\(key)\" was used for a different request"))
                }
                let live = previous.ids.compactMap { t.episodes[$0] }
                guard live.count == previous.ids.count else {
                    return .failure(.conflict("idempotency key \"\(key)\" names episodes that were deleted or reaped"))
                }
                return .success(live)
            }
            guard t.episodes.count + t.reserved + request.count <= configuration.capacity else {
                return .failure(.full(capacity: configuration.capacity, retryAfter: configuration.retryAfterSeconds))
            }
            t.reserved += request.count
            return .success(nil)
        }
        switch reuse {
        case .failure(let e): throw e
        case .success(let existing?): return (existing, true)
        case .success(nil): break
        }
        var made: [HostedEpisode] = []
        do {
            let scenario = try loadScenario(request.scenario, condition: request.condition, variables: request.variables)
            for _ in 0..<request.count { made.append(try start(scenario: scenario, name: request.scenario, seed: request.seed)) }
        } catch {
            table.withLock { $0.reserved -= request.count }
            for e in made { Task { try? await e.episode.end(reason: "group creation failed") } }
            throw error
        }
        table.withLock { t in
            t.reserved -= request.count
            t.created += made.count
            for e in made { t.episodes[e.id] = e }
            if let key = request.idempotencyKey { t.idempotency[key] = (request, made.map(\.id)) }
        }
        return (made, false)
    }

    private func start(scenario: Scenario, name: String, seed: UInt64) throws(HostError) -> HostedEpisode {
        let id = EpisodeNaming.newID()
        let folder = configuration.runs.map { $0 + "/" + EpisodeNaming.folderName(scenario: scenario.id, seed: seed, id: id) }
        do {
            let episode = try Episode(scenario: scenario, options: .init(seed: seed, recordTo: folder, id: id))
            return HostedEpisode(episode: episode, scenario: name, seed: seed, directory: folder, gate: gate)
        } catch { throw .environment(error.description) }
    }

    /// Adds an episode made elsewhere (a fork) under the same capacity rule.
    func adopt(_ make: () throws(HostError) -> HostedEpisode) throws(HostError) -> HostedEpisode {
        let admitted = table.withLock { t in
            guard t.episodes.count + t.reserved < configuration.capacity else { return false }
            t.reserved += 1
            return true
        }
        guard admitted else { throw .full(capacity: configuration.capacity, retryAfter: configuration.retryAfterSeconds) }
        do {
            let e = try make()
            table.withLock { t in t.reserved -= 1; t.created += 1; t.episodes[e.id] = e }
            return e
        } catch {
            table.withLock { $0.reserved -= 1 }
            throw error
        }
    }

    /// Ends the episode (its folder gets its outcome) and forgets it.
    public func delete(_ id: String, reason: String = "deleted by the client") async throws(HostError) {
        guard let e = table.withLock({ $0.episodes.removeValue(forKey: id) }) else { throw .unknownEpisode(id) }
        try? await e.episode.end(reason: reason)
    }

    /// Ends episodes idle longer than the idle timeout or older than the TTL; returns their ids.
    @discardableResult
    public func reap(now: ContinuousClock.Instant = .now) async -> [String] {
        let doomed: [(HostedEpisode, String)] = table.withLock { t in
            var out: [(HostedEpisode, String)] = []
            for e in t.episodes.values {
                if now - e.created > configuration.ttl {
                    out.append((e, "reaped: older than the TTL"))
                } else if now - e.lastUsed > configuration.idleTimeout {
                    out.append((e, "reaped: idle"))
                }
            }
            for (e, _) in out { t.episodes.removeValue(forKey: e.id) }
            t.reaped += out.count
            return out
        }
        for (e, reason) in doomed { try? await e.episode.end(reason: reason) }
        return doomed.map(\.0.id).sorted()
    }

    /// Ends every episode (server shutdown).
    public func endAll(reason: String) async {
        let all = table.withLock { t in
            let all = Array(t.episodes.values)
            t.episodes.removeAll()
            return all
        }
        for e in all { try? await e.episode.end(reason: reason) }
    }

    public func health() async -> JSON {
        let (live, created, reaped) = table.withLock { ($0.episodes.count, $0.created, $0.reaped) }
        return ["status": "ok", "live": JSON(live), "capacity": JSON(configuration.capacity),
                "available": JSON(max(0, configuration.capacity - live)), "created": JSON(created), "reaped": JSON(reaped),
                "shell": ["limit": JSON(gate.limit), "running": JSON(await gate.inUse), "queued": JSON(await gate.queued)],
                "version": .string(terrariumVersion)]
    }

    // MARK: Scenarios

    /// A scenario by folder name under `environments`, rendered for a condition and
    /// variable values; each rendering is loaded once and kept.
    public func loadScenario(_ name: String, condition: String? = nil,
                             variables: [String: String] = [:]) throws(HostError) -> Scenario {
        let overrides = variables.keys.sorted().map { (name: $0, value: variables[$0] ?? "") }
        let key = ([name, condition ?? ""] + overrides.map { "\($0.name)=\($0.value)" }).joined(separator: "\u{0}")
        if let s = scenarios.withLock({ $0[key] }) { return s }
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), name.utf8.count <= 200 else {
            throw .unknownScenario(name, available: availableScenarios())
        }
        let directory = configuration.environments + "/" + name
        guard FileManager.default.fileExists(atPath: directory + "/scenario.yaml") else {
            throw .unknownScenario(name, available: availableScenarios())
        }
        do {
            let s = try ScenarioLoader.load(directory: directory, toolNames: ToolCatalog.builtInNames,
                                            selection: VariableSelection(condition: condition, overrides: overrides))
            scenarios.withLock { $0[key] = s }
            return s
        } catch { throw .invalidScenario(error.description) }
    }

    public func availableScenarios() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: configuration.environments)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: configuration.environments + "/" + $0 + "/scenario.yaml") }
            .sorted()
    }
}

extension EpisodeHost {
    /// Wraps an episode made by the caller (stdio MCP) so its shell calls go through this
    /// host's gate; the episode is not listed among the host's episodes.
    public func adoptStandalone(_ episode: Episode, directory: String?, scenario: String = "", seed: UInt64 = 0) -> HostedEpisode {
        HostedEpisode(episode: episode, scenario: scenario, seed: seed, directory: directory, gate: gate)
    }
}
