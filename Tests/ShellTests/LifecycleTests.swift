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

extension ShellTests {
    /// Set-up failures, the tool's presence, and cleaning up.
    @Suite struct Lifecycle {
        @Test func runShellIsOfferedByDefaultAndAScenarioCanDisableIt() async throws {
            #expect(ToolCatalog.builtInNames.last == "run_shell")
            let schema = try #require(ToolCatalog.builtIn["run_shell"]).inputSchema
            #expect(schema["required"] == ["command"])
            #expect(schema["properties"]?["timeout_s"]?["maximum"] == 300)
            var scenario = try loadBramble()
            scenario.disabledTools = ["run_shell"]
            let office = try Office(scenario)
            let r = try await office.call("run_shell", ["command": "id"])
            #expect(r.result.isError && r.text.contains("unknown tool \"run_shell\""))
            #expect(r.events("shell.executed").isEmpty)
            await office.finish()
        }

        @Test func aLayerThatCannotBeBuiltIsAnEnvironmentErrorNamingIt() async throws {
            try await ShellSelfTest.check()
            var config = ShellConfiguration()
            config.cgroups?.root = "/nonexistent-cgroup-root"
            let office = try Office()
            await office.episode.configureShell(config)
            await #expect {
                _ = try await office.episode.call("run_shell", arguments: ["command": "echo must-not-run > ran.txt"])
            } throws: { error in
                guard let e = error as? EpisodeError, case .shell(let shell) = e else { return false }
                return shell.layer == "self-test" || shell.layer == "cgroup" || shell.description.contains("cgroup")
            }
            // Recorded as an environment failure, never as a tool result; the episode stops.
            let walk = try EpisodeReader(directory: office.folder).walk(keepEvents: true)
            let last = try #require(walk.events.last)
            #expect(last.kind == "tool.result" && last.payload["environmentError"]?.stringValue?.contains("cgroup") == true)
            #expect(walk.events.allSatisfy { $0.kind != "shell.executed" })
            await #expect(throws: EpisodeError.self) { _ = try await office.episode.call("list_files", arguments: [:]) }
            await office.finish()
        }

        @Test func invalidArgumentsAreToolErrors() async throws {
            try await withOffice { office in
                let missing = try await office.call("run_shell", [:])
                #expect(missing.result.isError && missing.text.contains("missing required argument \"command\""))
                let long = try await office.call("run_shell", ["command": "true", "timeout_s": 301])
                #expect(long.result.isError && long.text.contains("between 1 and 300"))
            }
        }

        @Test func theFolderGoesWhenTheEpisodeEndsOrIsReleased() async throws {
            let office = try Office()
            _ = try await office.sh("echo x > x")
            let folder = try #require(await office.episode.shellFolder)
            #expect(FileManager.default.fileExists(atPath: folder + "/home/x"))
            try await office.episode.end(reason: "done")
            #expect(!FileManager.default.fileExists(atPath: folder))
            await office.finish()

            var released: String?
            do {
                let episode = try Episode(scenario: try loadBramble())
                _ = try await episode.call("run_shell", arguments: ["command": "true"])
                released = await episode.shellFolder
                #expect(released.map { FileManager.default.fileExists(atPath: $0) } == true)
            }
            try await Task.sleep(for: .milliseconds(50))
            #expect(released.map { FileManager.default.fileExists(atPath: $0) } == false)
        }

        @Test func theBaseFolderIsConfigurable() async throws {
            let base = try TempDir("base")
            defer { base.remove() }
            var config = ShellConfiguration()
            config.baseDirectory = base.path + "/ws"
            let office = try Office()
            await office.episode.configureShell(config)
            let s = try await office.sh("echo on-disk > d.txt; cat d.txt")
            #expect(s.lines == ["on-disk"])
            let folder = try #require(await office.episode.shellFolder)
            #expect(folder.hasPrefix(base.path + "/ws/\(getpid())."))
            #expect(FileManager.default.contents(atPath: folder + "/home/d.txt") == Data("on-disk\n".utf8))
            await office.finish()
            #expect(!FileManager.default.fileExists(atPath: folder))
        }

        @Test func commandsAreLaunchedByTheLauncherProcessOrInProcessAlike() async throws {
            for launcher in [true, false] {
                var config = ShellConfiguration()
                config.launcherProcess = launcher
                let office = try Office()
                await office.episode.configureShell(config)
                let s = try await office.sh("echo x > made.txt; bash -c 'echo > /dev/tcp/192.0.2.7/25' 2>/dev/null; echo $?")
                #expect(s.lines == ["1"])
                #expect(s.executed?.wall["launcher"] == (launcher ? "helper" : "in-process"),
                        "terrarium-sandbox should be built next to the tests (swift build)")
                #expect(s.denied("connect").first?["address"] == "192.0.2.7")
                #expect(s.events("file.created").first?.payload["path"] == "made.txt")
                await office.finish()
            }
            #expect(await settledLeftovers().isEmpty)
        }

        /// The launcher is one process per host process, shared by every episode in it. So
        /// this test kills the launcher of a `terrarium mcp` child process, never the one the
        /// other suites of this test process are using at the same moment.
        @Test func aLauncherProcessThatDiedIsStartedAgain() throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: terrariumBinary)
            p.arguments = ["mcp", brambleDirectory]
            let input = Pipe(), output = Pipe()
            p.standardInput = input
            p.standardOutput = output
            p.standardError = FileHandle.nullDevice
            try p.run()
            defer { p.terminate(); p.waitUntilExit() }
            var buffered = Data()
            func send(_ request: String) -> String {
                input.fileHandleForWriting.write(Data((request + "\n").utf8))
                while !buffered.contains(0x0A) {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    buffered.append(chunk)
                }
                guard let end = buffered.firstIndex(of: 0x0A) else { return "" }
                let line = String(decoding: buffered[..<end], as: UTF8.self)
                buffered.removeSubrange(...end)
                return line
            }
            func call(_ id: Int, _ command: String) -> String {
                send(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"run_shell","arguments":{"command":"\#(command)"}}}"#)
            }
            _ = send(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#)
            #expect(call(1, "true").contains(#""isError":false"#))
            let launchers = Self.children(of: p.processIdentifier)
            let first = try #require(launchers.first)
            #expect(kill(first, SIGKILL) == 0)
            usleep(50_000)
            let again = call(2, "echo again")
            #expect(again.contains(#""isError":false"#) && again.contains("again"), "\(again)")
            let second = try #require(Self.children(of: p.processIdentifier).first)
            #expect(second != first)
        }

        /// The pids of a process's children named terrarium-sandbox (from /proc).
        static func children(of pid: Int32) -> [Int32] {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            return tasks.flatMap { task -> [Int32] in
                let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
                return text.split(separator: " ").compactMap { Int32($0) }
            }.filter { child in
                ((try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8)) ?? "").hasPrefix("terrarium-sandb")
            }
        }

        @Test func forkedEpisodesHaveTheirOwnShell() async throws {
            try await withOffice { office in
                _ = try await office.sh("echo parent > p.txt")
                let fork = try await office.episode.fork()
                _ = try await fork.call("run_shell", arguments: ["command": "echo child > c.txt; cat p.txt"])
                let parent = try await office.sh("ls c.txt 2>&1; cat p.txt")
                #expect(parent.lines == ["ls: cannot access 'c.txt': No such file or directory", "parent"])
                let forkFolder = await fork.shellFolder
                let parentFolder = await office.episode.shellFolder
                #expect(forkFolder != nil && forkFolder != parentFolder)
                try await fork.end(reason: "done")
            }
        }
    }
}
