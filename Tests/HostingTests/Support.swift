import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumHosting
import TerrariumScenarios
import TerrariumServer

let repositoryRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let environmentsDirectory = repositoryRoot + "/Environments"
let brambleDirectory = environmentsDirectory + "/bramble-office"

func loadBramble() throws -> Scenario {
    try ScenarioLoader.load(directory: brambleDirectory, toolNames: ToolCatalog.builtInNames)
}

/// The `terrarium` executable built with the tests (next to the test bundle, or the
/// nearest `.build*/debug/terrarium` above it).
let terrariumBinary: String = {
    let fm = FileManager.default
    let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    let beside = bundleDir.appendingPathComponent("terrarium").path
    if fm.isExecutableFile(atPath: beside) { return beside }
    var dir = bundleDir
    while dir.path != "/" {
        for name in ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() where name.hasPrefix(".build") {
            let candidate = dir.path + "/" + name + "/debug/terrarium"
            if fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        dir = dir.deletingLastPathComponent()
    }
    return repositoryRoot + "/.build/debug/terrarium"
}()

struct TempDir {
    let path: String
    init(_ label: String) throws {
        path = NSTemporaryDirectory() + "terrarium-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func sub(_ name: String) -> String { path + "/" + name }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Parses a JSON reply and writes it canonically, so expectations are exact strings.
func canonical(_ text: String) throws -> String { try JSON.parse(text).canonicalString() }

/// Runs a server on a free port for the duration of `body`.
func withServer<T>(token: String? = nil, capacity: Int = 50, maxBody: Int = 1 << 20, shellLimit: Int = 4,
                   idle: Duration = .seconds(600), runs: String? = nil, environments: String = environmentsDirectory,
                   _ body: (Int, EpisodeServer) async throws -> T) async throws -> T {
    let temp = try TempDir("serve")
    defer { temp.remove() }
    let hosting = HostConfiguration(environments: environments, runs: runs ?? temp.sub("runs"), capacity: capacity,
                                    idleTimeout: idle, shellLimit: shellLimit)
    let server = EpisodeServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0, token: token,
                                                                  maxBodyBytes: maxBody, reapInterval: .milliseconds(100),
                                                                  hosting: hosting))
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let task = Task { try await server.run { port in continuation.yield(port) } }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw LoopbackHTTPClient.Failure.io("server did not start") }
    defer { task.cancel() }
    return try await body(port, server)
}

/// Runs blocking client work off the cooperative pool.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Creates a bramble-office episode over HTTP and returns its id.
func createEpisode(_ port: Int, seed: Int = 0, headers: [(String, String)] = []) async throws -> String {
    let r = try await blocking {
        try LoopbackHTTPClient(port: port).request("POST", "/episodes", headers: headers,
                                                   json: #"{"scenario":"bramble-office","seed":\#(seed)}"#)
    }
    #expect(r.status == 201, "\(r.text)")
    return try JSON.parse(r.body)["id"]?.stringValue ?? ""
}

/// Runs a program to completion with stdin from `input`; output via files (no pipe stalls).
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                stdin: String = "", timeout: Double = 120) throws -> (status: Int32, stdout: String, stderr: String) {
    let temp = try TempDir("proc")
    defer { temp.remove() }
    FileManager.default.createFile(atPath: temp.sub("in"), contents: Data(stdin.utf8))
    FileManager.default.createFile(atPath: temp.sub("out"), contents: nil)
    FileManager.default.createFile(atPath: temp.sub("err"), contents: nil)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: temp.sub("in")))
    p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: temp.sub("out")))
    p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: temp.sub("err")))
    try p.run()
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { usleep(20_000) }
    if p.isRunning { p.terminate(); p.waitUntilExit() }
    let out = (try? String(contentsOfFile: temp.sub("out"), encoding: .utf8)) ?? ""
    let err = (try? String(contentsOfFile: temp.sub("err"), encoding: .utf8)) ?? ""
    return (p.terminationStatus, out, err)
}

/// python3 with the official `mcp` SDK, installed from PyPI when missing.
let pythonWithMCP: String = {
    let check = try? runProcess("/usr/bin/env", ["python3", "-c", "import mcp"])
    if check?.status != 0 {
        _ = try? runProcess("/usr/bin/env", ["python3", "-m", "pip", "install", "--quiet", "mcp"], timeout: 300)
    }
    return "/usr/bin/env"
}()

/// Every suite that starts a server runs one test at a time: their clients block a thread
/// while the server answers, and two cores give the cooperative pool only two threads.
@Suite(.serialized) struct LiveServerTests {}
