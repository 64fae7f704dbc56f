import TerrariumBase
import TerrariumEpisode
import TerrariumScenarios
import TerrariumWorld

/// What declaring triggers costs a recorded episode: the same call mix with 0 and with 20
/// triggers, measured in alternating episodes of one process (so drift hits both alike).
/// The 20 triggers watch the kinds the mix produces and get as far as their regexes and
/// globs, but never fire, so both runs record the same events.
struct ReactionFigures {
    let scenario: Scenario
    let scratch: String
    let report: Report

    static func triggers() throws -> [Trigger] {
        var out: [Trigger] = []
        let effects: [ScenarioEffect] = [.setFlags(["seen": true])]
        for i in 0..<8 {   // the mix sends to p2: the address matches, the body regex does not
            let p = try EventPattern(kinds: [.mailSent], to: ["p2@example-corp.com"], body: try TextPattern("(?i)resign\(i)|leak"))
            out.append(Trigger(id: "mail-\(i)", start: .on(p, after: .seconds(60)), effects: effects))
        }
        for i in 0..<6 {   // the mix writes notes/scratch.txt: the glob matches, the content regex does not
            let p = try EventPattern(kinds: [.fileCreated, .fileModified], path: "notes/*", content: try TextPattern("secret-\(i)"))
            out.append(Trigger(id: "file-\(i)", start: .on(p, after: .seconds(0)), repeats: true, effects: effects))
        }
        for i in 0..<4 {
            let p = try EventPattern(kinds: [.toolCalled], tool: "read_email", arguments: ["id": try TextPattern("^never\(i)$")])
            out.append(Trigger(id: "tool-\(i)", start: .on(p, after: .seconds(0)), effects: effects))
        }
        for i in 0..<2 {   // schedules far past the bench's clock
            out.append(Trigger(id: "at-\(i)", start: .at(VirtualTime(milliseconds: Int64.max / 2 + Int64(i))), effects: effects))
        }
        return out
    }

    func run() async throws {
        print("\n[5] recorded tool calls with 0 and 20 triggers declared (alternating episodes)")
        var reactive = scenario
        reactive.triggers = try ReactionFigures.triggers()
        let rounds = 50, perEpisode = 200
        var cpu = [0.0, 0.0]
        for round in 0..<rounds {
            for (k, s) in [scenario, reactive].enumerated() {
                let cpu0 = cpuSeconds()
                let episode = try Episode(scenario: s, options: .init(recordTo: "\(scratch)/triggers/\(round)-\(k)"))
                for i in 0..<perEpisode {
                    let (name, args) = CoreFigures.mix[i % CoreFigures.mix.count]
                    let r = try await episode.call(name, arguments: args)
                    if r.isError { fatalError("bench call \(name) failed: \(r.text)") }
                }
                cpu[k] += cpuSeconds() - cpu0
                if await episode.snapshot().flags["seen"] != nil { fatalError("a bench trigger fired") }
            }
        }
        let calls = Double(rounds * perEpisode)
        let plain = calls / cpu[0], withTriggers = calls / cpu[1]
        report.add(Figure(name: "calls per CPU-second, recorded, 20 triggers declared", value: "\(Int(withTriggers))",
                          target: "informational", pass: true,
                          baseline: "0 triggers \(Int(plain)) per CPU-second in the same run → ratio \(format2(withTriggers / plain))"))
    }
}

/// Two decimals, without Foundation.
func format2(_ x: Double) -> String {
    let hundredths = Int((x * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}
