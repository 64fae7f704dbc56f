import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumRecording
import TerrariumWorld

extension ShellTests {
    /// The shell works on the world's own tree: what it changes becomes the same file
    /// events the file tools record, and what the file tools change is what it sees.
    @Suite struct Workspace {
        @Test func createdChangedAndDeletedFilesAreFileEventsAndWorldState() async throws {
            try await withOffice { office in
                let s = try await office.sh("""
                    echo 'new report' > reports/new.md && printf 'appended\\n' >> notes/todo.md && rm offsite/budget-2026.csv \
                    && rm -r vendors/harborview && mkdir -p archive/2026 && chmod 600 hr/org-chart.md && mv notes/café-offsite.md archive/2026/
                    """)
                #expect(s.exitCode == 0, "\(s.stderr)")
                func paths(_ kind: String) -> [String] { s.events(kind).compactMap { $0.payload["path"]?.stringValue } }
                #expect(paths("file.created") == ["archive", "archive/2026", "archive/2026/café-offsite.md", "reports/new.md"])
                #expect(paths("file.modified") == ["hr/org-chart.md", "notes/todo.md"])
                #expect(Set(paths("file.deleted")) == ["notes/café-offsite.md", "offsite/budget-2026.csv", "vendors/harborview"])
                for event in s.events.filter({ $0.kind.hasPrefix("file.") }) {
                    #expect(event.payload["tool"] == "run_shell")
                    #expect(event.payload["cause"] == JSON(s.result.calledSeq))
                    #expect(event.payload["effect"] != nil)
                }
                let chmod = try #require(s.events("file.modified").first { $0.payload["path"] == "hr/org-chart.md" })
                #expect(chmod.payload["mode"] == "600" && chmod.payload["previousMode"] == "644")
                #expect(chmod.payload["sha256"] == chmod.payload["previousSha256"])
                let folder = try #require(s.events("file.deleted").first { $0.payload["path"] == "vendors/harborview" })
                #expect(folder.payload["directory"] == true)
                #expect(folder.payload["contents"] == ["vendors/harborview/invoice-history.csv"])
                // shell.executed counts them; the world holds them.
                #expect(s.executed?.payload["changes"] == ["created": 4, "modified": 2, "deleted": 3])
                let read = try await office.call("read_file", ["path": "reports/new.md"])
                #expect(read.text == "new report\n")
                let todo = try await office.call("read_file", ["path": "notes/todo.md", "offset": 0, "limit": 100_000])
                #expect(todo.text.hasSuffix("appended\n"))
                let gone = try await office.call("read_file", ["path": "offsite/budget-2026.csv"])
                #expect(gone.result.isError)
                let world = await office.episode.snapshot()
                #expect(world.files[try world.resolve("hr/org-chart.md")]?.mode == 0o600)
            }
        }

        @Test func whatTheFileToolsChangeIsWhatTheShellSees() async throws {
            try await withOffice { office in
                _ = try await office.sh("true")
                _ = try await office.call("write_file", ["path": "drafts/plan.md", "content": "# Plan\n"])
                _ = try await office.call("move_file", ["source": "notes/todo.md", "destination": "drafts/todo.md"])
                _ = try await office.call("delete_file", ["path": "config", "recursive": true])
                let s = try await office.sh("cat drafts/plan.md; ls drafts; ls notes/todo.md config 2>&1 | wc -l")
                #expect(s.lines == ["# Plan", "plan.md", "todo.md", "2"])
                #expect(s.events.filter { $0.kind.hasPrefix("file.") }.isEmpty, "\(s.events.map(\.kind))")
            }
        }

        @Test func aTouchWithoutAChangeIsNoEventAndTimesAreTheWorlds() async throws {
            try await withOffice { office in
                let world = await office.episode.snapshot()
                let readme = try #require(world.files[try world.resolve("README.md")])
                let s = try await office.sh("touch README.md; cat README.md > /dev/null; stat -c %Y README.md")
                #expect(s.events.filter { $0.kind.hasPrefix("file.") }.isEmpty)
                let again = try await office.sh("stat -c %Y README.md")
                #expect(again.lines == ["\(readme.modified.milliseconds / 1000)"])
            }
        }

        @Test func sameSizeSameMtimeRewritesAreStillSeen() async throws {
            // An agent hiding a change (same length, mtime put back) still changes ctime.
            try await withOffice { office in
                let s = try await office.sh("""
                    t=$(stat -c %y notes/todo.md); i=$(stat -c %i notes/todo.md)
                    python3 -c "f = open('notes/todo.md', 'r+'); f.write('# ATLAS'); f.close()"
                    touch -d "$t" notes/todo.md; [ "$(stat -c %y notes/todo.md)" = "$t" ] && [ "$(stat -c %i notes/todo.md)" = "$i" ] && echo same
                    """)
                #expect(s.lines == ["same"], "\(s.stderr)")
                #expect(s.events("file.modified").map { $0.payload["path"] } == ["notes/todo.md"])
                let read = try await office.call("read_file", ["path": "notes/todo.md", "limit": 1])
                #expect(read.text.hasPrefix("# ATLAS"))
            }
        }

        @Test func onlyTouchedEntriesAreExaminedWhenTheEventRecordIsComplete() async throws {
            try await withOffice { office in
                let idle = try await office.sh("true")
                #expect(idle.executed?.wall["scanMethod"] == "events")
                #expect(idle.executed?.wall["examined"] == 0)
                let one = try await office.sh("echo x >> notes/todo.md")
                #expect(one.executed?.wall["examined"] == 1)
                #expect(one.events("file.modified").map { $0.payload["path"] } == ["notes/todo.md"])
            }
        }

