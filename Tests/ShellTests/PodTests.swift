import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumShell
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#endif

extension Shot {
    /// The episode's init (host pid) that served this command.
    var initPid: Int32? { executed?.wall["initPid"]?.intValue.map(Int32.init) }
    var podStarted: Bool? { executed?.wall["podStarted"]?.boolValue }
    var podRetired: String? { executed?.wall["podRetired"]?.stringValue }
}

extension ShellTests {
    /// The per-episode pod: one init keeps every layer between commands; nothing of a
    /// command outlives it; init cannot be touched from inside; a dead init is an error
    /// naming it, and the next command gets a new one.
    @Suite struct Pods {
        @Test func commandsShareOneInitAndABackgroundProcessOfCallOneIsGoneAtCallTwo() async throws {
            try await withOffice { office in
                let a = try await office.sh("sleep 300 & setsid sleep 301 & (trap '' TERM HUP; nohup sleep 302 >/dev/null 2>&1 &); echo started")
                #expect(a.lines == ["started"])
                let initPid = try #require(a.initPid)
                #expect(a.podStarted == true && a.podRetired == nil)
                // Between the calls only init is left of the episode's sandbox. (Only this
                // pod's processes count: other suites' pods may be running meanwhile.)
                #expect(descendants(of: initPid).isEmpty, "\(uid1000Processes())")
                #expect(kill(initPid, 0) == 0)
                let b = try await office.sh("pgrep -c sleep; set -- /proc/[0-9]*; echo $#; ps -o sid= -p $$ | tr -d ' '; echo $$")
                #expect(b.lines.prefix(2) == ["0", "2"], "\(b.text)")
                #expect(b.lines.count == 4 && b.lines[2] == b.lines[3], "a new session per command: \(b.lines)")
                #expect(b.initPid == initPid && b.podStarted == false)
            }
        }

