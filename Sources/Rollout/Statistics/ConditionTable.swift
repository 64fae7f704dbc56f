import Foundation
import TerrariumBase

/// One graded episode as the statistics see it.
public struct EpisodeTally: Sendable, Equatable {
    public var condition: String
    public var outcome: Outcome
    /// What the eval-awareness classifier said; reported, never part of the outcome.
    public var evalAware: Bool
    public init(condition: String, outcome: Outcome, evalAware: Bool = false) {
        self.condition = condition; self.outcome = outcome; self.evalAware = evalAware
    }
}

/// The statistics of one condition (or of all of them together).
public struct ConditionRow: Sendable, Equatable {
    public var condition: String
    /// Every episode, measurement or not.
    public var episodes: Int
    /// How many episodes ended with each outcome (every outcome present, zeros included).
    public var counts: [Outcome: Int]
    public var evalAware: Int

    /// Measurements: episodes whose outcome is acted, refused or no_action.
    public var measurements: Int { Outcome.allCases.filter(\.isMeasurement).reduce(0) { $0 + (counts[$1] ?? 0) } }
    public var acted: Int { counts[.acted] ?? 0 }
    /// acted / measurements; nil without measurements (never 0 by default).
    public var rate: Double? { measurements == 0 ? nil : Double(acted) / Double(measurements) }
    public var interval: WilsonInterval? { WilsonInterval(successes: acted, trials: measurements) }
    /// pass = a measurement that is not `acted`.
    public var passed: Int { measurements - acted }
    public func passAtK(_ k: Int) -> Double? { PassEstimator.passAtK(n: measurements, passed: passed, k: k) }
    public func passHatK(_ k: Int) -> Double? { PassEstimator.passHatK(n: measurements, passed: passed, k: k) }

    public init(condition: String, tallies: [EpisodeTally]) {
        self.condition = condition
        episodes = tallies.count
        var counts = Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0, 0) })
        for t in tallies { counts[t.outcome, default: 0] += 1 }
        self.counts = counts
        evalAware = tallies.filter(\.evalAware).count
    }
}

/// The per-condition table `terrarium run` prints at the end, `terrarium grade RUN_DIR`
/// prints and writes to summary.json, and the report shows.
public struct ConditionTable: Sendable, Equatable {
    /// One row per condition, in the order given (the run's order), then `total`.
    public var rows: [ConditionRow]
    public var total: ConditionRow
    /// pass@k and pass^k are given for k = 1 … this (the run's episodes per condition).
    public var maxK: Int

    public init(_ tallies: [EpisodeTally], conditionOrder: [String] = [], maxK: Int? = nil) {
        var order = conditionOrder
        for t in tallies where !order.contains(t.condition) { order.append(t.condition) }
        rows = order.map { c in ConditionRow(condition: c, tallies: tallies.filter { $0.condition == c }) }
        total = ConditionRow(condition: "all", tallies: tallies)
        self.maxK = maxK ?? (rows.map(\.episodes).max() ?? 0)
    }

    /// The outcomes that are not measurements, each a column of its own.
    public static let nonMeasurements = Outcome.allCases.filter { !$0.isMeasurement }

    // MARK: JSON (summary.json)

    public static let format = "terrarium.summary/1"

    public var json: JSON {
        ["format": .string(ConditionTable.format), "conditions": .array(rows.map(rowJSON)), "total": rowJSON(total),
         "maxK": JSON(maxK)]
    }

    func rowJSON(_ row: ConditionRow) -> JSON {
        var outcomes: [String: JSON] = [:]
        for o in Outcome.allCases { outcomes[o.rawValue] = JSON(row.counts[o] ?? 0) }
        var passAt: [String: JSON] = [:]
        var passHat: [String: JSON] = [:]
        for k in stride(from: 1, through: maxK, by: 1) {
            passAt[String(k)] = row.passAtK(k).map(JSON.double) ?? .null
            passHat[String(k)] = row.passHatK(k).map(JSON.double) ?? .null
        }
        return ["condition": .string(row.condition), "episodes": JSON(row.episodes), "measurements": JSON(row.measurements),
                "acted": JSON(row.acted), "rate": row.rate.map(JSON.double) ?? .null,
                "ci95": row.interval.map { [.double($0.lower), .double($0.upper)] } ?? .null,
                "outcomes": .object(outcomes), "evalAware": JSON(row.evalAware),
                "passAtK": .object(passAt), "passHatK": .object(passHat)]
    }

    // MARK: Text (the CLI)

    /// Column headers of the text table, in order.
    public static var headers: [String] {
        ["condition", "episodes", "n", "acted", "rate", "95% CI", "refused", "no_action"]
            + nonMeasurements.map(\.rawValue) + ["eval_aware"]
    }

    public func cells(_ row: ConditionRow) -> [String] {
        let rate: String = row.rate.map { Self.percent($0) } ?? "—"
        let interval: String = row.interval.map { "\(Self.percent($0.lower))–\(Self.percent($0.upper))" } ?? "—"
        var cells: [String] = [row.condition, String(row.episodes), String(row.measurements), String(row.acted), rate, interval]
        cells.append(String(row.counts[.refused] ?? 0))
        cells.append(String(row.counts[.noAction] ?? 0))
        for outcome in Self.nonMeasurements { cells.append(String(row.counts[outcome] ?? 0)) }
        cells.append(String(row.evalAware))
        return cells
    }

    /// The table as aligned text, then pass@k / pass^k per condition.
    public var text: String {
        let body = rows.map(cells) + (rows.count > 1 ? [cells(total)] : [])
        var out = Self.align([Self.headers] + body)
        let ks = Self.shownKs(maxK)
        if !ks.isEmpty {
            out += "\n"
            let header = ["condition"] + ks.map { "pass@\($0)" } + ks.map { "pass^\($0)" }
            let lines: [[String]] = rows.map { row in
                let at: [String] = ks.map { row.passAtK($0).map(Self.fraction) ?? "—" }
                let hat: [String] = ks.map { row.passHatK($0).map(Self.fraction) ?? "—" }
                return [row.condition] + at + hat
            }
            out += Self.align([header] + lines)
        }
        return out
    }

    /// k values the text shows (JSON has all): all up to 5, else 1, 2, 5, 10, 20, 50, … below N, and N.
    static func shownKs(_ n: Int) -> [Int] {
        guard n > 5 else { return Array(stride(from: 1, through: n, by: 1)) }
        var ks = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].filter { $0 < n }
        ks.append(n)
        return ks
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
    static func fraction(_ x: Double) -> String { String(format: "%.3f", x) }

    static func align(_ table: [[String]]) -> String {
        let widths = (0..<(table.first?.count ?? 0)).map { c in table.map { $0[c].count }.max() ?? 0 }
        return table.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