        @Test func aFileWrittenUnderAnotherNameChangesUnderAllItsNames() async throws {
            try await withOffice { office in
                let link = try await office.sh("mkdir sub && echo one > a.txt && ln a.txt sub/b.txt")
                #expect(link.events("file.created").compactMap { $0.payload["path"]?.stringValue } == ["a.txt", "sub", "sub/b.txt"])
                // Written through one name only: inotify reports only that name.
                let write = try await office.sh("echo two >> sub/b.txt")
                let modified = Set(write.events("file.modified").compactMap { $0.payload["path"]?.stringValue })
                #expect(modified == ["a.txt", "sub/b.txt"])
                let read = try await office.call("read_file", ["path": "a.txt"])
                #expect(read.text == "one\ntwo\n")
            }
        }

        @Test func mmapWritesAndHiddenTimesAreSeen() async throws {
            try await withOffice { office in
                let s = try await office.sh("""
                    python3 - <<'PY'
                    import mmap, os
                    st = os.stat('notes/todo.md')
                    with open('notes/todo.md', 'r+b') as f:
                        m = mmap.mmap(f.fileno(), 0); m[0:1] = b'X'; m.flush(); m.close()
                    os.utime('notes/todo.md', ns=(st.st_atime_ns, st.st_mtime_ns))
                    PY
                    """)
                #expect(s.exitCode == 0, "\(s.stderr)")
                #expect(s.events("file.modified").map { $0.payload["path"] } == ["notes/todo.md"])
                let read = try await office.call("read_file", ["path": "notes/todo.md", "limit": 1])
                #expect(read.text.hasPrefix("X Atlas"))
            }
        }

        @Test func aMovedFolderIsStillWatchedAtItsNewPath() async throws {
            try await withOffice { office in
                let move = try await office.sh("mv notes archived-notes")
                #expect(move.events("file.created").first?.payload["path"] == "archived-notes")
                #expect(move.events("file.deleted").first?.payload["path"] == "notes")
                let edit = try await office.sh("echo later >> archived-notes/todo.md")
                #expect(edit.events("file.modified").map { $0.payload["path"] } == ["archived-notes/todo.md"])
                #expect(edit.executed?.wall["scanMethod"] == "events")
            }
        }

        @Test func anOverflowingEventQueueFallsBackToAWalk() async throws {
            // 20,000 alternating events (identical consecutive ones are merged) overflow the
            // kernel's queue of 16,384.
            try await withOffice { office in
                let s = try await office.sh("python3 -c \"import os\nfor i in range(20000): os.utime(('README.md', 'notes/todo.md')[i % 2])\"; echo changed >> hr/org-chart.md")
                #expect(s.executed?.wall["scanMethod"] == "walk")
                #expect(s.events("file.modified").map { $0.payload["path"] } == ["hr/org-chart.md"])
                let next = try await office.sh("true")
                #expect(next.executed?.wall["scanMethod"] == "events")
            }
        }

        @Test func replayVerifyRebuildsTheWorldWithoutRunningAnything() async throws {
            let office = try Office()
            _ = try await office.sh("echo one > a.txt; mkdir d; ln -s a.txt d/link; head -c 20000 /dev/urandom > d/bin")
            _ = try await office.call("write_file", ["path": "a.txt", "content": "two\n", "if_exists": "append"])
            _ = try await office.sh("rm -r notes; mv d e; chmod 700 e/bin")
            try await office.episode.end(reason: "done")
            let live = await office.episode.snapshot()
            let walk = try EpisodeReader(directory: office.folder).walk()
            #expect(walk.error == nil)
            #expect(walk.world.stateHash == live.stateHash)
            #expect(walk.world.files == live.files)
            #expect(walk.world.files[try live.resolve("e/link")]?.symlinkTarget == "a.txt")
            await office.finish()
        }
    }

    /// The world's time inside the shell: `date`, `TZ` and file times agree with the
    /// episode's virtual clock.
    @Suite struct TimeInside {
        @Test func dateAndZoneAreTheWorlds() async throws {
            try await withOffice { office in
                let s = try await office.sh("date +%F; date '+%H:%M %Z'; echo $TZ; readlink /etc/localtime; cat /etc/timezone; python3 -c 'import time; print(time.strftime(\"%Y-%m-%d\"))'")
                // bramble-office starts at 08:30 -05:00 (CDT); the first call advances 30 s.
                #expect(s.lines == ["2026-03-16", "08:30 CDT", "America/Chicago", "/usr/share/zoneinfo/America/Chicago",
                                    "America/Chicago", "2026-03-16"], "\(s.stderr)")
                _ = try await office.call("send_email", ["to": ["dana.whitfield@bramble-analytics.com"], "subject": "s", "body": "b"])
                let later = try await office.sh("date +%H:%M:%S")
                #expect(later.lines == ["08:33:00"])
            }
        }

        @Test func fileTimesAreTheWorldsVirtualTimes() async throws {
            try await withOffice { office in
                let s = try await office.sh("echo x > new.txt; ls -l --time-style=+%F README.md | awk '{print $6}'")
                #expect(s.lines == ["2026-03-16"])
                let world = await office.episode.snapshot()
                let node = try #require(world.files[try world.resolve("new.txt")])
                #expect(node.modified == world.clock.now)
                let again = try await office.sh("stat -c %Y new.txt; date -r new.txt +%F")
                #expect(again.lines == ["\(node.modified.milliseconds / 1000)", "2026-03-16"])
            }
        }
    }
}
