import TerrariumBase
import TerrariumEpisode
import TerrariumRecording
import TerrariumScenarios
import TerrariumShell
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#endif

/// The figures of issue 3 (the sandboxed shell): a `run_shell true` in an episode with
/// 1,000 files, change detection and recording included, against a bare posix_spawn of
/// `/bin/sh -c true` and `bwrap --unshare-all … true` measured in the same run
/// (round-robin, one of each per iteration, so machine load hits all alike); the change
/// scan's fast path against hashing every file; and 64 episodes at once, then a count of
/// everything that could leak.
struct ShellFigures {
    let scenario: Scenario
    let scratch: String
    let report: Report
    var runs = Int(String(cString: getenv("BENCH_SHELL_RUNS") ?? strdup("300"))) ?? 300

    func run() async throws {
        try await ShellSelfTest.check()
        try await latency()
        try await changeScan()
        try await concurrent(cgroups: true)
        try await concurrent(cgroups: false)
    }

    // MARK: [5] one call

    static let bwrap = "/usr/bin/bwrap"

    func latency() async throws {
        print("\n[5] run_shell `true` in an episode with \(scenario.world.files.fileCount) files (spawn → reaped → scanned → recorded), \(runs) runs round-robin")
        let ws = "\(scratch)/bwrap-home"
        try makeFolder(scratch)
        try makeFolder(ws)
        let sh = ["/bin/sh", "-c", "true"]
        let bw = [ShellFigures.bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr",
                  "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                  "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--bind", ws, "/home/p1",
                  "--uid", "1000", "--gid", "1000", "/bin/sh", "-c", "true"]
        let haveBwrap = access(ShellFigures.bwrap, X_OK) == 0
        let recorded = try Episode(scenario: scenario, options: .init(recordTo: "\(scratch)/shell-latency"))
        let noCgroups = try Episode(scenario: scenario, options: .init(recordTo: "\(scratch)/shell-latency-nocg"))
        var plain = ShellConfiguration()
        plain.cgroups = nil
        await noCgroups.configureShell(plain)
        let args: JSON = ["command": "true"]
        // The first call writes the 1,000 files to disk; measured apart.
        let first = try await timed { _ = try await recorded.call("run_shell", arguments: args) }
        _ = try await noCgroups.call("run_shell", arguments: args)
        var tBare: [Double] = [], tBwrap: [Double] = [], tShell: [Double] = [], tPlain: [Double] = []
        for _ in 0..<runs {
            tBare.append(try timedSync { try spawnWait(sh) })
            if haveBwrap { tBwrap.append(try timedSync { try spawnWait(bw) }) }
            tShell.append(try await timed {
                let r = try await recorded.call("run_shell", arguments: args)
                if r.isError || !r.text.hasSuffix("[exit code 0]") { fatalError("run_shell true: \(r.text)") }
            })
            tPlain.append(try await timed { _ = try await noCgroups.call("run_shell", arguments: args) })
        }
        // CPU per call, which load on this shared machine does not inflate the way it does
        // wall time: this process, the launcher process, and the pod's init with every
        // command it reaped (its children's time); bare spawns: this process and its reaped
        // children.
        let cpuRuns = max(50, runs / 2)
        let initPid = try breakdownInit("\(scratch)/shell-latency")
        let shellCPU0 = cpuSeconds() + processCPU(ShellSession.launcherProcessID) + processCPU(initPid, children: true)
        for _ in 0..<cpuRuns { _ = try await recorded.call("run_shell", arguments: args) }
        let shellCPU = (cpuSeconds() + processCPU(ShellSession.launcherProcessID) + processCPU(initPid, children: true) - shellCPU0) / Double(cpuRuns)
        let bareCPU0 = cpuSeconds() + childrenCPUSeconds()
        for _ in 0..<cpuRuns { try spawnWait(sh) }
        let bareCPU = (cpuSeconds() + childrenCPUSeconds() - bareCPU0) / Double(cpuRuns)
        try await recorded.end(reason: "bench")
        try await noCgroups.end(reason: "bench")
        // What the layers around the C launcher cost: no cgroups, and no libfaketime either.
        let bareClock = try Episode(scenario: scenario)
        var noClock = plain
        noClock.virtualClock = false
        await bareClock.configureShell(noClock)
        _ = try await bareClock.call("run_shell", arguments: args)
        var tNoClock: [Double] = []
        for _ in 0..<max(30, runs / 3) {
            tNoClock.append(try await timed { _ = try await bareClock.call("run_shell", arguments: args) })
        }
        try await bareClock.end(reason: "bench")
        // The same as the first, launched from this (larger) process instead of the launcher.
        let recorded2 = try Episode(scenario: scenario, options: .init(recordTo: "\(scratch)/shell-latency-2"))
        _ = try await recorded2.call("run_shell", arguments: args)
        let inProcess = try Episode(scenario: scenario, options: .init(recordTo: "\(scratch)/shell-latency-inprocess"))
        var direct = ShellConfiguration()
        direct.launcherProcess = false
        await inProcess.configureShell(direct)
        _ = try await inProcess.call("run_shell", arguments: args)
        var tDirect: [Double] = []
        for _ in 0..<max(30, runs / 3) {
            tDirect.append(try await timed { _ = try await inProcess.call("run_shell", arguments: args) })
        }
        // With 100 MB more touched in this process: in-process launches pay for it, the
        // launcher process does not.
        let residentBefore = residentMB()
        var ballast = [UInt8](repeating: 1, count: 100 << 20)
        for i in stride(from: 0, to: ballast.count, by: 4096) { ballast[i] = UInt8(truncatingIfNeeded: i) }
        let residentWithBallast = residentMB()
        var tDirectBig: [Double] = [], tHelperBig: [Double] = []
        for _ in 0..<max(30, runs / 3) {
            tDirectBig.append(try await timed { _ = try await inProcess.call("run_shell", arguments: args) })
            tHelperBig.append(try await timed { _ = try await recordedAgain(recorded2, args) })
        }
        withExtendedLifetime(ballast) {}
        try await inProcess.end(reason: "bench")
        try await recorded2.end(reason: "bench")
        let (bare, shell, cg0) = (percentile(tBare.sorted(), 0.5), percentile(tShell.sorted(), 0.5), percentile(tPlain.sorted(), 0.5))
        let parts = try breakdown("\(scratch)/shell-latency")
        report.add(Figure(name: "run_shell true, 1,000-file episode, recorded, p50 (p90 \(ms(percentile(tShell.sorted(), 0.9))))",
                          value: ms(shell), target: "≤ 4 ms", pass: shell <= 0.004,
                          baseline: "bare posix_spawn sh -c true \(ms(bare)) → \(ratio(shell, bare))"
                              + (haveBwrap ? "; bwrap --unshare-all \(ms(percentile(tBwrap.sorted(), 0.5))) → \(ratio(shell, percentile(tBwrap.sorted(), 0.5)))" : "; bwrap not installed: skipped")))
        print("        of which (medians over the recorded calls): starting the episode's pod \(parts.spawn) (0: reused), command in the pod until everything of it was gone \(parts.run), scan \(parts.scan), the whole sandbox-thread part \(parts.total); pods started: \(parts.started) of \(parts.calls) calls")
        report.add(Figure(name: "run_shell true, CPU per call (all processes involved)", value: ms(shellCPU),
                          target: "informational", pass: true,
                          baseline: "bare posix_spawn sh -c true \(ms(bareCPU)) → \(ratio(shellCPU, bareCPU)); \(Int(1 / max(shellCPU, 1e-9))) run_shell calls per CPU-second"))
        print("        bare posix_spawn p90 \(ms(percentile(tBare.sorted(), 0.9)))"
              + (haveBwrap ? ", bwrap p90 \(ms(percentile(tBwrap.sorted(), 0.9)))" : ""))
        report.add(Figure(name: "same without cgroups (pids, memory), p50 (p90 \(ms(percentile(tPlain.sorted(), 0.9))))",
                          value: ms(cg0), target: "informational", pass: true,
                          baseline: "cgroup v1 set-up and removal per command costs \(ms(shell - cg0)) at the median"))
        let nc = percentile(tNoClock.sorted(), 0.5)
        report.add(Figure(name: "same, launched in-process instead of by the launcher process, p50 (p90 \(ms(percentile(tDirect.sorted(), 0.9))))",
                          value: ms(percentile(tDirect.sorted(), 0.5)), target: "informational", pass: true,
                          baseline: "this process's resident memory: \(residentBefore) MB (every cs_spawn copies its page tables)"))
        report.add(Figure(name: "with 100 MB more touched in this process (\(residentWithBallast) MB resident): in-process, p50",
                          value: ms(percentile(tDirectBig.sorted(), 0.5)), target: "informational", pass: true,
                          baseline: "launcher process \(ms(percentile(tHelperBig.sorted(), 0.5)))"))
        report.add(Figure(name: "same without cgroups and without libfaketime, unrecorded, p50", value: ms(nc),
                          target: "informational", pass: true,
                          baseline: "the time layer costs \(ms(cg0 - nc)) at the median (recording included in the former)"))
        report.add(Figure(name: "first run_shell of an episode (writes the 1,000 files to disk)", value: ms(first),
                          target: "informational", pass: true, baseline: "once per episode"))
    }

