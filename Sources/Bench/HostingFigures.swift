import Foundation
import Synchronization
import TerrariumBase
import TerrariumServer

#if canImport(Glibc)
import Glibc
#endif

/// The figures of "Hosting rollouts": a real `terrarium serve` child process (the binary
/// beside this one) driven over loopback HTTP, once recording every episode (`--runs`) and
/// once in memory (`--in-memory`). Memory and CPU are read from the server's /proc entries,
/// so the clients' own work is not counted in them. Each figure comes with a baseline
/// measured the same way in the same run (a `GET /health` round trip, which does no episode
/// work) and the load average, since the machine's cores are shared.
struct HostingFigures {
    let scratch: String
    let report: Report
    var episodes = 1000
    var clients = 64
    var seconds = 8.0
    /// Throughput runs per figure; the median is reported.
    var rounds = 3

    /// The mail and file calls the clients cycle through.
    static let calls: [String] = [
        #"{"tool":"list_emails","arguments":{"limit":5}}"#,
        #"{"tool":"read_file","arguments":{"path":"notes/todo.md"}}"#,
        #"{"tool":"search_emails","arguments":{"query":"invoice"}}"#,
        #"{"tool":"list_files","arguments":{"path":"notes"}}"#,
        #"{"tool":"write_file","arguments":{"path":"tmp/bench.txt","content":"x"}}"#,
    ]

    func run() async throws {
        for recorded in [true, false] { try measure(recorded: recorded) }
    }

