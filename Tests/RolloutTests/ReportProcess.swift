import Foundation

/// Runs a program to completion (the `terrarium` built with the tests, or chromium),
/// output to files so no pipe can fill up.
enum ReportProcess {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `terrarium` executable next to the test bundle, else under .build/debug.
    static let terrarium: String = {
        let fm = FileManager.default
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var dir = beside
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("terrarium").path
            if fm.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return RunFixture.repositoryRoot + "/.build/debug/terrarium"
    }()

    static func run(_ executable: String, _ arguments: [String], scratch: String, timeout: Double = 120) async throws -> Output {
        let id = UUID().uuidString
        let out = scratch + "/out-" + id, err = scratch + "/err-" + id
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { process.terminationHandler = nil; continuation.resume(throwing: error) }
        }
        _ = timeout
        return Output(status: status, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
