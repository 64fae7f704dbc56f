import TerrariumBase
import TerrariumEpisode
import TerrariumRecording
import TerrariumScenarios
import TerrariumWorld

/// The figures of "Terrarium core": episode creation, snapshot/fork, tool-call throughput,
/// replay verification.
struct CoreFigures {
    let scenario: Scenario
    let scratch: String
    let report: Report

    /// `only`: run just these parts (creation, fork, calls, replay); empty runs all.
    func run(only: Set<String> = []) async throws {
        if only.isEmpty || only.contains("creation") { try await creation() }
        if only.isEmpty || only.contains("fork") { try await snapshotAndFork() }
        if only.isEmpty || only.contains("calls") { try await throughput() }
        if only.isEmpty || only.contains("replay") { try await replay() }
    }

    /// Baseline: rebuilding the same world from its JSON document, the way a framework that
    /// resets by parsing and validating its environment file would.
    func deepCopy() throws -> World {
        try World(snapshot: try JSON.parse(scenario.snapshotBytes), InlineContentCodec())
    }

    func creation() async throws {
        print("\n[1] episode creation from a parsed scenario")
        let baseline = try sample(30) { _ = try deepCopy() }
        let memory = try sample(500) { _ = try Episode(scenario: scenario) }
        var n = 0
        let recorded = try sample(200) {
            n += 1
            _ = try Episode(scenario: scenario, options: .init(recordTo: "\(scratch)/create/\(n)"))
        }
        let b = percentile(baseline, 0.5)
        report.add(Figure(name: "create episode, in memory, p50", value: ms(percentile(memory, 0.5)), target: "≤ 5 ms",
                          pass: percentile(memory, 0.5) <= 0.005, baseline: "deep copy via JSON \(ms(b)) → \(ratio(percentile(memory, 0.5), b))"))
        report.add(Figure(name: "create episode, recorded to disk, p50 (p99 \(ms(percentile(recorded, 0.99))))",
                          value: ms(percentile(recorded, 0.5)), target: "≤ 5 ms", pass: percentile(recorded, 0.5) <= 0.005,
                          baseline: "\(ratio(percentile(recorded, 0.5), b)) of the deep copy"))
    }

    func snapshotAndFork() async throws {
        print("\n[2] snapshot and fork")
        let episode = try Episode(scenario: scenario)
        _ = try await episode.call("read_email", arguments: ["id": "m5"])
        let baseline = try sample(30) { _ = try deepCopy() }
        let snap = await sampleAsync(2000) { _ = await episode.snapshot() }
        let fork = try await sampleAsync(2000) { _ = try await episode.fork() }
        // The first change to a forked world copies the storage it touches (copy-on-write).
        let world = await episode.snapshot()
        var events: [WorldEvent] = []
        let firstWrite = try sample(200) {
            var copy = world
            _ = try copy.writeFile("dir3/new.txt", content: "x", ifExists: .overwrite, into: &events)
            events.removeAll(keepingCapacity: true)
        }
        let b = percentile(baseline, 0.5)
        report.add(Figure(name: "snapshot of a live episode's world, p50", value: µs(percentile(snap, 0.5)), target: "≤ 0.1 ms",
                          pass: percentile(snap, 0.5) <= 0.0001, baseline: "deep copy \(ms(b)) → \(ratio(percentile(snap, 0.5), b))"))
        report.add(Figure(name: "fork into a new in-memory episode, p50", value: µs(percentile(fork, 0.5)), target: "≤ 0.1 ms",
                          pass: percentile(fork, 0.5) <= 0.0001, baseline: "\(ratio(percentile(fork, 0.5), b)) of the deep copy"))
        report.add(Figure(name: "first file write in a forked world (copy-on-write), p50", value: µs(percentile(firstWrite, 0.5)),
                          target: "informational", pass: true, baseline: "\(ratio(percentile(firstWrite, 0.5), b)) of the deep copy"))
    }

    /// A repeating mix of mail and file calls: reads, listings, searches, writes, sends.
    static let mix: [(String, JSON)] = [
        ("list_emails", ["limit": 10]),
        ("read_email", ["id": "m7"]),
        ("read_file", ["path": "dir2/file52.txt", "limit": 20]),
        ("write_file", ["path": "notes/scratch.txt", "content": "a short note\n"]),
        ("search_emails", ["query": "subject 4", "limit": 5]),
        ("list_files", ["path": "dir1"]),
        ("send_email", ["to": ["p2@example-corp.com"], "subject": "status", "body": "All on track."]),
        ("move_file", ["source": "notes/scratch.txt", "destination": "notes/scratch2.txt"]),
        ("move_file", ["source": "notes/scratch2.txt", "destination": "notes/scratch.txt"]),
        ("write_file", ["path": "notes/scratch.txt", "content": "and one more line\n", "if_exists": "append"]),
        ("read_email", ["id": "m11"]),
        ("search_files", ["path": "dir4", "text": "text 84"]),
    ]