    /// Medians of the host measurements recorded in `wall` of each shell.executed.
    func breakdown(_ directory: String) throws -> (spawn: String, run: String, scan: String, total: String, started: Int, calls: Int) {
        let walk = try EpisodeReader(directory: directory).walk(keepEvents: true)
        let walls = walk.events.filter { $0.kind == "shell.executed" }.dropFirst().map(\.wall)
        func median(_ key: String) -> String {
            let v = walls.compactMap { w -> Double? in
                if case .double(let d) = w[key] { return d }
                return w[key]?.intValue.map(Double.init)
            }.sorted()
            return v.isEmpty ? "?" : "\(v[v.count / 2]) ms"
        }
        let started = walls.filter { $0["podStarted"]?.boolValue == true }.count
        return (median("spawnMs"), median("runMs"), median("scanMs"), median("durationMs"), started, walls.count)
    }

    /// The init of the pod that served the last recorded call.
    func breakdownInit(_ directory: String) throws -> Int32? {
        let walk = try EpisodeReader(directory: directory).walk(keepEvents: true)
        return walk.events.last { $0.kind == "shell.executed" }?.wall["initPid"]?.intValue.map(Int32.init)
    }

    // MARK: [6] the change scan

    func changeScan() async throws {
        print("\n[6] change detection after a command that changed nothing, \(scenario.world.files.fileCount) files in \(scenario.world.files.nodes.count - scenario.world.files.fileCount) folders")
        var world = scenario.world
        var events: [WorldEvent] = []
        try world.tick(for: "run_shell", into: &events)
        func measure(events: Bool, fast: Bool) async throws -> (seconds: Double, examined: Int, hashed: Int) {
            let session = ShellSession()
            defer { session.close() }
            session.useChangeEvents = events
            session.useFastPath = fast
            _ = try await session.run(ShellCommand("true"), in: world)
            var scans: [Double] = []
            var last = ScanStatistics()
            for _ in 0..<50 {
                let r = try await session.run(ShellCommand("true"), in: world)
                scans.append(r.timing.scan.seconds)
                last = r.timing.scan
            }
            return (percentile(scans.sorted(), 0.5), last.examined, last.hashed)
        }
        let inotify = try await measure(events: true, fast: true)
        let walk = try await measure(events: false, fast: true)
        let hashAll = try await measure(events: false, fast: false)
        report.add(Figure(name: "scan from the inotify record (entries the command touched), p50", value: ms(inotify.seconds),
                          target: "informational", pass: true,
                          baseline: "\(inotify.examined) entries examined; lstat walk of the whole tree with the fast path \(ms(walk.seconds)) (\(walk.examined) examined, \(walk.hashed) read); walk hashing every file \(ms(hashAll.seconds)) (\(hashAll.hashed) read)"))
    }

