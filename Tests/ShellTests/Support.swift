import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumRecording
import TerrariumScenarios
import TerrariumShell
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#endif

/// Every shell test runs one at a time: the "no process left" and canary checks look at
/// the whole machine, so two sandboxes of this process must not overlap. The suites are
/// nested in this one (`extension ShellTests`), and `.serialized` applies to all of them.
@Suite(.serialized) struct ShellTests {}

let repositoryRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let brambleDirectory = repositoryRoot + "/Environments/bramble-office"

func loadBramble() throws -> Scenario {
    try ScenarioLoader.load(directory: brambleDirectory, toolNames: ToolCatalog.builtInNames)
}

struct TempDir {
    let path: String
    init(_ label: String = "shell") throws {
        path = NSTemporaryDirectory() + "terrarium-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func sub(_ name: String) -> String { path + "/" + name }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// One tool call and the events it recorded (from its tool.called to its tool.result).
struct Shot {
    var result: ToolCallResult
    var events: [EventRecord]

    var text: String { result.text }
    var stdout: String { result.data?["stdout"]?.stringValue ?? "" }
    var stderr: String { result.data?["stderr"]?.stringValue ?? "" }
    var exitCode: Int? { result.data?["exitCode"]?.intValue.map(Int.init) }
    var timedOut: Bool { result.data?["timedOut"]?.boolValue ?? false }
    var executed: EventRecord? { events.first { $0.kind == "shell.executed" } }
    func events(_ kind: String) -> [EventRecord] { events.filter { $0.kind == kind } }
    var denied: [[String: JSON]] { events("sandbox.denied").map(\.payload) }
    func denied(_ syscall: String) -> [[String: JSON]] { denied.filter { $0["syscall"]?.stringValue == syscall } }
    /// Lines of stdout.
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
}

/// A recorded episode of the bundled scenario in a temporary folder.
final class Office: @unchecked Sendable {
    let tmp: TempDir
    let episode: Episode
    let folder: String

    init(_ scenario: Scenario? = nil) throws {
        tmp = try TempDir("shell")
        folder = tmp.sub("episode")
        episode = try Episode(scenario: try scenario ?? loadBramble(), options: .init(recordTo: folder))
    }

    /// `run_shell`; an environment failure (sandbox not set up) fails the test with its message.
    func sh(_ command: String, timeout: Int? = nil) async throws -> Shot {
        var args: [String: JSON] = ["command": .string(command)]
        if let timeout { args["timeout_s"] = JSON(timeout) }
        let shot = try await call("run_shell", .object(args))
        #expect(!shot.result.isError, "run_shell reported a tool error: \(shot.text)")
        return shot
    }

    func call(_ tool: String, _ arguments: JSON) async throws -> Shot {
        let result = try await episode.call(tool, arguments: arguments)
        let walk = try EpisodeReader(directory: folder).walk(keepEvents: true)
        #expect(walk.error == nil, "the log does not verify: \(String(describing: walk.error))")
        let events = walk.events.filter { $0.seq >= result.calledSeq && $0.seq <= result.resultSeq }
        return Shot(result: result, events: events)
    }

    func finish() async {
        try? await episode.end(reason: "test finished")
        tmp.remove()
    }
}

/// Runs `body` with a fresh office and always cleans up. `alive`: processes that may
/// legitimately outlive it (another live episode's init).
func withOffice(_ scenario: Scenario? = nil, alive: Set<Int32> = [], _ body: (Office) async throws -> Void) async throws {
    let office = try Office(scenario)
    do { try await body(office) } catch { await office.finish(); throw error }
    await office.finish()
    let left = await settledLeftovers(excluding: alive)
    #expect(left.isEmpty, "sandbox processes left running: \(left)")
}

/// `leftoverProcesses`, given time to settle: other suites of this test process (hosting,
/// rollouts, references) run shell commands of their own at the same time, and their pods
/// are children of the same launcher; those end within seconds, a leak of ours does not.
/// So this waits up to 5 s for the list to empty.
func settledLeftovers(excluding: Set<Int32> = []) async -> [String] {
    var left = leftoverProcesses(excluding: excluding)
    for _ in 0..<50 where !left.isEmpty {
        try? await Task.sleep(nanoseconds: 100_000_000)
        left = leftoverProcesses(excluding: excluding)
    }
    return left
}

// MARK: Host-side canaries

/// A TCP or UDP socket on the host's loopback that records whether anything reached it.
final class Canary {
    let fd: Int32
    let port: Int
    let udp: Bool

    init(udp: Bool = false, ipv6: Bool = false) throws {
        self.udp = udp
        let family = ipv6 ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw CocoaError(.fileNoSuchFile) }
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if ipv6 {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_addr = in6addr_loopback
            var len = socklen_t(MemoryLayout<sockaddr_in6>.size)
            _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
            _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
            port = Int(UInt16(bigEndian: a.sin6_port))
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_addr.s_addr = inet_addr("127.0.0.1")
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
            _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
            port = Int(UInt16(bigEndian: a.sin_port))
        }
        if !udp { listen(fd, 16) }
    }

    deinit { close(fd) }

    /// Connections accepted (TCP) or datagrams received (UDP) so far.
    func reached() -> Int {
        var n = 0
        if udp {
            var buf = [UInt8](repeating: 0, count: 2048)
            while recv(fd, &buf, buf.count, 0) >= 0 { n += 1 }
        } else {
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 { break }
                close(c)
                n += 1
            }
        }
        return n
    }
}