    func runCalls(_ episode: Episode, _ count: Int, breakdown: Bool = false) async throws -> Double {
        var perTool: [String: UInt64] = [:]
        let start = now()
        for i in 0..<count {
            let (name, args) = CoreFigures.mix[i % CoreFigures.mix.count]
            let t0 = now()
            let r = try await episode.call(name, arguments: args)
            perTool[name, default: 0] += now() - t0
            if r.isError { fatalError("bench call \(name) failed: \(r.text)") }
        }
        let total = Double(now() - start) / 1e9
        if breakdown {
            for (name, ns) in perTool.sorted(by: { $0.value > $1.value }) {
                let calls = (0..<count).filter { CoreFigures.mix[$0 % CoreFigures.mix.count].0 == name }.count
                print("        \(name): \(µs(Double(ns) / 1e9 / Double(max(calls, 1)))) per call")
            }
        }
        return total
    }

    func throughput() async throws {
        print("\n[3] mail and file tool calls, one task (mix of \(CoreFigures.mix.count) tools)")
        let count = 20_000, perEpisode = 200
        // Episodes of realistic length (200 calls), creation included, as a rollout host runs them.
        func episodes(_ record: Bool, breakdown: Bool) async throws -> Double {
            var total = 0.0
            for e in 0..<(count / perEpisode) {
                let start = now()
                let episode = try Episode(scenario: scenario, options: .init(recordTo: record ? "\(scratch)/calls/\(e)" : nil))
                total += Double(now() - start) / 1e9
                total += try await runCalls(episode, perEpisode, breakdown: breakdown && e == count / perEpisode - 1)
            }
            return total
        }
        print("      unrecorded, per tool:")
        var cpu0 = cpuSeconds()
        let memory = try await episodes(false, breakdown: true)
        let memoryCPU = cpuSeconds() - cpu0
        print("      recorded, per tool:")
        cpu0 = cpuSeconds()
        let recorded = try await episodes(true, breakdown: true)
        let recordedCPU = cpuSeconds() - cpu0
        let long = try await runCalls(try Episode(scenario: scenario, options: .init(recordTo: "\(scratch)/long")), count)
        let synced = try await runCalls(try Episode(scenario: scenario, options: .init(recordTo: "\(scratch)/synced", fsync: .everyCall)), 500)
        let rate = Double(count) / recordedCPU
        report.add(Figure(name: "calls per CPU-second, recorded, 100 episodes × 200 calls", value: "\(Int(rate))",
                          target: "≥ 20,000", pass: rate >= 20_000,
                          baseline: "unrecorded \(Int(Double(count) / memoryCPU)) per CPU-second → recording costs \(ratio(recordedCPU, memoryCPU)); wall-clock rates \(Int(Double(count) / recorded)) recorded, \(Int(Double(count) / memory)) unrecorded"))
        report.add(Figure(name: "calls/s, recorded, one episode of 20,000 calls", value: "\(Int(Double(count) / long))",
                          target: "informational", pass: true, baseline: "mailbox and files grow through the run"))
        report.add(Figure(name: "calls/s, recorded with fsync every-call", value: "\(Int(500 / synced))", target: "informational",
                          pass: true, baseline: "durable against power loss; bound by the disk's flush latency"))
    }

    func replay() async throws {
        print("\n[4] replay --verify of a 10,000-event episode")
        let directory = "\(scratch)/replay"
        let episode = try Episode(scenario: scenario, options: .init(recordTo: directory))
        var i = 0
        while await episode.lastSeq < 9_999 {
            let (name, args) = CoreFigures.mix[i % CoreFigures.mix.count]
            _ = try await episode.call(name, arguments: args)
            i += 1
        }
        try await episode.end(reason: "bench")
        let events = await episode.lastSeq
        let reader = try EpisodeReader(directory: directory)
        let baseline = try sample(5) {
            let log = try reader.eventLog()
            for line in log.lines { _ = try JSON.parse(Array(line)) }
        }
        let verify = try sample(5) {
            let walk = try reader.walk()
            if walk.error != nil { fatalError("bench episode does not verify: \(walk.error!)") }
        }
        let v = percentile(verify, 0.5), b = percentile(baseline, 0.5)
        report.add(Figure(name: "verify \(events) events, p50", value: ms(v), target: "≤ 1 s", pass: v <= 1.0,
                          baseline: "reading + parsing the log alone \(ms(b)) → \(ratio(v, b))"))
    }
}
