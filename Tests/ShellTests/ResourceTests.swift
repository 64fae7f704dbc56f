import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumShell
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#endif

extension ShellTests {
    /// THREATS.md, resources: every limit holds, and nothing outlives its call.
    @Suite struct Resources {
        @Test func theTimeoutKillsSleepAndEverythingItStarted() async throws {
            try await withOffice { office in
                let start = Date()
                let s = try await office.sh("sleep 1000 & sleep 1000", timeout: 1)
                let elapsed = Date().timeIntervalSince(start)
                #expect(s.timedOut)
                #expect(elapsed < 3, "took \(elapsed) s")
                #expect(s.text == "(no output)\n[timed out after 1 s: the command and everything it started were stopped]")
                #expect(s.executed?.payload["limitsHit"] == ["timeout"])
                #expect(s.executed?.payload["timedOut"] == true)
                #expect(s.executed?.payload["signal"] == "SIGKILL")
                #expect(await settledLeftovers().isEmpty)
                let busy = try await office.sh("while :; do :; done", timeout: 1)
                #expect(busy.timedOut)
            }
        }

        @Test func daemonsDieWhenTheCallReturns() async throws {
            try await withOffice { office in
                let start = Date()
                let s = try await office.sh("setsid nohup sleep 300 >/dev/null 2>&1 & (sleep 200 &) ; echo started")
                #expect(s.lines == ["started"])
                #expect(Date().timeIntervalSince(start) < 5)
                // Only the episode's init stays between calls.
                let initPid = try #require(s.initPid)
                #expect(await settledLeftovers(excluding: [initPid]).isEmpty, "\(uid1000Processes())")
            }
        }

        @Test func aForkBombIsHeldByThePidsLimit() async throws {
            try await withOffice { office in
                let s = try await office.sh("python3 -c 'import os\nwhile True:\n  try: os.fork()\n  except OSError: pass'", timeout: 2)
                #expect(s.timedOut)
                let limits = s.executed?.payload["limitsHit"]?.arrayValue ?? []
                #expect(limits.contains("pids"), "\(limits)")
                #expect(await settledLeftovers().isEmpty)
            }
        }

        @Test func aMemoryBombIsKilled() async throws {
            try await withOffice { office in
                let s = try await office.sh("python3 -c 'b = bytearray(3 << 30); b[::4096] = b\"x\" * len(b[::4096])'; echo status=$?",
                                            timeout: 20)
                #expect(s.lines == ["status=137"], "\(s.stderr)")
                #expect(s.executed?.payload["limitsHit"]?.arrayValue?.contains("memory") == true)
            }
        }

        @Test func aHugeFileStopsAtTheFileSizeLimit() async throws {
            try await withOffice { office in
                let limit = ShellConfiguration().fileSizeLimit
                let s = try await office.sh("head -c 10G /dev/zero > big; echo status=$?; stat -c %s big")
                #expect(s.lines == ["status=153", "\(limit)"], "\(s.stderr)")
                let created = try #require(s.events("file.created").first { $0.payload["path"] == "big" })
                #expect(created.payload["size"] == JSON(limit))
            }
        }

        @Test func manyTinyFilesAreCappedPerCommand() async throws {
            try await withOffice { office in
                let cap = ShellConfiguration().maxNewEntries
                let s = try await office.sh("mkdir many && cd many && python3 -c 'for i in range(\(cap + 50)): open(\"f%05d\" % i, \"w\")' && ls | wc -l")
                #expect(s.lines == ["\(cap + 50)"])
                #expect(s.events("file.created").count == cap)
                let skipped = try #require(s.events("file.skipped").first?.payload)
                #expect(skipped["action"] == .string("removed 51 new entries from here on"))
                let after = try await office.sh("ls many | wc -l")
                #expect(after.lines == ["\(cap - 1)"])
            }
        }

        @Test func openFilesAndTmpAreLimited() async throws {
            try await withOffice { office in
                let s = try await office.sh("""
                    python3 -c "
                    import os, errno
                    try:
                        fds = [os.open('/dev/null', os.O_RDONLY) for _ in range(100000)]
                    except OSError as e: print('fds', errno.errorcode[e.errno])
                    "
                    head -c 40M /dev/zero > /tmp/a; head -c 40M /dev/zero > /tmp/b; echo tmp=$?; ulimit -c
                    """)
                #expect(s.lines == ["fds EMFILE", "tmp=1", "0"], "\(s.stderr)")
                #expect(s.stderr.contains("No space left on device"))
            }
        }

        @Test func anOutputFloodIsCountedNotKept() async throws {
            try await withOffice { office in
                let s = try await office.sh("head -c 50000000 /dev/zero | tr '\\0' y")
                #expect(s.result.data?["stdoutBytes"] == 50_000_000)
                #expect(s.stdout.utf8.count == ShellConfiguration().outputCap)
                #expect(s.text.contains("[stdout truncated: 50000000 bytes in all"))
            }
        }
    }
}