/// A file outside every workspace, with its bytes and times, to prove nothing touched it.
struct CanaryFile {
    let path: String
    let bytes: [UInt8]

    init(in dir: String) throws {
        path = dir + "/canary-secret.txt"
        bytes = Array("host secret \(UUID().uuidString)\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o666)
    }

    var unchanged: Bool {
        guard let now = FileManager.default.contents(atPath: path) else { return false }
        return [UInt8](now) == bytes
    }
}

/// Live processes of this test process's sandboxes: uid 1000 in one of their cgroups
/// (`terrarium-<pid>-N`, named after the process that spawned them: ours or our launcher
/// process's) or children of either. Zombies do not count.
/// Live processes descending from `root` (its children, theirs, …), as "pid name": what is
/// left inside one pod, whatever other tests' pods are running at the same moment.
func descendants(of root: Int32) -> [String] {
    var parent: [Int32: Int32] = [:], names: [Int32: String] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
        guard let pid = Int32(name), let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { continue }
        var ppid: Int32?, zombie = false
        for line in status.split(separator: "\n") {
            if line.hasPrefix("PPid:") { ppid = Int32(line.dropFirst(5).trimmingCharacters(in: .whitespaces)) }
            if line.hasPrefix("State:") { zombie = line.contains("Z") }
            if line.hasPrefix("Name:") { names[pid] = line.dropFirst(5).trimmingCharacters(in: .whitespaces) }
        }
        if let ppid, !zombie { parent[pid] = ppid }
    }
    return parent.keys.sorted().filter { pid in
        var p = parent[pid]
        while let up = p, up > 1 {
            if up == root { return true }
            p = parent[up]
        }
        return false
    }.map { "\($0) \(names[$0] ?? "?")" }
}

func leftoverProcesses(excluding: Set<Int32> = []) -> [String] {
    sandboxProcesses(spawnedBy: [getpid()] + (ShellSession.launcherProcessID.map { [$0] } ?? []), excluding: excluding)
}

/// The launcher process (terrarium-sandbox) started by process `parent`, if any.
func launcherProcess(of parent: Int32) -> Int32? {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init).first { pid in
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return status.contains("\nPPid:\t\(parent)\n") && status.hasPrefix("Name:\tterrarium-sandb")
    }
}

func sandboxProcesses(spawnedBy spawners: [Int32], excluding: Set<Int32> = []) -> [String] {
    var out: [String] = []
    for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
        guard let pid = Int32(name), !excluding.contains(pid) else { continue }
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { continue }
        let fields = Dictionary(status.split(separator: "\n").compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }, uniquingKeysWith: { a, _ in a })
        guard fields["Uid"]?.split(separator: "\t").first == "1000", fields["State"]?.hasPrefix("Z") == false else { continue }
        let cgroup = (try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)) ?? ""
        if spawners.contains(where: { cgroup.contains("terrarium-\($0)-") || fields["PPid"] == String($0) }) {
            out.append("\(pid) \(fields["Name"] ?? "?")")
        }
    }
    return out
}

/// Every process with uid 1000 on the machine (for messages).
func uid1000Processes() -> [Int32] {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { name -> Int32? in
        guard let pid = Int32(name), let s = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return s.contains("\nUid:\t1000\t") && !s.contains("State:\tZ") ? pid : nil
    }
}

func sha256(_ path: String) -> String {
    Digest.sha256([UInt8](FileManager.default.contents(atPath: path) ?? Data())).hex
}

/// A python3 probe that prints `<name> <errno name or ok>` for each expression.
func probe(_ cases: [(String, String)], prelude: String = "") -> String {
    var py = "import errno, os, socket, ctypes\n\(prelude)\n"
    py += "def t(name, f):\n  try:\n    f(); print(name, 'ok')\n  except OSError as e:\n    print(name, errno.errorcode.get(e.errno, e.errno))\n"
    for (name, expr) in cases { py += "t('\(name)', lambda: \(expr))\n" }
    return "python3 - <<'PY'\n\(py)PY"
}
