import TerrariumBase
import TerrariumWorld

/// The first shell use in a process proves the sandbox works before an agent relies on it:
/// the filter loads, a canary connect is refused *and* recorded, the home tree is visible
/// and writable (and the write comes back as a world change), and `date` shows the world's
/// time. A failure names the layer; it is remembered and reported to every later caller.
public enum ShellSelfTest {
    public struct Report: Sendable {
        public var policyInstructions: Int
        public var seconds: Double
    }

    private static let gate = Gate()

    /// Runs the self-test once per process (concurrent first callers share one run).
    public static func check(_ configuration: ShellConfiguration = ShellConfiguration()) async throws(ShellError) {
        _ = try await gate.result(configuration).get()
    }

    /// The cached report (running the test if needed).
    public static func report(_ configuration: ShellConfiguration = ShellConfiguration()) async throws(ShellError) -> Report {
        try await gate.result(configuration).get()
    }

    /// One run per process and per set-up (base folder, cgroups on or off): a session
    /// configured differently gets its own proof, and a bad configuration cannot poison
    /// the others.
    actor Gate {
        var tasks: [String: Task<Result<Report, ShellError>, Never>] = [:]
        func result(_ configuration: ShellConfiguration) async -> Result<Report, ShellError> {
            let key = configuration.baseDirectory + "|" + (configuration.cgroups.map { $0.root } ?? "-")
            if let task = tasks[key] { return await task.value }
            let t = Task { await ShellSelfTest.run(configuration) }
            tasks[key] = t
            return await t.value
        }
    }

    static let canaryAddress = "192.0.2.1"
    static let canaryPort = 9
    static let date = "2001-02-03"

    /// One uncached run.
    public static func run(_ configuration: ShellConfiguration) async -> Result<Report, ShellError> {
        let start = monotonicSeconds()
        do throws(ShellError) {
            let policy = try SandboxPolicy.shared()
            _ = try VirtualClockFile.library.get()
            let session = ShellSession(configuration: configuration)
            defer { session.close() }
            let world = try probeWorld()
            let command = "cat probe/seed.txt && echo written > probe/out.txt && date -u +%F"
                + " && /bin/bash -c ': <>/dev/tcp/\(canaryAddress)/\(canaryPort)' 2>/dev/null; echo connect=$?"
            let r = try await session.runWithoutSelfTest(ShellCommand(command, timeoutSeconds: 20), in: world)
            let out = String(decoding: r.stdout, as: UTF8.self)
            let err = String(decoding: r.stderr, as: UTF8.self).prefix(300)
            guard out.hasPrefix("seed\n") else {
                throw ShellError(layer: "self-test", "the home tree is not visible inside (stdout \(out.debugDescription), stderr \(err.debugDescription))")
            }
            guard r.changes.contains(where: { $0.path.raw == "probe/out.txt" && $0.kind == .created }) else {
                throw ShellError(layer: "workspace", "self-test: a file written inside did not come back as a world change (stderr \(err.debugDescription))")
            }
            guard out.contains("\n\(date)\n") else {
                throw ShellError(layer: "time", "self-test: `date -u +%F` printed \(out.debugDescription), the world says \(date) (libfaketime not in effect)")
            }
            guard out.hasSuffix("connect=1\n") else {
                throw ShellError(layer: "network", "self-test: a connect to \(canaryAddress):\(canaryPort) was not refused (stdout \(out.debugDescription))")
            }
            guard r.deniedAttempts.contains(where: {
                $0.syscall == "connect" && $0.address == canaryAddress && $0.port == canaryPort && $0.errno == "ENETUNREACH"
            }) else {
                throw ShellError(layer: "seccomp", "self-test: the refused canary connect was not recorded (attempts: \(r.attempts))")
            }
            return .success(Report(policyInstructions: policy.instructions, seconds: monotonicSeconds() - start))
        } catch { return .failure(error) }
    }

    static func probeWorld() throws(ShellError) -> World {
        let person = Person(name: "Probe", address: "probe@selftest.example", title: "")
        let directory = Directory(companyName: "Self Test", domains: ["selftest.example"], people: [person],
                                  agentAddress: person.address)
        guard let (t, _) = ISO8601.parse("\(date)T04:05:06Z") else { throw ShellError(layer: "self-test", "bad date") }
        var world = World(directory: directory, home: "/home/probe", clock: WorldClock(now: t, utcOffsetMinutes: 0))
        do {
            try world.apply(.makeDirectory(path: try WorkspacePath.resolve("probe", home: "/"), mode: 0o755, modified: t))
            try world.apply(.writeFile(path: try WorkspacePath.resolve("probe/seed.txt", home: "/"), content: Content(text: "seed\n"),
                                       mode: 0o644, modified: t))
        } catch { throw ShellError(layer: "self-test", "cannot build the probe world: \(error)") }
        return world
    }
}
