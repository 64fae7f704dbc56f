import ArgumentParser
import TerrariumEpisode
import TerrariumScenarios

/// `--condition ID` and `--var k=v`, shared by check, run and exec.
struct VariableOptions: ParsableArguments {
    @Option(help: "A condition of the scenario's grid (terrarium check DIR --grid lists them).")
    var condition: String?

    @Option(name: .customLong("var"), help: "Set a scenario variable, NAME=VALUE (repeatable; applied after --condition).")
    var variables: [String] = []

    func selection(condition override: String? = nil) throws -> VariableSelection {
        switch VariableSelection.parseOverrides(variables) {
        case .success(let overrides): return VariableSelection(condition: override ?? condition, overrides: overrides)
        case .failure(let e): throw fail(e.message)
        }
    }
}

/// Reads scenario.yaml and its variables; a scenario error becomes one line on stderr and exit 1.
func prepareScenario(_ directory: String) throws -> PreparedScenario {
    do { return try PreparedScenario.read(directory: directory) } catch { throw fail(error.description) }
}

/// Renders and builds the scenario for a selection.
func buildScenario(_ prepared: PreparedScenario, _ selection: VariableSelection) throws -> Scenario {
    do { return try prepared.scenario(selection, toolNames: ToolCatalog.builtInNames) } catch { throw fail(error.description) }
}

/// The grid's conditions for `--grid`; an error when the scenario has none or --condition is also given.
func gridConditions(_ prepared: PreparedScenario, _ options: VariableOptions) throws -> ScenarioGrid {
    guard let grid = prepared.variables.grid else {
        throw fail("\(prepared.directory)/scenario.yaml: --grid: the scenario has no grid: section")
    }
    if let condition = options.condition { throw fail("--grid runs every condition; drop --condition \(condition)") }
    return grid
}

extension ScenarioGrid {
    /// `goal_type (2) × urgency (2) = 4 combinations, 1 excluded, 0 dropped by require: 3 conditions`
    func summary(_ variables: ScenarioVariables) -> String {
        let sizes = factors.map { f in "\(f) (\(variables.declarations.first { $0.name == f }?.choices?.count ?? 0))" }
        return "grid: \(sizes.joined(separator: " × ")) = \(product) combinations, \(excluded) excluded, "
            + "\(droppedByRequire) dropped by require: \(conditions.count) condition\(conditions.count == 1 ? "" : "s")"
    }
}
