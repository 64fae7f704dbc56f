import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The repository root, found from this file's own path.
let repositoryRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

let brambleDirectory = repositoryRoot + "/Environments/bramble-office"
let diligentAgent = brambleDirectory + "/agents/diligent-assistant.yaml"

/// The `terrarium` executable built with the tests: next to the test bundle, else the
/// nearest `.build*/debug/terrarium` above it, else one under the repository.
let terrariumBinary: String = {
    let fm = FileManager.default
    func executable(_ path: String) -> Bool { fm.isExecutableFile(atPath: path) }
    let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    let beside = bundleDir.appendingPathComponent("terrarium").path
    if executable(beside) { return beside }
    var dir = bundleDir
    while dir.path != "/" {
        let names = (try? fm.contentsOfDirectory(atPath: dir.path)) ?? []
        for name in names.sorted() where name.hasPrefix(".build") {
            let candidate = dir.path + "/" + name + "/debug/terrarium"
            if executable(candidate) { return candidate }
        }
        dir = dir.deletingLastPathComponent()
    }
    for name in [".build-tests2", ".build"] {
        let candidate = repositoryRoot + "/" + name + "/debug/terrarium"
        if executable(candidate) { return candidate }
    }
    return beside
}()

struct TempDir {
    let path: String

    init(_ label: String = "cli") throws {
        path = NSTemporaryDirectory() + "terrarium-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func sub(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

struct ProcessResult: Sendable {
    var status: Int32
    var signaled: Bool
    var stdout: String
    var stderr: String
}

/// One run of `terrarium`. Output goes to files (no pipe can fill up and stall the child);
/// the termination handler reports the exit, so nothing polls.
final class TerrariumProcess: @unchecked Sendable {
    let process = Process()
    let outPath: String
    let errPath: String
    private let exited: AsyncStream<Void>
    private let exitedContinuation: AsyncStream<Void>.Continuation

    init(_ arguments: [String], scratch: String) throws {
        outPath = scratch + "/stdout-" + UUID().uuidString
        errPath = scratch + "/stderr-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: terrariumBinary)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        (exited, exitedContinuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .unbounded)
        let continuation = exitedContinuation
        process.terminationHandler = { _ in
            continuation.yield()
            continuation.finish()
        }
    }

    func start() throws { try process.run() }

    var pid: Int32 { process.processIdentifier }

    func wait() async -> ProcessResult {
        for await _ in exited { break }
        try? (process.standardOutput as? FileHandle)?.close()
        try? (process.standardError as? FileHandle)?.close()
        let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return ProcessResult(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                             stdout: read(outPath), stderr: read(errPath))
    }
}

/// Runs `terrarium ARGS` to completion.
func terrarium(_ arguments: [String], scratch: String) async throws -> ProcessResult {
    let p = try TerrariumProcess(arguments, scratch: scratch)
    try p.start()
    return await p.wait()
}

/// Runs the diligent assistant through bramble-office into `out`; returns the episode folder.
func recordBramble(into out: String, scratch: String, seed: Int = 0) async throws -> String {
    let r = try await terrarium(["run", brambleDirectory, "--agent", diligentAgent, "--out", out, "--seed", String(seed)],
                                scratch: scratch)
    try #require(r.status == 0, "run failed: \(r.stderr)")
    let names = try FileManager.default.contentsOfDirectory(atPath: out)
    try #require(names.count == 1)
    #expect(r.stdout.contains("episode written to \(out)/\(names[0])"))
    return out + "/" + names[0]
}

// MARK: events.jsonl

func readBytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

func writeBytes(_ path: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

/// Complete lines of the log, without newlines.
func logLines(_ dir: String) throws -> [[UInt8]] {
    let bytes = try readBytes(dir + "/events.jsonl")
    var lines: [[UInt8]] = []
    var start = 0
    for i in bytes.indices where bytes[i] == 0x0A { lines.append(Array(bytes[start..<i])); start = i + 1 }
    return lines
}

func writeLogLines(_ dir: String, _ lines: [[UInt8]]) throws {
    try writeBytes(dir + "/events.jsonl", lines.flatMap { $0 + [0x0A] })
}

/// A copy of an episode folder with its log lines changed.
func tamperedCopy(of dir: String, to copy: String, _ change: (inout [[UInt8]]) throws -> Void) throws -> String {
    try FileManager.default.copyItem(atPath: dir, toPath: copy)
    var lines = try logLines(copy)
    try change(&lines)
    try writeLogLines(copy, lines)
    return copy
}

/// Flips the case of the first letter of the first string value inside `payload`.
func flipPayloadByte(_ line: [UInt8]) throws -> [UInt8] {
    let text = String(decoding: line, as: UTF8.self)
    let payload = try #require(text.range(of: "\"payload\":{"))
    let value = try #require(text.range(of: "\":\"", range: payload.upperBound..<text.endIndex))
    var offset = text.utf8.distance(from: text.startIndex, to: value.upperBound)
    while !(line[offset] >= 0x41 && line[offset] <= 0x5A || line[offset] >= 0x61 && line[offset] <= 0x7A) { offset += 1 }
    var out = line
    out[offset] ^= 0x20
    return out
}

func logWithoutWall(_ dir: String) throws -> String {
    let text = String(decoding: try readBytes(dir + "/events.jsonl"), as: UTF8.self)
    // `wall` is the last key of every line (canonical order), so it runs to the line's final `}`;
    // this strips it whether it is a string or an object of host measurements.
    let regex = try NSRegularExpression(pattern: #","wall":.*(?=\}$)"#, options: [.anchorsMatchLines])
    return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
}

func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}