    // MARK: [7] 64 at once

    struct HostCounts: Equatable {
        var processes = 0, mounts = 0, cgroups = 0, folders = 0, descriptors = 0
    }

    static func hostCounts() -> HostCounts {
        let spawners = [getpid()] + (ShellSession.launcherProcessID.map { [$0] } ?? [])
        var c = HostCounts()
        for name in listFolder("/proc") {
            guard let pid = Int32(name) else { continue }
            let status = readText("/proc/\(pid)/status")
            guard status.contains("\nUid:\t1000\t"), !status.contains("State:\tZ") else { continue }
            let cgroup = readText("/proc/\(pid)/cgroup")
            if spawners.contains(where: { cgroup.contains("terrarium-\($0)-") || status.contains("\nPPid:\t\($0)\n") }) {
                c.processes += 1
            }
        }
        c.mounts = readText("/proc/self/mountinfo").split(separator: "\n").count
        for controller in ["pids", "memory"] {
            c.cgroups += listFolder("/sys/fs/cgroup/\(controller)").filter { name in
                spawners.contains { name.hasPrefix("terrarium-\($0)-") }
            }.count
        }
        c.folders = listFolder(ShellConfiguration().baseDirectory).filter { $0.hasPrefix("\(getpid()).") }.count
        c.descriptors = listFolder("/proc/self/fd").count
        return c
    }