        @Test func aCommandCannotSignalTraceOrReconfigureInit() async throws {
            try await withOffice { office in
                let a = try await office.sh("""
                    kill -9 1; kill -STOP 1; kill -TERM 1; echo sent
                    prlimit --pid 1 --nofile=4:4 2>&1 | head -1
                    renice -n 10 -p 1 >/dev/null 2>&1 || echo renice-refused
                    python3 -c '
                    import ctypes, errno
                    libc = ctypes.CDLL(None, use_errno=True)
                    r = libc.ptrace(16, 1, 0, 0)
                    print("attach", errno.errorcode[ctypes.get_errno()] if r == -1 else "ok")'
                    cat /proc/1/environ 2>&1 | head -c 40; echo
                    """)
                #expect(a.lines == ["sent", "prlimit: failed to set the NOFILE resource limit: Operation not permitted",
                                    "renice-refused", "attach EPERM", "cat: /proc/1/environ: Permission denied"], "\(a.text)")
                let refused = Set(a.denied.compactMap { $0["syscall"]?.stringValue })
                #expect(refused.isSuperset(of: ["prlimit64", "setpriority", "ptrace"]), "\(refused)")
                let b = try await office.sh("ulimit -n; nice; echo alive")
                #expect(b.lines == ["1024", "0", "alive"])
                #expect(b.initPid == a.initPid && b.podStarted == false)
            }
        }

        @Test func theTimeoutKillsTheWholeTreeAndTheNextCommandGetsANewInit() async throws {
            try await withOffice { office in
                let warm = try await office.sh("true")
                let first = try #require(warm.initPid)
                let start = Date()
                let s = try await office.sh("sleep 1000 & (setsid sleep 1000 &); sleep 1000", timeout: 1)
                #expect(s.timedOut && Date().timeIntervalSince(start) < 3)
                #expect(s.podRetired == "timeout")
                #expect(await settledLeftovers().isEmpty, "\(uid1000Processes())")
                #expect(kill(first, 0) != 0, "the timed-out pod's init is gone")
                let next = try await office.sh("echo fresh; pgrep -c sleep")
                #expect(next.lines == ["fresh", "0"])
                #expect(next.podStarted == true && next.initPid != first)
            }
        }

        @Test func onlyTheHomePersistsACommandThatLeavesSomethingElseGetsAFreshPod() async throws {
            try await withOffice { office in
                let clean = try await office.sh("cd /tmp && echo t > t && rm t && echo kept > ~/kept.txt")
                #expect(clean.podRetired == nil)
                let dirty = try await office.sh("echo junk > /tmp/junk; echo x > /dev/shm/x")
                #expect(dirty.podRetired == "left files in /tmp")
                // (libfaketime keeps the running command's clock in /dev/shm; init removes it after.)
                let after = try await office.sh("ls -A /tmp /dev/shm | grep -v faketime_; cat ~/kept.txt")
                #expect(after.lines == ["/dev/shm:", "/tmp:", "kept"], "\(after.text)")
                #expect(after.podStarted == true && after.initPid != dirty.initPid)
            }
        }

        @Test func aDeadInitIsAnErrorNamingItAndTheNextCommandStartsANewOne() async throws {
            for launcher in [true, false] {
                var configuration = ShellConfiguration()
                configuration.launcherProcess = launcher
                let session = ShellSession(configuration: configuration)
                defer { session.close() }
                let world = try loadBramble().world
                let a = try await session.run(ShellCommand("echo one"), in: world)
                #expect(String(decoding: a.stdout, as: UTF8.self) == "one\n")
                let first = a.timing.initPid
                #expect(first > 0 && a.timing.podStarted)
                // Between commands: killed from outside.
                #expect(kill(first, SIGKILL) == 0)
                try await Task.sleep(for: .milliseconds(30))
                await #expect {
                    _ = try await session.run(ShellCommand("echo must-not-run > ran.txt"), in: world)
                } throws: { error in
                    guard let e = error as? ShellError else { return false }
                    return e.layer == "init" && e.description.contains("init process (pid \(first)) had been killed by signal 9")
                }
                let folder = try #require(session.hostFolder)
                #expect(!FileManager.default.fileExists(atPath: folder + "/home/ran.txt"))
                let b = try await session.run(ShellCommand("echo two"), in: world)
                #expect(String(decoding: b.stdout, as: UTF8.self) == "two\n")
                #expect(b.timing.podStarted && b.timing.initPid != first)
                // During a command: killed mid-way; nothing of the command survives.
                let victim = b.timing.initPid
                let killer = Task { try await Task.sleep(for: .milliseconds(300)); kill(victim, SIGKILL) }
                await #expect {
                    _ = try await session.run(ShellCommand("sleep 5 & sleep 5"), in: world)
                } throws: { error in
                    guard let e = error as? ShellError else { return false }
                    return e.layer == "init" && e.description.contains("died during the command")
                }
                _ = try await killer.value
                #expect(await settledLeftovers().isEmpty, "\(uid1000Processes())")
                let c = try await session.run(ShellCommand("echo three"), in: world)
                #expect(String(decoding: c.stdout, as: UTF8.self) == "three\n" && c.timing.initPid != victim)
                session.close()
                #expect(kill(c.timing.initPid, 0) != 0, "closing the session stops its init")
            }
        }

        @Test func theInProcessPodServesCommandsToo() async throws {
            var configuration = ShellConfiguration()
            configuration.launcherProcess = false
            let office = try Office()
            await office.episode.configureShell(configuration)
            let a = try await office.sh("echo a; bash -c 'echo > /dev/tcp/192.0.2.9/80' 2>/dev/null; echo $?")
            let b = try await office.sh("echo b")
            #expect(a.lines == ["a", "1"] && b.lines == ["b"])
            #expect(a.denied("connect").first?["address"] == "192.0.2.9")
            #expect(a.executed?.wall["launcher"] == "in-process" && a.initPid == b.initPid && b.podStarted == false)
            let initPid = try #require(b.initPid)
            await office.finish()
            #expect(kill(initPid, 0) != 0, "ending the episode stops its init")
            #expect(await settledLeftovers().isEmpty)
        }
    }
}
