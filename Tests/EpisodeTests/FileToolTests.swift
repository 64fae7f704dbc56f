import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumWorld

@Suite("Episode: file tools")
struct FileToolTests {
    // MARK: list_files

    @Test func listTheHome() async throws {
        let e = try acmeEpisode()
        let r = try await e.ok("list_files", [:])
        #expect(r.text == """
            755  2026-03-16T08:30:00-05:00  bin/
            755  2026-03-16T08:30:00-05:00  docs/
            755  2026-03-16T08:30:00-05:00  empty/
            755  2026-03-16T08:30:00-05:00  notes/
            """)
        let entries = try #require(r.data?["entries"]?.arrayValue)
        #expect(entries.first == ["path": "bin", "type": "directory", "size": 0, "mode": "755",
                                  "modified": "2026-03-16T08:30:00-05:00"])
    }

    @Test func listRecursively() async throws {
        let e = try acmeEpisode()
        let r = try await e.ok("list_files", ["path": ".", "recursive": true])
        #expect(r.text == """
            755  2026-03-16T08:30:00-05:00  bin/
            600  2026-03-16T08:30:00-05:00  8  bin/logo.png
            755  2026-03-16T08:30:00-05:00  docs/
            644  2026-03-16T08:30:00-05:00  20  docs/readme.md
            755  2026-03-16T08:30:00-05:00  empty/
            755  2026-03-16T08:30:00-05:00  notes/
            644  2026-03-16T08:30:00-05:00  71  notes/long.txt
            644  2026-03-16T08:30:00-05:00  29  notes/todo.md
            """)
        #expect(r.data?["entries"]?.arrayValue?[1] == ["path": "bin/logo.png", "type": "file", "size": 8, "mode": "600",
                                                       "modified": "2026-03-16T08:30:00-05:00"])
    }

    @Test func listAFolderAFileAnEmptyFolderAndNothing() async throws {
        let e = try acmeEpisode()
        #expect(try await e.ok("list_files", ["path": "notes"]).text == """
            644  2026-03-16T08:30:00-05:00  71  notes/long.txt
            644  2026-03-16T08:30:00-05:00  29  notes/todo.md
            """)
        #expect(try await e.ok("list_files", ["path": "notes/todo.md"]).text == "644  2026-03-16T08:30:00-05:00  29  notes/todo.md")
        let empty = try await e.ok("list_files", ["path": "empty"])
        #expect(empty.text == "(empty folder)")
        #expect(empty.data == ["entries": []])
        try await e.fails("list_files", ["path": "ghost"], "ghost: no such file or directory")
        try await e.fails("list_files", ["path": "/etc"], "/etc: outside your home directory; paths must stay inside it")
    }

    // MARK: read_file

    @Test func readAWholeFileWithoutFooter() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let r = try await rec.episode.ok("read_file", ["path": "notes/todo.md"])
        #expect(r.text == "- tidy notes\n- send the logo\n")
        #expect(r.data == ["path": "notes/todo.md", "content": "- tidy notes\n- send the logo\n", "offset": 0, "lines": 2,
                           "totalLines": 2, "size": 29])
        let events = try rec.events(of: r)
        #expect(events.map(\.kind) == ["tool.called", "clock.advanced", "file.read", "tool.result"])
        #expect(events[2].payload["path"] == "notes/todo.md")
        #expect(events[2].payload["size"] == 29)
        #expect(events[2].payload["lines"] == 2)
        #expect(events[2].payload["effect"] == nil)
    }

    @Test func readAWindowAddsAFooter() async throws {
        let e = try acmeEpisode()
        let r = try await e.ok("read_file", ["path": "notes/long.txt", "offset": 2, "limit": 3])
        #expect(r.text == "line 3\nline 4\nline 5\n\n[lines 3–5 of 10; use offset to read more]")
        #expect(r.data == ["path": "notes/long.txt", "content": "line 3\nline 4\nline 5\n", "offset": 2, "lines": 3,
                           "totalLines": 10, "size": 71])
        let head = try await e.ok("read_file", ["path": "notes/long.txt", "limit": 1])
        #expect(head.text == "line 1\n\n[lines 1–1 of 10; use offset to read more]")
        let tail = try await e.ok("read_file", ["path": "notes/long.txt", "offset": 8])
        #expect(tail.text == "line 9\nline 10\n\n[lines 9–10 of 10; use offset to read more]")
    }

    /// Past the end there is nothing to show; the footer should not claim a backwards range.
    @Test func readPastTheEndSaysSoPlainly() async throws {
        let e = try acmeEpisode()
        let r = try await e.ok("read_file", ["path": "notes/long.txt", "offset": 20])
        #expect(r.data?["content"] == "")
        #expect(r.data?["lines"] == 0)
        #expect(!r.text.contains("lines 21–20"))
    }

    @Test func readErrors() async throws {
        let e = try acmeEpisode()
        try await e.fails("read_file", ["path": "bin/logo.png"], "bin/logo.png: binary file (8 bytes), not shown as text")
        try await e.fails("read_file", ["path": "notes"], "notes: is a directory")
        try await e.fails("read_file", ["path": "notes/ghost.md"], "notes/ghost.md: no such file or directory")
        try await e.fails("read_file", ["path": "notes/todo.md", "limit": 0], "argument \"limit\" must be between 1 and 100000, got 0")
        try await e.fails("read_file", ["path": "notes/todo.md", "offset": -1], "argument \"offset\" must be between 0 and 1000000, got -1")
    }

    // MARK: write_file

    @Test func writeCreatesFoldersAndRecordsEachCreation() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let r = try await rec.episode.ok("write_file", ["path": "reports/2026/q1.md", "content": "# Q1\n"])
        #expect(r.text == "Created reports/2026/q1.md (5 bytes).")
        #expect(r.data == ["path": "reports/2026/q1.md", "created": true, "size": 5])
        let events = try rec.events(of: r)
        #expect(events.map(\.kind) == ["tool.called", "clock.advanced", "file.created", "file.created", "file.created", "tool.result"])
        #expect(events[2...4].map { $0.payload["path"] } == ["reports", "reports/2026", "reports/2026/q1.md"])
        #expect(events[2].payload["directory"] == true)
        #expect(events[4].payload["tool"] == "write_file")
        #expect(events[4].payload["sha256"] == .string(Digest.sha256("# Q1\n").hex))
        #expect(events[4].payload["effect"]?["op"] == "writeFile")
        #expect(events[4].payload["effect"]?["mode"] == .int(0o644))
        let w = await rec.episode.world
        #expect(w.text("reports/2026/q1.md") == "# Q1\n")
        // The file and its folders carry the time of the call.
        #expect(w.node("reports/2026/q1.md")?.modified == time("2026-03-16T08:30:30-05:00"))
        #expect(w.node("reports")?.modified == time("2026-03-16T08:30:30-05:00"))
        let listed = try await rec.episode.ok("list_files", ["path": "reports/2026"])
        #expect(listed.text == "644  2026-03-16T08:30:30-05:00  5  reports/2026/q1.md")
    }

    @Test func overwriteAppendAndFail() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let e = rec.episode
        let over = try await e.ok("write_file", ["path": "notes/todo.md", "content": "- one\n", "if_exists": "overwrite"])
        #expect(over.text == "Overwrote notes/todo.md (6 bytes).")
        #expect(over.data == ["path": "notes/todo.md", "created": false, "size": 6])
        let append = try await e.ok("write_file", ["path": "notes/todo.md", "content": "- two\n", "if_exists": "append"])
        #expect(append.text == "Appended to notes/todo.md (12 bytes).")
        #expect(await e.world.text("notes/todo.md") == "- one\n- two\n")
        try await e.fails("write_file", ["path": "notes/todo.md", "content": "x", "if_exists": "fail"], "notes/todo.md: already exists")
        #expect(await e.world.text("notes/todo.md") == "- one\n- two\n")
        let fresh = try await e.ok("write_file", ["path": "notes/fresh.md", "content": "new", "if_exists": "fail"])
        #expect(fresh.text == "Created notes/fresh.md (3 bytes).")
        let modified = try rec.events().filter { $0.kind == "file.modified" }
        #expect(modified.map { $0.payload["appended"] } == [false, true])
        #expect(modified[0].payload["previousSha256"] == .string(Digest.sha256("- tidy notes\n- send the logo\n").hex))
        #expect(modified[1].payload["previousSha256"] == .string(Digest.sha256("- one\n").hex))
    }

    @Test func writeErrors() async throws {
        let e = try acmeEpisode()
        try await e.fails("write_file", ["path": "notes", "content": "x"], "notes: is a directory")
        try await e.fails("write_file", ["path": "notes/todo.md/x.md", "content": "x"], "notes/todo.md: not a directory")
        try await e.fails("write_file", ["path": "~", "content": "x"], "~: is a directory")
        try await e.fails("write_file", ["path": "../x", "content": "x"], "../x: outside your home directory; paths must stay inside it")
        try await e.fails("write_file", ["path": "x", "content": "x", "if_exists": "replace"],
                          "argument \"if_exists\" must be one of overwrite, append, fail, got \"replace\"")
        try await e.fails("write_file", ["path": "x"], "missing required argument \"content\" (The text to write.)")
        #expect(await e.world.node("x") == nil)
    }

    @Test func writeKeepsTheBytesExactly() async throws {
        let e = try acmeEpisode()
        let content = "tab\there\r\nnul-free ünïcödé 🐈‍⬛\n\u{202E}rtl\u{200B}zw\n"
        _ = try await e.ok("write_file", ["path": "exact.txt", "content": .string(content)])
        #expect(await e.world.node("exact.txt")?.content?.bytes == Array(content.utf8))
        let r = try await e.ok("read_file", ["path": "exact.txt"])
        #expect(r.text == content)
    }

    // MARK: delete_file

    @Test func deleteFilesAndFolders() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let e = rec.episode
        let file = try await e.ok("delete_file", ["path": "docs/readme.md"])
        #expect(file.text == "Deleted docs/readme.md.")
        #expect(file.data == ["deleted": ["docs/readme.md"]])
        try await e.fails("delete_file", ["path": "notes"],
                          "notes: directory not empty (pass recursive: true to delete it and its contents)")
        let folder = try await e.ok("delete_file", ["path": "notes", "recursive": true])
        #expect(folder.text == "Deleted notes and 2 items inside it.")
        #expect(folder.data == ["deleted": ["notes", "notes/long.txt", "notes/todo.md"]])
        _ = try await e.ok("write_file", ["path": "one/only.txt", "content": "x"])
        #expect(try await e.ok("delete_file", ["path": "one", "recursive": true]).text == "Deleted one and 1 item inside it.")
        #expect(try await e.ok("delete_file", ["path": "empty"]).text == "Deleted empty.")
        try await e.fails("delete_file", ["path": "."], "your home directory itself cannot be deleted or moved")
        try await e.fails("delete_file", ["path": "ghost"], "ghost: no such file or directory")
        let deleted = try rec.events().filter { $0.kind == "file.deleted" }
        #expect(deleted.map { $0.payload["path"] } == ["docs/readme.md", "notes", "one", "empty"])
        #expect(deleted[1].payload["contents"] == ["notes/long.txt", "notes/todo.md"])
        #expect(await e.world.files.fileCount == 1)
    }

    // MARK: move_file

    @Test func moveAndRename() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let e = rec.episode
        let r = try await e.ok("move_file", ["source": "notes/todo.md", "destination": "docs"])
        #expect(r.text == "Moved notes/todo.md to docs/todo.md.")
        #expect(r.data == ["path": "docs/todo.md"])
        let rename = try await e.ok("move_file", ["source": "docs/todo.md", "destination": "docs/todo-2026.md"])
        #expect(rename.text == "Moved docs/todo.md to docs/todo-2026.md.")
        #expect(await e.world.text("docs/todo-2026.md") == "- tidy notes\n- send the logo\n")
        #expect(await e.world.node("docs/todo-2026.md")?.modified == time("2026-03-16T08:31:00-05:00"))
        let replace = try await e.ok("move_file", ["source": "docs/todo-2026.md", "destination": "docs/readme.md"])
        #expect(replace.text == "Moved docs/todo-2026.md to docs/readme.md.")
        let events = try rec.events(of: replace)
        #expect(events.map(\.kind) == ["tool.called", "clock.advanced", "file.deleted", "file.moved", "tool.result"])
        #expect(events[2].payload["replacedBy"] == "docs/todo-2026.md")
        #expect(events[3].payload["from"] == "docs/todo-2026.md")
        #expect(events[3].payload["to"] == "docs/readme.md")
        #expect(await e.world.text("docs/readme.md") == "- tidy notes\n- send the logo\n")
        let folder = try await e.ok("move_file", ["source": "notes", "destination": "archive-notes"])
        #expect(folder.text == "Moved notes to archive-notes.")
        #expect(await e.world.text("archive-notes/long.txt")?.hasPrefix("line 1\n") == true)
    }

    @Test func moveErrors() async throws {
        let e = try acmeEpisode()
        try await e.fails("move_file", ["source": "notes", "destination": "notes/inner"], "cannot move notes into itself (notes/inner)")
        try await e.fails("move_file", ["source": "notes/todo.md", "destination": "missing/x.md"], "missing: no such file or directory")
        try await e.fails("move_file", ["source": "ghost", "destination": "docs"], "ghost: no such file or directory")
        try await e.fails("move_file", ["source": "empty", "destination": "docs/readme.md"], "docs/readme.md: not a directory")
        try await e.fails("move_file", ["source": "~", "destination": "docs"], "your home directory itself cannot be deleted or moved")
        try await e.fails("move_file", ["source": "notes/todo.md", "destination": "/tmp/x"],
                          "/tmp/x: outside your home directory; paths must stay inside it")
        try await e.fails("move_file", ["source": "notes/todo.md"], "missing required argument \"destination\" (New path, or an existing folder to move into.)")
    }

    // MARK: make_folder

    @Test func makeFolderIsIdempotent() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let e = rec.episode
        let r = try await e.ok("make_folder", ["path": "a/b"])
        #expect(r.text == "Created folder a/b/.")
        #expect(r.data == ["path": "a/b", "created": true])
        #expect(try rec.events(of: r).map(\.kind) == ["tool.called", "clock.advanced", "file.created", "file.created", "tool.result"])
        let again = try await e.ok("make_folder", ["path": "./a//b/"])
        #expect(again.text == "Folder a/b/ already exists.")
        #expect(again.data == ["path": "a/b", "created": false])
        #expect(try rec.events(of: again).map(\.kind) == ["tool.called", "clock.advanced", "tool.result"])
        try await e.fails("make_folder", ["path": "notes/todo.md"], "notes/todo.md: already exists")
        try await e.fails("make_folder", ["path": "notes/todo.md/sub"], "notes/todo.md: not a directory")
        #expect(await e.world.node("a/b")?.mode == 0o755)
    }

    // MARK: search_files

    @Test func searchByNameAndText() async throws {
        let e = try acmeEpisode()
        let names = try await e.ok("search_files", ["name": "*.md"])
        #expect(names.text == "2 matches\ndocs/readme.md\nnotes/todo.md")
        #expect(names.data == ["total": 2, "matches": [["path": "docs/readme.md", "line": nil, "excerpt": nil],
                                                       ["path": "notes/todo.md", "line": nil, "excerpt": nil]]])
        let text = try await e.ok("search_files", ["text": "LOGO"])
        #expect(text.text == "1 match\nnotes/todo.md:2: - send the logo")
        #expect(text.data == ["total": 1, "matches": [["path": "notes/todo.md", "line": 2, "excerpt": "- send the logo"]]])
        let both = try await e.ok("search_files", ["path": "notes", "name": "*.txt", "text": "line 1"])
        #expect(both.text == "1 match\nnotes/long.txt:1: line 1")
        let paths = try await e.ok("search_files", ["name": "notes/*"])
        #expect(paths.text == "2 matches\nnotes/long.txt\nnotes/todo.md")
        let limited = try await e.ok("search_files", ["name": "*", "limit": 1])
        #expect(limited.text == "4 matches, showing 1\nbin/logo.png")
        let none = try await e.ok("search_files", ["text": "zebra"])
        #expect(none.text == "0 matches")
        #expect(none.data == ["total": 0, "matches": []])
    }

    @Test func searchErrors() async throws {
        let e = try acmeEpisode()
        try await e.fails("search_files", [:], "give a name pattern, a text to search for, or both")
        try await e.fails("search_files", ["path": "notes/todo.md", "name": "*"], "notes/todo.md: not a directory")
        try await e.fails("search_files", ["path": "ghost", "text": "x"], "ghost: no such file or directory")
        try await e.fails("search_files", ["text": "x", "limit": 1001], "argument \"limit\" must be between 1 and 1000, got 1001")
    }

    // MARK: output limit

    @Test func longOutputIsTruncatedWithAMarker() async throws {
        let e = try acmeEpisode()
        let content = String(repeating: "0123456789", count: 15_000)
        _ = try await e.ok("write_file", ["path": "big.txt", "content": .string(content)])
        let r = try await e.ok("read_file", ["path": "big.txt"])
        let expected = String(repeating: "0123456789", count: 10_000) + "\n[output truncated: 150000 bytes, showing the first 100000]"
        let same = r.text == expected
        #expect(same)
        #expect(r.text.hasSuffix("\n[output truncated: 150000 bytes, showing the first 100000]"))
        // The structured data keeps everything.
        let complete = r.data?["content"] == .string(content)
        #expect(complete)
        #expect(Episode.outputLimit == 100_000)
    }

    /// The cut is made on a byte count; it must not split a multi-byte character into U+FFFD.
    @Test func truncationKeepsWholeCharacters() async throws {
        let e = try acmeEpisode()
        let content = "a" + String(repeating: "é", count: 60_000)
        _ = try await e.ok("write_file", ["path": "accents.txt", "content": .string(content)])
        let r = try await e.ok("read_file", ["path": "accents.txt"])
        let replacementCharacters = r.text.unicodeScalars.filter { $0 == "\u{FFFD}" }.count
        #expect(replacementCharacters == 0)
        let kept = r.text.components(separatedBy: "\n[output truncated").first ?? ""
        let isPrefix = content.hasPrefix(kept)
        #expect(isPrefix)
        #expect(kept.utf8.count == 99_999)
    }
}
