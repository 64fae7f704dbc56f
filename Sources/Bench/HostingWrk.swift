import Foundation

/// `wrk` (Debian's package) as the load generator for the hosting figures: two epoll
/// threads instead of 64 blocking client threads, so less of the two cores goes to the
/// client. A Lua script cycles through the episodes and the calls and prints the summary
/// in one line the bench reads back.
struct Wrk {
    let binary: String
    let scratch: String
    let port: Int
    let callScript: String
    let healthScript: String

    struct Result {
        var rate: Double, p50: String, p99: String, errors: Int, load: String
        static func median(_ runs: [Result]) -> Result { runs.sorted { $0.rate < $1.rate }[runs.count / 2] }
    }

    static let done = """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("WRK %d %d %d %d %d\\n", summary.requests, summary.duration,
            latency:percentile(50), latency:percentile(99), e.status + e.connect + e.read + e.write + e.timeout))
        end

        """

    /// Nil when wrk is not installed.
    init?(scratch: String, port: Int, targets: [String], calls: [String]) {
        guard let binary = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return nil }
        self.binary = binary
        self.scratch = scratch
        self.port = port
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        callScript = scratch + "/wrk-calls-\(port).lua"
        healthScript = scratch + "/wrk-health-\(port).lua"
        let paths = targets.map { "\"/episodes/\($0)/call\"" }.joined(separator: ", ")
        let bodies = calls.map { "[[\($0)]]" }.joined(separator: ", ")
        let script = """
            local paths = {\(paths)}
            local bodies = {\(bodies)}
            local headers = {["Content-Type"] = "application/json"}
            local n = 0
            request = function()
              n = n + 1
              return wrk.format("POST", paths[(n % #paths) + 1], headers, bodies[(n % #bodies) + 1])
            end

            """ + Wrk.done
        FileManager.default.createFile(atPath: callScript, contents: Data(script.utf8))
        FileManager.default.createFile(atPath: healthScript, contents: Data(Wrk.done.utf8))
    }

    func run(health: Bool, connections: Int, seconds: Double) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        let url = "http://127.0.0.1:\(port)" + (health ? "/health" : "/")
        p.arguments = ["-t2", "-c\(connections)", "-d\(Int(seconds.rounded()))s", "-s", health ? healthScript : callScript, url]
        let out = scratch + "/wrk-\(port).out"
        FileManager.default.createFile(atPath: out, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("WRK ") }) else {
            throw BenchFailure("wrk printed no summary: \(text)")
        }
        let f = line.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard f.count == 5, f[1] > 0 else { throw BenchFailure("wrk summary \"\(line)\"") }
        return Result(rate: Double(f[0]) / (Double(f[1]) / 1e6), p50: ms(Double(f[2]) / 1e6), p99: ms(Double(f[3]) / 1e6),
                      errors: f[4], load: loadAverage())
    }
}
