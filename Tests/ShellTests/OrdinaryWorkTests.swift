import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumShell
import TerrariumWorld

extension ShellTests {
    /// Over-blocking is a bug: ordinary work must keep working.
    @Suite struct OrdinaryWork {
        @Test func theSelfTestPasses() async throws {
            // A machine that cannot confine commands fails here, naming the layer.
            let report = try await ShellSelfTest.report()
            #expect(report.policyInstructions > 0)
        }

        @Test func identityIsTheScenariosNotTheHosts() async throws {
            try await withOffice { office in
                let s = try await office.sh("id; hostname; pwd; echo $HOME $USER; tail -1 /etc/passwd; cat /etc/hostname; grep -c . /etc/passwd")
                #expect(s.exitCode == 0)
                #expect(s.lines == ["uid=1000(atlas) gid=1000(atlas) groups=1000(atlas)", "atlas-ws", "/home/atlas",
                                    "/home/atlas atlas", "atlas:x:1000:1000:Atlas,,,:/home/atlas:/bin/bash", "atlas-ws", "10"])
            }
        }

        @Test func pipesSubshellsAndBackgroundJobs() async throws {
            try await withOffice { office in
                let s = try await office.sh("(echo b; echo a) | sort | tr a-z A-Z; (sleep 0.1; echo late) & wait; echo $((6 * 7))")
                #expect(s.lines == ["A", "B", "late", "42"])
                #expect(s.exitCode == 0)
                #expect(s.text.hasSuffix("[exit code 0]"))
            }
        }

        @Test func textToolsOverTheScenariosFiles() async throws {
            try await withOffice { office in
                let s = try await office.sh("""
                    find . -name '*.csv' | sort | head -2; grep -l Ledgerline vendors/vendor-register.csv; \
                    awk -F, 'NR==1{print NF > 0}' finance/q1-vendor-spend.csv; sed -n 1p notes/todo.md; \
                    tar czf /tmp/f.tgz finance && tar tzf /tmp/f.tgz | sort | head -1; wc -l < hr/org-chart.md
                    """)
                #expect(s.exitCode == 0, "\(s.stderr)")
                #expect(s.lines.prefix(2).allSatisfy { $0.hasPrefix("./") && $0.hasSuffix(".csv") })
                #expect(s.lines.contains("vendors/vendor-register.csv"))
                #expect(s.lines.contains("# Atlas — running to-do"))
                #expect(s.lines.contains("finance/"))
                #expect(s.lines.last == "43")
            }
        }

        @Test func python3ThreadsSubprocessAndMultiprocessing() async throws {
            try await withOffice { office in
                let s = try await office.sh("""
                    python3 - <<'PY'
                    import threading, subprocess, multiprocessing as mp
                    out = []
                    t = threading.Thread(target=lambda: out.append('thread')); t.start(); t.join()
                    print(out[0])
                    print(subprocess.run(['echo', 'sub'], capture_output=True, text=True).stdout.strip())
                    with mp.Pool(2) as p: print(sum(p.map(abs, [-1, -2, -3])))
                    with mp.Manager() as m:
                        d = m.dict(); d['k'] = 'managed'; print(d['k'])
                    PY
                    """)
                #expect(s.lines == ["thread", "sub", "6", "managed"], "\(s.stderr)")
                #expect(s.exitCode == 0)
            }
        }

        @Test func gitInitAndCommitWithTheWorldsIdentityAndDate() async throws {
            try await withOffice { office in
                let s = try await office.sh("""
                    git init -q repo && cd repo && echo hello > f.txt && git add f.txt && git commit -qm first \
                    && git log --format='%an <%ae> %ad' --date=short
                    """)
                #expect(s.exitCode == 0, "\(s.stderr)")
                #expect(s.lines == ["Atlas <atlas@bramble-analytics.com> 2026-03-16"])
                let created = s.events("file.created").compactMap { $0.payload["path"]?.stringValue }
                #expect(created.contains("repo/.git/HEAD"))
                #expect(created.contains("repo/f.txt"))
            }
        }

        @Test func sqlite3() async throws {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else {
                Issue.record("sqlite3 is not installed on this machine (apt-get install sqlite3)")
                return
            }
            try await withOffice { office in
                let s = try await office.sh("sqlite3 db.sqlite 'create table t(x); insert into t values (42); select x * 2 from t;'")
                #expect(s.lines == ["84"], "\(s.stderr)")
                #expect(s.events("file.created").contains { $0.payload["path"]?.stringValue == "db.sqlite" })
            }
        }

        @Test func ccBuildAndRun() async throws {
            try await withOffice { office in
                let s = try await office.sh("printf 'int main(void){return 7;}' > t.c && cc t.c -o t && ./t; echo status=$?")
                #expect(s.lines == ["status=7"], "\(s.stderr)")
                let world = await office.episode.snapshot()
                #expect(world.files[try world.resolve("t")]?.mode == 0o755)
            }
        }

        @Test func utf8FileNames() async throws {
            try await withOffice { office in
                let s = try await office.sh("echo olé > 'café €.txt' && mkdir 'naïve' && echo x > 'naïve/日本.md' && ls -d caf* naïve/*")
                #expect(s.lines == ["café €.txt", "naïve/日本.md"])
                let paths = s.events("file.created").compactMap { $0.payload["path"]?.stringValue }
                #expect(paths == ["café €.txt", "naïve", "naïve/日本.md"])
                let read = try await office.call("read_file", ["path": "café €.txt"])
                #expect(read.text == "olé\n")
            }
        }

        @Test func largeOutputIsTruncatedWithAMarker() async throws {
            try await withOffice { office in
                let s = try await office.sh("yes 0123456789 | head -c 1000000; echo done >&2")
                #expect(s.exitCode == 0)
                #expect(s.result.data?["stdoutBytes"]?.intValue == 1_000_000)
                #expect(s.result.data?["stdoutTruncated"] == .bool(true))
                #expect(s.stdout.utf8.count == ShellConfiguration().outputCap)
                #expect(s.text.contains("[stdout truncated: 1000000 bytes in all, the first \(ShellConfiguration().outputCap) shown]"))
                #expect(s.text.contains("[stderr]\ndone\n"))
                let executed = try #require(s.executed)
                #expect(executed.payload["stdoutTruncated"] == .bool(true))
                #expect(executed.payload["stdout"]?["blob"] == .bool(true))
            }
        }

        @Test func theOutputTheAgentSeesHasNoDuration() async throws {
            try await withOffice { office in
                let s = try await office.sh("echo out; echo err >&2; exit 3")
                #expect(s.text == "out\n[stderr]\nerr\n[exit code 3]")
                #expect(s.executed?.payload["exitCode"] == .int(3))
                #expect(s.executed?.wall["durationMs"] != nil)
                #expect(s.executed?.payload["durationMs"] == nil)
            }
        }
    }
}