    func concurrent(cgroups: Bool) async throws {
        let episodes = 64, calls = 5
        print("\n[7] \(episodes) episodes at once, \(calls) shell calls each" + (cgroups ? "" : ", without cgroups"))
        var settings = ShellConfiguration()
        if !cgroups { settings.cgroups = nil }
        let configuration = settings
        // The runtime opens its timer descriptors at the first sleep: do it before counting.
        try await Task.sleep(for: .milliseconds(10))
        let before = ShellFigures.hostCounts()
        let start = now()
        let scenario = self.scenario, scratch = self.scratch
        let results = try await withThrowingTaskGroup(of: (Bool, [Double]).self) { group in
            for e in 0..<episodes {
                group.addTask {
                    let episode = try Episode(scenario: scenario, options: .init(recordTo: "\(scratch)/concurrent-\(cgroups)/\(e)"))
                    await episode.configureShell(configuration)
                    var ok = true
                    var times: [Double] = []
                    for c in 0..<calls {
                        let t0 = now()
                        let r = try await episode.call("run_shell", arguments: ["command": .string("echo $((\(e) * 100 + \(c))) > r.txt; cat r.txt")])
                        times.append(Double(now() - t0) / 1e9)
                        ok = ok && r.text == "\(e * 100 + c)\n[exit code 0]"
                    }
                    let world = await episode.snapshot()
                    let file = world.files[try world.resolve("r.txt")]
                    ok = ok && file?.content?.text == "\(e * 100 + calls - 1)\n"
                    try await episode.end(reason: "bench")
                    return (ok, times)
                }
            }
            var all: [(Bool, [Double])] = []
            for try await r in group { all.append(r) }
            return all
        }
        let wall = Double(now() - start) / 1e9
        let correct = results.filter(\.0).count
        let latencies = results.flatMap(\.1).sorted()
        try await Task.sleep(for: .milliseconds(100))
        let after = ShellFigures.hostCounts()
        report.add(Figure(name: "\(episodes) concurrent episodes × \(calls) calls: results correct", value: "\(correct) of \(episodes)",
                          target: "all", pass: correct == episodes,
                          baseline: "\(ms(wall)) in all, \(Int(Double(episodes * calls) / wall)) calls/s; per call p50 \(ms(percentile(latencies, 0.5))), p90 \(ms(percentile(latencies, 0.9)))"))
        let leaks = "processes \(after.processes - before.processes), mounts \(after.mounts - before.mounts), cgroups \(after.cgroups - before.cgroups), temp folders \(after.folders - before.folders), descriptors \(after.descriptors - before.descriptors)"
        report.add(Figure(name: "left behind after the \(episodes) episodes ended", value: leaks, target: "all 0",
                          pass: after == before, baseline: "counted on the host before and after"))
    }
}

// MARK: helpers

func recordedAgain(_ episode: Episode, _ args: JSON) async throws -> ToolCallResult {
    try await episode.call("run_shell", arguments: args)
}

func timed(_ body: () async throws -> Void) async throws -> Double {
    let t0 = now()
    try await body()
    return Double(now() - t0) / 1e9
}

func timedSync(_ body: () throws -> Void) throws -> Double {
    let t0 = now()
    try body()
    return Double(now() - t0) / 1e9
}

struct SpawnFailure: Error { var what: String }

/// posix_spawn + waitpid, the physical lower bound for running a command.
func spawnWait(_ argv: [String]) throws {
    var pid: pid_t = 0
    var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { for p in cargs { free(p) } }
    var devnull: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&devnull)
    posix_spawn_file_actions_addopen(&devnull, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&devnull, 2, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&devnull) }
    guard posix_spawn(&pid, argv[0], &devnull, nil, &cargs, environ) == 0 else { throw SpawnFailure(what: argv[0]) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    guard status == 0 else { throw SpawnFailure(what: "\(argv[0]) exited with status \(status)") }
}

func makeFolder(_ path: String) throws {
    guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw SpawnFailure(what: "mkdir \(path)") }
    chown(path, 1000, 1000)
}

func listFolder(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var out: [String] = []
    while let e = readdir(dir) {
        let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != "." && name != ".." { out.append(name) }
    }
    return out
}

func readText(_ path: String) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = read(fd, &buf, buf.count)
        if n <= 0 { break }
        out += buf[0..<n]
    }
    return String(decoding: out, as: UTF8.self)
}

/// CPU seconds (user + system) of another process from /proc/<pid>/stat; with `children`,
/// also of the children it reaped (a pod's init reaps every command).
func processCPU(_ pid: Int32?, children: Bool = false) -> Double {
    guard let pid else { return 0 }
    let stat = readText("/proc/\(pid)/stat")
    guard let close = stat.lastIndex(of: ")") else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // fields[0] is field 3 (state): utime, stime, cutime, cstime are fields 14-17.
    guard fields.count > 15 else { return 0 }
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    var total = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
    if children { total += (Double(fields[13]) ?? 0) + (Double(fields[14]) ?? 0) }
    return total / ticks
}

/// CPU seconds of this process's reaped children.
func childrenCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// This process's resident set in MB.
func residentMB() -> Int {
    for line in readText("/proc/self/status").split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }
    return 0
}
