import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode

#if canImport(Glibc)
import Glibc
#endif

/// The `terrarium` executable built with the tests.
let terrariumBinary: String = {
    let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    return bundleDir.appendingPathComponent("terrarium").path
}()

struct Ran {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `terrarium ARGS` to completion (output through files: no pipe can stall it).
func terrarium(_ arguments: [String], in tmp: TempDir) throws -> Ran {
    let out = tmp.sub("out-\(UUID().uuidString)"), err = tmp.sub("err-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: out, contents: nil)
    FileManager.default.createFile(atPath: err, contents: nil)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: terrariumBinary)
    p.arguments = arguments
    p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
    try p.run()
    p.waitUntilExit()
    let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
    return Ran(status: p.terminationStatus, stdout: read(out), stderr: read(err))
}

extension ShellTests {
    /// `terrarium exec` and `terrarium replay --reexecute`.
    @Suite struct CLI {
        @Test func execPrintsTheResultAndTheEvents() throws {
            let tmp = try TempDir("exec")
            defer { tmp.remove() }
            let r = try terrarium(["exec", brambleDirectory, "--", "echo", "hi", ">", "hi.txt;", "cat", "hi.txt;",
                                   "bash -c 'echo > /dev/tcp/10.1.2.3/443'"], in: tmp)
            #expect(r.status == 0, "\(r.stderr)")
            let json = try JSON.parse(Array(r.stdout.utf8))
            #expect(json["result"]?["data"]?["stdout"] == "hi\n")
            #expect(json["result"]?["isError"] == false)
            let kinds = json["events"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []
            #expect(kinds == ["tool.called", "clock.advanced", "shell.executed", "sandbox.denied", "file.created", "tool.result"])
            let denied = json["events"]?.arrayValue?.first { $0["kind"] == "sandbox.denied" }?["payload"]
            #expect(denied?["address"] == "10.1.2.3" && denied?["port"] == 443)
        }

        @Test func execRejectsAVariableTheScenarioDoesNotDeclare() throws {
            let tmp = try TempDir("exec")
            defer { tmp.remove() }
            let r = try terrarium(["exec", brambleDirectory, "--var", "k=v", "--", "true"], in: tmp)
            #expect(r.status == 1)
            #expect(r.stderr == "error: \(brambleDirectory)/scenario.yaml: variables: --var k=v: no such variable; this scenario declares no variables\n")
        }

        @Test func replayVerifiesAndReexecutesAnEpisodeWithShellCalls() throws {
            let tmp = try TempDir("exec")
            defer { tmp.remove() }
            let kept = tmp.sub("episode")
            let r = try terrarium(["exec", "--keep", kept, brambleDirectory, "--", "mkdir out && date +%F > out/d.txt && ls out"], in: tmp)
            #expect(r.status == 0, "\(r.stderr)")
            let verify = try terrarium(["replay", kept, "--verify"], in: tmp)
            #expect(verify.status == 0 && verify.stdout.hasPrefix("valid:"), "\(verify.stdout)\(verify.stderr)")
            let again = try terrarium(["replay", kept, "--reexecute"], in: tmp)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.hasPrefix("identical: 1 calls re-executed"))

            let flaky = tmp.sub("flaky")
            _ = try terrarium(["exec", "--keep", flaky, brambleDirectory, "--", "head -c 6 /dev/urandom | od -An -tx1 > r.txt"], in: tmp)
            let diverged = try terrarium(["replay", flaky, "--reexecute"], in: tmp)
            #expect(diverged.status == 1)
            #expect(diverged.stdout.contains("divergent: seq 5 (call 1, run_shell): file.created payload"), "\(diverged.stdout)")
        }

        @Test func theSupervisorDyingTakesItsSandboxWithIt() async throws {
            let tmp = try TempDir("exec")
            defer { tmp.remove() }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: terrariumBinary)
            p.arguments = ["exec", brambleDirectory, "--", "sleep 300"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            let child = p.processIdentifier
            var launcher: Int32?
            func sandboxed() -> [Int32] {
                if launcher == nil { launcher = launcherProcess(of: child) }
                let tags = ["terrarium-\(child)-"] + (launcher.map { ["terrarium-\($0)-"] } ?? [])
                return uid1000Processes().filter { pid in
                    let cgroup = (try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)) ?? ""
                    return tags.contains { cgroup.contains($0) }
                }
            }
            var seen: [Int32] = []
            for _ in 0..<100 where seen.isEmpty {
                try await Task.sleep(for: .milliseconds(50))
                seen = sandboxed()
            }
            #expect(!seen.isEmpty, "the sandboxed sleep never appeared")
            kill(child, SIGKILL)
            p.waitUntilExit()
            var left = sandboxed()
            for _ in 0..<40 where !left.isEmpty {
                try await Task.sleep(for: .milliseconds(50))
                left = sandboxed()
            }
            #expect(left.isEmpty, "sandbox processes outlived their supervisor: \(left)")
            if let launcher {
                let state = (try? String(contentsOfFile: "/proc/\(launcher)/status", encoding: .utf8)) ?? "State:\tX"
                #expect(state.contains("State:\tZ") || state.contains("State:\tX"), "the launcher process outlived its supervisor")
            }
        }
    }
}
