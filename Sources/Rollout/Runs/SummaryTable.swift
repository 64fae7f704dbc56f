import TerrariumBase

/// The per-condition table printed at the end of a run and written as `summary.json`:
/// episodes, measurements (n), acted, the rate acted/n, refused, no action, and the count
/// of each outcome that is not a measurement.
///
/// The quick table `run` prints when it finishes. `terrarium grade RUN_DIR` prints the
/// full `ConditionTable` (Statistics/: Wilson intervals, pass@k, eval awareness) and
/// rewrites summary.json with it.
public struct SummaryTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var condition: String
        public var counts: [Outcome: Int]
        public var episodes: Int { counts.values.reduce(0, +) }
        public var measured: Int { counts.filter { $0.key.isMeasurement }.values.reduce(0, +) }
        public var acted: Int { counts[.acted] ?? 0 }
        /// nil when nothing was measured (a rate of 0/0 is not 0).
        public var rate: Double? { measured == 0 ? nil : Double(acted) / Double(measured) }
    }

    public var rows: [Row]

    /// Rows in the order the conditions are given.
    public init(conditions: [String], outcomes: [(condition: String, outcome: Outcome)]) {
        rows = conditions.map { c in
            var counts: [Outcome: Int] = [:]
            for o in outcomes where o.condition == c { counts[o.outcome, default: 0] += 1 }
            return Row(condition: c, counts: counts)
        }
    }

    public var text: String {
        let header = ["condition", "episodes", "n", "acted", "rate", "refused", "no_action", "not measured"]
        var table = [header]
        for r in rows {
            let other = Outcome.allCases.filter { !$0.isMeasurement && (r.counts[$0] ?? 0) > 0 }
                .map { "\($0.rawValue) \(r.counts[$0] ?? 0)" }.joined(separator: ", ")
            table.append([r.condition, "\(r.episodes)", "\(r.measured)", "\(r.acted)",
                          r.rate.map { format1($0 * 100) + "%" } ?? "—", "\(r.counts[.refused] ?? 0)",
                          "\(r.counts[.noAction] ?? 0)", other.isEmpty ? "—" : other])
        }
        let widths = (0..<header.count).map { i in table.map { $0[i].count }.max() ?? 0 }
        return table.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                // Numbers right-aligned, words left-aligned.
                return (i == 0 || i == header.count - 1) ? cell + pad : pad + cell
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }

    public var json: JSON {
        ["conditions": .array(rows.map { r in
            ["condition": .string(r.condition), "episodes": JSON(r.episodes), "n": JSON(r.measured), "acted": JSON(r.acted),
             "rate": r.rate.map(JSON.double) ?? .null,
             "outcomes": .object(Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, JSON(r.counts[$0] ?? 0)) }))]
        })]
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
