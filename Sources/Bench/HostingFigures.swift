import Foundation
import Synchronization
import TerrariumBase
import TerrariumServer

#if canImport(Glibc)
import Glibc
#endif

/// The figures of "Hosting rollouts": a real `terrarium serve` child process (the binary
/// beside this one) driven over loopback HTTP. Memory and CPU are read from the server's
/// /proc entries, so the client's own work is not counted in them.
struct HostingFigures {
    let scratch: String
    let report: Report
    var episodes = 1000
    var clients = 64
    var seconds = 10.0

    func run() async throws {
        let environments = FileManager.default.currentDirectoryPath + "/Environments"
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("terrarium").path
        let port = freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["serve", "--port", String(port), "--environments", environments, "--runs", scratch + "/runs",
                            "--capacity", String(episodes + 100)]
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let pid = server.processIdentifier
        let client = LoopbackHTTPClient(port: port)
        var up = false
        for _ in 0..<200 where !up {
            usleep(50_000)
            up = (try? client.request("GET", "/health"))?.status == 200
        }
        guard up else { throw BenchFailure("terrarium serve did not answer on port \(port)") }
        print("\n[hosting] terrarium serve (pid \(pid)), bramble-office; load average now \(loadAverage())")
        let idleRSS = rss(pid)

        // Create: one client, one request at a time, so latency is the server's.
        let body = Array(#"{"scenario":"bramble-office","seed":1}"#.utf8)
        var ids: [String] = []
        var createTimes: [Double] = []
        let cpuBeforeCreate = processCPU(pid)
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
        report.add(Figure(name: "create episode over HTTP (recorded), p50 (p99 \(ms(percentile(createTimes, 0.99))))",
                          value: ms(percentile(createTimes, 0.5)), target: "≤ 5 ms", pass: percentile(createTimes, 0.5) <= 0.005,
                          baseline: "server CPU per create \(ms(createCPU))"))
        let liveRSS = rss(pid)
        report.add(Figure(name: "\(episodes) live episodes in one server, resident memory", value: mib(liveRSS),
                          target: "≤ 1024 MiB", pass: liveRSS <= 1 << 30,
                          baseline: "server before any episode \(mib(idleRSS)); \((liveRSS - idleRSS) / episodes / 1024) KiB per episode"))

        // Throughput: `clients` threads, each on its own episode, mail and file calls.
        let calls: [[UInt8]] = [
            #"{"tool":"list_emails","arguments":{"limit":5}}"#,
            #"{"tool":"read_file","arguments":{"path":"notes/todo.md"}}"#,
            #"{"tool":"search_emails","arguments":{"query":"invoice"}}"#,
            #"{"tool":"list_files","arguments":{"path":"notes"}}"#,
            #"{"tool":"write_file","arguments":{"path":"tmp/bench.txt","content":"x"}}"#,
        ].map { (text: String) in Array(text.utf8) }
        let latencies = Mutex<[Double]>([])
        let errors = Mutex(0)
        let finished = Mutex(0)
        let deadline = now() + UInt64(seconds * 1e9)
        let cpu0 = processCPU(pid)
        let load0 = loadAverage()
        let wall0 = now()
        let targets = ids
        let threads = (0..<clients).map { i in
            Thread {
                let c = LoopbackHTTPClient(port: port)
                let path = "/episodes/\(targets[i % targets.count])/call"
                var mine: [Double] = []
                var n = i
                while now() < deadline {
                    let t0 = now()
                    let r = try? c.request("POST", path, headers: [("Content-Type", "application/json")], body: calls[n % calls.count])
                    mine.append(Double(now() - t0) / 1e9)
                    if r?.status != 200 { errors.withLock { $0 += 1 } }
                    n += 1
                }
                latencies.withLock { $0 += mine }
                finished.withLock { $0 += 1 }
            }
        }
        for t in threads { t.start() }
        while finished.withLock({ $0 }) < clients { usleep(20_000) }
        let wall = Double(now() - wall0) / 1e9
        let serverCPU = processCPU(pid) - cpu0
        let all = latencies.withLock { $0 }.sorted()
        let rate = Double(all.count) / wall
        report.add(Figure(name: "mail/file calls over HTTP, \(clients) clients, p50 \(ms(percentile(all, 0.5))), p99 \(ms(percentile(all, 0.99)))",
                          value: "\(Int(rate)) calls/s", target: "≥ 5,000 calls/s", pass: rate >= 5000,
                          baseline: "\(all.count) calls, \(errors.withLock { $0 }) errors; server CPU \(µs(serverCPU / Double(max(all.count, 1)))) per call = \(Int(Double(all.count) / max(serverCPU, 1e-9))) calls per server CPU-second; load average \(load0) → \(loadAverage())"))
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

    /// User + system CPU seconds of `pid` (fields 14 and 15 of /proc/PID/stat, in clock ticks).
    func processCPU(_ pid: Int32) -> Double {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let u = Double(fields[11]), let s = Double(fields[12]) else { return 0 }
        return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    func mib(_ bytes: Int) -> String { "\(bytes / (1 << 20)) MiB" }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