    func measure(recorded: Bool) throws {
        let mode = recorded ? "recorded" : "in memory"
        let server = try ServerProcess(scratch: scratch, recorded: recorded, capacity: episodes + 100)
        defer { server.stop() }
        let pid = server.pid, port = server.port
        print("\n[hosting, \(mode)] terrarium serve (pid \(pid)), bramble-office; load average \(loadAverage())")
        let idleRSS = rss(pid)
        let client = LoopbackHTTPClient(port: port)

        // Baseline: one client, GET /health, one request at a time.
        let health = try sample(500) {
            guard try client.request("GET", "/health").status == 200 else { throw BenchFailure("GET /health failed") }
        }
        // Create: one client, one request at a time, so latency is the server's.
        let body = Array(#"{"scenario":"bramble-office","seed":1}"#.utf8)
        var ids: [String] = []
        var createTimes: [Double] = []
        let cpuBeforeCreate = processCPU(pid)
        let loadCreate = loadAverage()
        for _ in 0..<episodes {
            let t0 = now()
            let r = try client.request("POST", "/episodes", headers: [("Content-Type", "application/json")], body: body)
            createTimes.append(Double(now() - t0) / 1e9)
            guard r.status == 201, let id = try JSON.parse(r.body)["id"]?.stringValue else {
                throw BenchFailure("create failed: \(r.status) \(r.text)")
            }
            ids.append(id)
        }
        let createCPU = (processCPU(pid) - cpuBeforeCreate) / Double(episodes)
        createTimes.sort()
        let createP50 = percentile(createTimes, 0.5)
        report.add(Figure(name: "create episode over HTTP (\(mode)), p50 (p99 \(ms(percentile(createTimes, 0.99))))",
                          value: ms(createP50), target: "≤ 5 ms", pass: createP50 <= 0.005,
                          baseline: "GET /health p50 \(ms(percentile(health, 0.5))) → \(ratio(createP50, percentile(health, 0.5))); "
                              + "server CPU per create \(ms(createCPU)); load average \(loadCreate)"))
        let liveRSS = rss(pid)
        report.add(Figure(name: "\(episodes) live episodes in one server (\(mode)), resident memory", value: mib(liveRSS),
                          target: "≤ 1024 MiB", pass: liveRSS <= 1 << 30,
                          baseline: "server before any episode \(mib(idleRSS)); \((liveRSS - idleRSS) / episodes / 1024) KiB per episode; load average \(loadAverage())"))

        // Throughput with `clients` blocking client threads (each its own keep-alive connection).
        let calls = HostingFigures.calls.map { Array($0.utf8) }
        let targets = Array(ids.prefix(clients))
        var healthRuns: [Load] = [], callRuns: [Load] = []
        for _ in 0..<rounds {
            healthRuns.append(drive(port: port, pid: pid, seconds: seconds / 2) { _, _ in ("GET", "/health", nil) })
            callRuns.append(drive(port: port, pid: pid, seconds: seconds) { i, n in
                ("POST", "/episodes/\(targets[i % targets.count])/call", calls[n % calls.count])
            })
        }
        let h = Load.median(healthRuns), c = Load.median(callRuns)
        report.add(Figure(name: "mail/file calls over HTTP (\(mode)), \(clients) client threads, p50 \(ms(c.p50)), p99 \(ms(c.p99))",
                          value: "\(Int(c.rate)) calls/s", target: "≥ 5,000 calls/s", pass: c.rate >= 5000,
                          baseline: "median of \(rounds): \(callRuns.map { String(Int($0.rate)) }.joined(separator: ", ")) calls/s; "
                              + "GET /health the same way \(Int(h.rate))/s (p50 \(ms(h.p50))) → \(ratio(c.rate, h.rate)); "
                              + "\(c.errors) errors; server CPU \(µs(c.serverCPUPerRequest)) per call vs \(µs(h.serverCPUPerRequest)) per health; "
                              + "load average \(c.load)"))

        // The same with wrk (epoll, 2 threads) as the load generator, when installed.
        if let wrk = Wrk(scratch: scratch, port: port, targets: targets, calls: HostingFigures.calls) {
            var wh: [Wrk.Result] = [], wc: [Wrk.Result] = []
            for _ in 0..<rounds {
                wh.append(try wrk.run(health: true, connections: clients, seconds: seconds / 2))
                wc.append(try wrk.run(health: false, connections: clients, seconds: seconds))
            }
            let mh = Wrk.Result.median(wh), mc = Wrk.Result.median(wc)
            report.add(Figure(name: "mail/file calls over HTTP (\(mode)), wrk 2 threads \(clients) connections, p50 \(mc.p50), p99 \(mc.p99)",
                              value: "\(Int(mc.rate)) calls/s", target: "≥ 5,000 calls/s", pass: mc.rate >= 5000,
                              baseline: "median of \(rounds): \(wc.map { String(Int($0.rate)) }.joined(separator: ", ")) calls/s; "
                                  + "GET /health with wrk \(Int(mh.rate))/s (p50 \(mh.p50)) → \(ratio(mc.rate, mh.rate)); "
                                  + "\(mc.errors) non-2xx or socket errors; load average \(mc.load)"))
        } else {
            print("  (wrk not installed: apt-get install -y wrk for the wrk figures)")
        }
    }

    /// One throughput measurement: requests per second, latency percentiles, server CPU.
    struct Load {
        var rate: Double, p50: Double, p99: Double, errors: Int, serverCPUPerRequest: Double, load: String
        static func median(_ runs: [Load]) -> Load { runs.sorted { $0.rate < $1.rate }[runs.count / 2] }
    }

    /// `clients` threads, each on its own connection, send `request(client, n)` for `seconds`.
    func drive(port: Int, pid: Int32, seconds: Double,
               _ request: @escaping @Sendable (Int, Int) -> (String, String, [UInt8]?)) -> Load {
        let latencies = Mutex<[Double]>([])
        let errors = Mutex(0)
        let finished = Mutex(0)
        let deadline = now() + UInt64(seconds * 1e9)
        let cpu0 = processCPU(pid)
        let wall0 = now()
        for i in 0..<clients {
            Thread {
                let c = LoopbackHTTPClient(port: port)
                var mine: [Double] = []
                var n = i
                while now() < deadline {
                    let (method, path, body) = request(i, n)
                    let t0 = now()
                    let r = try? c.request(method, path, headers: body == nil ? [] : [("Content-Type", "application/json")], body: body)
                    mine.append(Double(now() - t0) / 1e9)
                    if r?.status != 200 { errors.withLock { $0 += 1 } }
                    n += 1
                }
                latencies.withLock { $0 += mine }
                finished.withLock { $0 += 1 }
            }.start()
        }
        while finished.withLock({ $0 }) < clients { usleep(20_000) }
        let wall = Double(now() - wall0) / 1e9
        let all = latencies.withLock { $0 }.sorted()
        let cpu = processCPU(pid) - cpu0
        return Load(rate: Double(all.count) / wall, p50: percentile(all, 0.5), p99: percentile(all, 0.99),
                    errors: errors.withLock { $0 }, serverCPUPerRequest: cpu / Double(max(all.count, 1)), load: loadAverage())
    }
}

/// A `terrarium serve` child process on a free loopback port.
final class ServerProcess {
    let process = Process()
    let port: Int
    var pid: Int32 { process.processIdentifier }

    init(scratch: String, recorded: Bool, capacity: Int) throws {
        let environments = FileManager.default.currentDirectoryPath + "/Environments"
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("terrarium").path
        port = freePort()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--port", String(port), "--environments", environments, "--capacity", String(capacity)]
            + (recorded ? ["--runs", scratch + "/runs-\(port)"] : ["--in-memory"])
        process.standardError = FileHandle.nullDevice
        try process.run()
        let client = LoopbackHTTPClient(port: port)
        for _ in 0..<200 {
            usleep(50_000)
            if (try? client.request("GET", "/health"))?.status == 200 { return }
        }
        stop()
        throw BenchFailure("terrarium serve did not answer on port \(port)")
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

func freePort() -> Int {
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(s) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    var bound = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) } }
    return Int(UInt16(bigEndian: bound.sin_port))
}

func rss(_ pid: Int32) -> Int {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
}

func loadAverage() -> String {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}

func mib(_ bytes: Int) -> String { "\(bytes / (1 << 20)) MiB" }

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
