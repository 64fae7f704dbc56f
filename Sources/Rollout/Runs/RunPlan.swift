import TerrariumBase
import TerrariumEpisode
import TerrariumScenarios

/// One condition of a run: its id (the grid condition, or "default") and the scenario
/// rendered for it.
public struct RunCondition: Sendable {
    public var id: String
    public var scenario: Scenario
    public init(id: String, scenario: Scenario) { self.id = id; self.scenario = scenario }
}

/// What a run does: conditions × N episodes, episode k of every condition with seed
/// `seed + k`. Keys are "<condition>/<k>", in condition order, then k.
public struct RunPlan: Sendable {
    public var scenarioDirectory: String
    public var conditions: [RunCondition]
    public var episodes: Int
    public var seed: UInt64
    /// `--var NAME=VALUE` as given (recorded in run.json).
    public var overrides: [String]

    public init(scenarioDirectory: String, conditions: [RunCondition], episodes: Int, seed: UInt64, overrides: [String] = []) {
        self.scenarioDirectory = scenarioDirectory; self.conditions = conditions; self.episodes = episodes; self.seed = seed
        self.overrides = overrides
    }

    public struct Key: Sendable, Hashable, CustomStringConvertible {
        public var condition: Int
        public var k: Int
        public var conditionID: String
        public var description: String { "\(conditionID)/\(k)" }
    }

    public var keys: [Key] {
        conditions.enumerated().flatMap { c, condition in (0..<episodes).map { Key(condition: c, k: $0, conditionID: condition.id) } }
    }

    public func seed(_ key: Key) -> UInt64 { seed &+ UInt64(key.k) }

    /// Which conditions: the scenario's default (or `--condition`), or every grid condition.
    public enum Selection: Sendable, Equatable {
        case single(condition: String?)
        case grid
    }

    /// Renders the scenario for each condition. Errors name the scenario file and field.
    public static func make(directory: String, selection: Selection, overrides: [String], episodes: Int,
                            seed: UInt64) throws(ScenarioError) -> RunPlan {
        let prepared = try PreparedScenario.read(directory: directory)
        let parsed: [(name: String, value: String)]
        switch VariableSelection.parseOverrides(overrides) {
        case .success(let o): parsed = o
        case .failure(let e): throw ScenarioError(file: directory + "/scenario.yaml", line: nil, field: "--var", message: e.message)
        }
        var conditions: [RunCondition] = []
        switch selection {
        case .single(let condition):
            let scenario = try prepared.scenario(VariableSelection(condition: condition, overrides: parsed), toolNames: ToolCatalog.builtInNames)
            conditions.append(RunCondition(id: scenario.resolved.condition ?? "default", scenario: scenario))
        case .grid:
            guard let grid = prepared.variables.grid else {
                throw ScenarioError(file: directory + "/scenario.yaml", line: nil, field: "grid", message: "--grid: the scenario has no grid: section")
            }
            for c in grid.conditions {
                let scenario = try prepared.scenario(VariableSelection(condition: c.id, overrides: parsed), toolNames: ToolCatalog.builtInNames)
                conditions.append(RunCondition(id: c.id, scenario: scenario))
            }
        }
        return RunPlan(scenarioDirectory: directory, conditions: conditions, episodes: episodes, seed: seed, overrides: overrides)
    }
}
