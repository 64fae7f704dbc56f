import Testing
import TerrariumBase
import TerrariumWorld

@Suite("World: file operations")
struct FileOperationTests {
    // MARK: list

    @Test func listAFolderSortedByBytes() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        for name in ["éclair.txt", "alpha.txt", "Zeta.txt", "_under", "a-b"] {
            _ = try w.writeFile(name, content: name, ifExists: .fail, into: &events)
        }
        let names = try w.listFiles(".", recursive: false).map(\.0.raw)
        #expect(names == ["Zeta.txt", "_under", "a-b", "alpha.txt", "bin", "docs", "empty", "notes", "éclair.txt"])
    }

    @Test func listRecursivelyIsDepthFirst() throws {
        let w = try seededWorld()
        let entries = try w.listFiles(".", recursive: true)
        #expect(entries.map(\.0.raw) == ["bin", "bin/logo.png", "docs", "docs/readme.md", "empty", "notes", "notes/long.txt",
                                         "notes/todo.md"])
        #expect(entries.map(\.1.isDirectory) == [true, false, true, false, true, true, false, false])
        #expect(entries[1].1.mode == 0o600)
        #expect(try w.listFiles("notes", recursive: false).map(\.0.raw) == ["notes/long.txt", "notes/todo.md"])
        #expect(try w.listFiles("empty", recursive: true).isEmpty)
    }

    @Test func listAFileListsJustThatFile() throws {
        let w = try seededWorld()
        let entries = try w.listFiles("notes/todo.md", recursive: true)
        #expect(entries.map(\.0.raw) == ["notes/todo.md"])
        #expect(entries.first?.1.content?.count == 29)
    }

    @Test func listAMissingPath() throws {
        let w = try seededWorld()
        let error = worldError { try w.listFiles("nowhere", recursive: false) }
        #expect(error == .noSuchFile("nowhere"))
        #expect(error?.description == "nowhere: no such file or directory")
    }

    // MARK: read

    @Test func readAWholeFile() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let before = w.stateHash
        let slice = try w.readFile("notes/todo.md", offset: 0, limit: 2000, into: &events)
        #expect(slice.text == "- tidy notes\n- send the logo\n")
        #expect(slice.path.raw == "notes/todo.md")
        #expect(slice.firstLine == 0)
        #expect(slice.lineCount == 2)
        #expect(slice.totalLines == 2)
        #expect(slice.size == 29)
        #expect(kinds(events) == [.fileRead])
        #expect(events[0].effect == nil)
        #expect(events[0].detail == ["path": "notes/todo.md",
                                     "sha256": .string(Digest.sha256("- tidy notes\n- send the logo\n").hex),
                                     "size": 29, "offset": 0, "lines": 2])
        #expect(w.stateHash == before)
    }

    @Test func readAWindowOfLines() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let slice = try w.readFile("notes/long.txt", offset: 2, limit: 3, into: &events)
        #expect(slice.text == "line 3\nline 4\nline 5\n")
        #expect(slice.firstLine == 2)
        #expect(slice.lineCount == 3)
        #expect(slice.totalLines == 10)
        #expect(events[0].detail["offset"] == 2)
        #expect(events[0].detail["lines"] == 3)
        let tail = try w.readFile("notes/long.txt", offset: 8, limit: 5, into: &events)
        #expect(tail.text == "line 9\nline 10\n")
        #expect(tail.lineCount == 2)
        let past = try w.readFile("notes/long.txt", offset: 10, limit: 5, into: &events)
        #expect(past.text == "")
        #expect(past.lineCount == 0)
    }

    @Test func readWithoutFinalNewlineAndEmptyLines() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.writeFile("a.txt", content: "one\n\nthree", ifExists: .fail, into: &events)
        let all = try w.readFile("a.txt", offset: 0, limit: 10, into: &events)
        #expect(all.text == "one\n\nthree")
        #expect(all.totalLines == 3)
        let middle = try w.readFile("a.txt", offset: 1, limit: 1, into: &events)
        #expect(middle.text == "\n")
        let last = try w.readFile("a.txt", offset: 2, limit: 1, into: &events)
        #expect(last.text == "three")
        _ = try w.writeFile("empty.txt", content: "", ifExists: .fail, into: &events)
        let empty = try w.readFile("empty.txt", offset: 0, limit: 10, into: &events)
        #expect(empty.text == "")
        #expect(empty.totalLines == 0)
        #expect(empty.size == 0)
    }

    @Test func readKeepsCarriageReturnsAndMultibyteText() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.writeFile("crlf.txt", content: "Grüße\r\nnaïve 😀\r\n", ifExists: .fail, into: &events)
        let slice = try w.readFile("crlf.txt", offset: 1, limit: 1, into: &events)
        #expect(slice.text == "naïve 😀\r\n")
        #expect(slice.totalLines == 2)
        #expect(slice.size == 22)
    }

    @Test func readErrors() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let binary = worldError { try w.readFile("bin/logo.png", offset: 0, limit: 10, into: &events) }
        #expect(binary == .notText("bin/logo.png", size: 8))
        #expect(binary?.description == "bin/logo.png: binary file (8 bytes), not shown as text")
        let folder = worldError { try w.readFile("notes", offset: 0, limit: 10, into: &events) }
        #expect(folder == .isADirectory("notes"))
        #expect(folder?.description == "notes: is a directory")
        #expect(worldError { try w.readFile("notes/nope.md", offset: 0, limit: 10, into: &events) } == .noSuchFile("notes/nope.md"))
        #expect(worldError { try w.readFile("../etc/passwd", offset: 0, limit: 10, into: &events) } == .outsideWorkspace("../etc/passwd"))
        #expect(events.isEmpty)
    }

    // MARK: write

    @Test func writeCreatesAFileAndItsMissingFolders() throws {
        var w = try seededWorld()
        try w.apply(.advanceClock(to: time("2026-03-16T09:00:00-05:00")))
        var events: [WorldEvent] = []
        let r = try w.writeFile("reports/2026/q1/summary.md", content: "# Q1\n", ifExists: .fail, into: &events)
        #expect(r.path.raw == "reports/2026/q1/summary.md")
        #expect(r.created == true)
        #expect(r.size == 5)
        #expect(kinds(events) == [.fileCreated, .fileCreated, .fileCreated, .fileCreated])
        #expect(events.map { $0.detail["path"] } == ["reports", "reports/2026", "reports/2026/q1", "reports/2026/q1/summary.md"])
        #expect(events[0].detail == ["path": "reports", "directory": true])
        #expect(events[0].effect == .makeDirectory(path: try path("reports"), mode: 0o755, modified: time("2026-03-16T09:00:00-05:00")))
        #expect(events[3].detail == ["path": "reports/2026/q1/summary.md", "sha256": .string(Digest.sha256("# Q1\n").hex),
                                     "size": 5, "tool": "write_file"])
        let node = try #require(w.files[try path("reports/2026/q1/summary.md")])
        #expect(node.content?.bytes == Array("# Q1\n".utf8))
        #expect(node.mode == 0o644)
        #expect(node.modified == time("2026-03-16T09:00:00-05:00"))
        #expect(w.files[try path("reports/2026")]?.mode == 0o755)
        #expect(w.files[try path("reports/2026")]?.isDirectory == true)
    }

    @Test func overwriteReplacesTheBytesAndKeepsTheMode() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let r = try w.writeFile("bin/logo.png", content: "now text", ifExists: .overwrite, into: &events)
        #expect(r.created == false)
        #expect(r.size == 8)
        #expect(kinds(events) == [.fileModified])
        #expect(events[0].detail == ["path": "bin/logo.png", "sha256": .string(Digest.sha256("now text").hex), "size": 8,
                                     "tool": "write_file", "previousSha256": .string(Digest.sha256(logoBytes).hex),
                                     "appended": false])
        #expect(try text(w, "bin/logo.png") == "now text")
        #expect(w.files[try path("bin/logo.png")]?.mode == 0o600)
    }

    @Test func appendAddsToTheEnd() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let r = try w.writeFile("notes/todo.md", content: "- book Birch\n", ifExists: .append, into: &events)
        #expect(r.created == false)
        #expect(r.size == 42)
        #expect(try text(w, "notes/todo.md") == "- tidy notes\n- send the logo\n- book Birch\n")
        #expect(kinds(events) == [.fileModified])
        #expect(events[0].detail["appended"] == true)
        // Appending to a file that does not exist creates it.
        events = []
        let created = try w.writeFile("notes/new.md", content: "first", ifExists: .append, into: &events)
        #expect(created.created == true)
        #expect(kinds(events) == [.fileCreated])
        #expect(events[0].detail["appended"] == nil)
        #expect(try text(w, "notes/new.md") == "first")
    }

    @Test func appendToABinaryFileKeepsItsBytes() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.writeFile("bin/logo.png", content: "!", ifExists: .append, into: &events)
        #expect(w.files[try path("bin/logo.png")]?.content?.bytes == logoBytes + [0x21])
    }

    @Test func failRefusesAnExistingFile() throws {
        var w = try seededWorld()
        let before = w.stateHash
        var events: [WorldEvent] = []
        let error = worldError { try w.writeFile("notes/todo.md", content: "x", ifExists: .fail, into: &events) }
        #expect(error == .alreadyExists("notes/todo.md"))
        #expect(error?.description == "notes/todo.md: already exists")
        #expect(events.isEmpty)
        #expect(w.stateHash == before)
    }

    @Test func writeErrorsChangeNothing() throws {
        var w = try seededWorld()
        let before = w.stateHash
        var events: [WorldEvent] = []
        #expect(worldError { try w.writeFile("notes", content: "x", ifExists: .overwrite, into: &events) } == .isADirectory("notes"))
        #expect(worldError { try w.writeFile("~", content: "x", ifExists: .overwrite, into: &events) } == .isADirectory("~"))
        #expect(worldError { try w.writeFile(".", content: "x", ifExists: .append, into: &events) } == .isADirectory("."))
        let under = worldError { try w.writeFile("notes/todo.md/deeper/x.txt", content: "x", ifExists: .overwrite, into: &events) }
        #expect(under == .notADirectory("notes/todo.md"))
        #expect(under?.description == "notes/todo.md: not a directory")
        #expect(worldError { try w.writeFile("../x.txt", content: "x", ifExists: .overwrite, into: &events) } == .outsideWorkspace("../x.txt"))
        #expect(events.isEmpty)
        #expect(w.stateHash == before)
        #expect(w.files[try path("notes/todo.md/deeper")] == nil)
    }

    // MARK: make folder

    @Test func makeFolderCreatesParentsAndIsIdempotent() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        #expect(try w.makeFolder("a/b/c", into: &events) == true)
        #expect(kinds(events) == [.fileCreated, .fileCreated, .fileCreated])
        #expect(events.map { $0.detail } == [["path": "a", "directory": true], ["path": "a/b", "directory": true],
                                             ["path": "a/b/c", "directory": true]])
        let hash = w.stateHash
        events = []
        #expect(try w.makeFolder("a/b/c", into: &events) == false)
        #expect(try w.makeFolder("a/b/", into: &events) == false)
        #expect(try w.makeFolder(".", into: &events) == false)
        #expect(events.isEmpty)
        #expect(w.stateHash == hash)
    }

    @Test func makeFolderErrors() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let over = worldError { try w.makeFolder("notes/todo.md", into: &events) }
        #expect(over == .alreadyExists("notes/todo.md"))
        #expect(worldError { try w.makeFolder("notes/todo.md/sub", into: &events) } == .notADirectory("notes/todo.md"))
        #expect(worldError { try w.makeFolder("/tmp/x", into: &events) } == .outsideWorkspace("/tmp/x"))
        #expect(events.isEmpty)
    }

    // MARK: delete

    @Test func deleteAFile() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let removed = try w.deleteFile("notes/todo.md", recursive: false, into: &events)
        #expect(removed.map(\.raw) == ["notes/todo.md"])
        #expect(kinds(events) == [.fileDeleted])
        #expect(events[0].effect == .remove(path: try path("notes/todo.md")))
        #expect(events[0].detail == ["path": "notes/todo.md", "directory": false,
                                     "sha256": .string(Digest.sha256("- tidy notes\n- send the logo\n").hex)])
        #expect(w.files[try path("notes/todo.md")] == nil)
        #expect(try w.listFiles("notes", recursive: false).map(\.0.raw) == ["notes/long.txt"])
    }

    @Test func deleteANonEmptyFolderNeedsRecursive() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let error = worldError { try w.deleteFile("notes", recursive: false, into: &events) }
        #expect(error == .directoryNotEmpty("notes"))
        #expect(error?.description == "notes: directory not empty (pass recursive: true to delete it and its contents)")
        #expect(events.isEmpty)
        let removed = try w.deleteFile("notes", recursive: true, into: &events)
        #expect(removed.map(\.raw) == ["notes", "notes/long.txt", "notes/todo.md"])
        #expect(kinds(events) == [.fileDeleted])
        #expect(events[0].detail == ["path": "notes", "directory": true, "contents": ["notes/long.txt", "notes/todo.md"]])
        #expect(w.files[try path("notes")] == nil)
        #expect(w.files[try path("notes/long.txt")] == nil)
        #expect(w.files.fileCount == 2)
    }

    @Test func deleteAnEmptyFolderWithoutRecursive() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        #expect(try w.deleteFile("empty", recursive: false, into: &events).map(\.raw) == ["empty"])
        #expect(events[0].detail == ["path": "empty", "directory": true])
    }

    @Test func deleteErrors() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        for root in [".", "~", "", "/home/atlas", "notes/.."] {
            let error = worldError { try w.deleteFile(root, recursive: true, into: &events) }
            #expect(error == .rootNotModifiable, "\(root)")
        }
        #expect(WorldError.rootNotModifiable.description == "your home directory itself cannot be deleted or moved")
        #expect(worldError { try w.deleteFile("ghost.txt", recursive: false, into: &events) } == .noSuchFile("ghost.txt"))
        #expect(events.isEmpty)
        #expect(w.files.fileCount == 4)
    }

    // MARK: move

    @Test func renameAFile() throws {
        var w = try seededWorld()
        let later = time("2026-03-16T10:00:00-05:00")
        try w.apply(.advanceClock(to: later))
        var events: [WorldEvent] = []
        let to = try w.moveFile("notes/todo.md", "notes/todo-2026.md", into: &events)
        #expect(to.raw == "notes/todo-2026.md")
        #expect(kinds(events) == [.fileMoved])
        #expect(events[0].detail == ["from": "notes/todo.md", "to": "notes/todo-2026.md", "directory": false])
        #expect(events[0].effect == .move(from: try path("notes/todo.md"), to: try path("notes/todo-2026.md"), modified: later))
        #expect(w.files[try path("notes/todo.md")] == nil)
        #expect(try text(w, "notes/todo-2026.md") == "- tidy notes\n- send the logo\n")
        #expect(w.files[try path("notes/todo-2026.md")]?.modified == later)
    }

    @Test func moveIntoAnExistingFolder() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        #expect(try w.moveFile("notes/todo.md", "docs", into: &events).raw == "docs/todo.md")
        #expect(try w.moveFile("docs/todo.md", "/home/atlas/empty/", into: &events).raw == "empty/todo.md")
        #expect(try w.listFiles("empty", recursive: false).map(\.0.raw) == ["empty/todo.md"])
    }

    @Test func moveAFolderWithItsContents() throws {
        var w = try seededWorld()
        let later = time("2026-03-16T10:00:00-05:00")
        try w.apply(.advanceClock(to: later))
        var events: [WorldEvent] = []
        #expect(try w.moveFile("notes", "empty", into: &events).raw == "empty/notes")
        #expect(events[0].detail == ["from": "notes", "to": "empty/notes", "directory": true])
        #expect(try w.listFiles(".", recursive: true).map(\.0.raw)
                == ["bin", "bin/logo.png", "docs", "docs/readme.md", "empty", "empty/notes", "empty/notes/long.txt",
                    "empty/notes/todo.md"])
        // The folder itself gets the new time; what it holds keeps its own.
        #expect(w.files[try path("empty/notes")]?.modified == later)
        #expect(w.files[try path("empty/notes/todo.md")]?.modified == start)
        #expect(try text(w, "empty/notes/todo.md") == "- tidy notes\n- send the logo\n")
    }

    @Test func moveReplacesAnExistingFile() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        #expect(try w.moveFile("notes/todo.md", "docs/readme.md", into: &events).raw == "docs/readme.md")
        #expect(kinds(events) == [.fileDeleted, .fileMoved])
        #expect(events[0].detail == ["path": "docs/readme.md", "directory": false, "replacedBy": "notes/todo.md",
                                     "sha256": .string(Digest.sha256("# Docs\nHello World.\n").hex)])
        #expect(try text(w, "docs/readme.md") == "- tidy notes\n- send the logo\n")
        #expect(w.files.fileCount == 3)
    }

    @Test func moveOntoItselfDoesNothing() throws {
        var w = try seededWorld()
        let before = w.stateHash
        var events: [WorldEvent] = []
        #expect(try w.moveFile("notes/todo.md", "./notes//todo.md", into: &events).raw == "notes/todo.md")
        #expect(events.isEmpty)
        #expect(w.stateHash == before)
    }

    @Test func moveErrors() throws {
        var w = try seededWorld()
        let before = w.stateHash
        var events: [WorldEvent] = []
        let into = worldError { try w.moveFile("notes", "notes/sub", into: &events) }
        #expect(into == .moveIntoItself("notes", "notes/sub"))
        #expect(into?.description == "cannot move notes into itself (notes/sub)")
        // Moving a folder onto itself means "into itself".
        #expect(worldError { try w.moveFile("notes", "notes", into: &events) } == .moveIntoItself("notes", "notes"))
        #expect(worldError { try w.moveFile("notes/todo.md", "nowhere/x.md", into: &events) } == .noSuchFile("nowhere"))
        #expect(worldError { try w.moveFile("notes/todo.md", "a/b/x.md", into: &events) } == .noSuchFile("a/b"))
        #expect(worldError { try w.moveFile("ghost", "docs", into: &events) } == .noSuchFile("ghost"))
        #expect(worldError { try w.moveFile("empty", "docs/readme.md", into: &events) } == .notADirectory("docs/readme.md"))
        #expect(worldError { try w.moveFile(".", "docs", into: &events) } == .rootNotModifiable)
        #expect(worldError { try w.moveFile("notes/todo.md", "../escape.md", into: &events) } == .outsideWorkspace("../escape.md"))
        #expect(events.isEmpty)
        #expect(w.stateHash == before)
    }

    @Test func moveAFileOntoAFolderInsideTheTargetIsRefused() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.makeFolder("archive/todo.md", into: &events)
        events = []
        #expect(worldError { try w.moveFile("notes/todo.md", "archive", into: &events) } == .isADirectory("archive/todo.md"))
        #expect(events.isEmpty)
    }

    /// A destination whose parent is a file: the parent exists, so "no such file or
    /// directory" is misleading; `mv` says "Not a directory".
    @Test func moveUnderAFileSaysNotADirectory() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        let error = worldError { try w.moveFile("docs/readme.md", "notes/todo.md/readme.md", into: &events) }
        #expect(error == .notADirectory("notes/todo.md"))
    }

    // MARK: search

    func names(_ r: (matches: [World.FileMatch], total: Int)) -> [String] { r.matches.map(\.path.raw) }

    @Test func searchByNameGlob() throws {
        let w = try seededWorld()
        #expect(names(try w.searchFiles(".", name: "*.md", text: nil, limit: 50)) == ["docs/readme.md", "notes/todo.md"])
        #expect(names(try w.searchFiles(".", name: "*.MD", text: nil, limit: 50)) == [])
        #expect(names(try w.searchFiles(".", name: "????.md", text: nil, limit: 50)) == ["notes/todo.md"])
        #expect(names(try w.searchFiles("notes", name: "*", text: nil, limit: 50)) == ["notes/long.txt", "notes/todo.md"])
        // Folders never match.
        #expect(names(try w.searchFiles(".", name: "notes", text: nil, limit: 50)) == [])
        let r = try w.searchFiles(".", name: "*.md", text: nil, limit: 50)
        #expect(r.matches.map(\.line) == [nil, nil])
        #expect(r.matches.map(\.excerpt) == [nil, nil])
    }

    @Test func searchWithASlashPatternMatchesThePathFromTheHome() throws {
        let w = try seededWorld()
        #expect(names(try w.searchFiles(".", name: "notes/*.md", text: nil, limit: 50)) == ["notes/todo.md"])
        #expect(names(try w.searchFiles("notes", name: "notes/*", text: nil, limit: 50)) == ["notes/long.txt", "notes/todo.md"])
        #expect(names(try w.searchFiles(".", name: "*/readme.md", text: nil, limit: 50)) == ["docs/readme.md"])
        // Relative to the home, not to the searched folder.
        #expect(names(try w.searchFiles("notes", name: "./todo.md", text: nil, limit: 50)) == [])
    }

    @Test func searchByTextGivesTheFirstMatchingLine() throws {
        let w = try seededWorld()
        let r = try w.searchFiles(".", name: nil, text: "LOGO", limit: 50)
        #expect(names(r) == ["notes/todo.md"])
        #expect(r.matches[0].line == 2)
        #expect(r.matches[0].excerpt == "- send the logo")
        let lines = try w.searchFiles(".", name: nil, text: "line 1", limit: 50)
        #expect(lines.matches.map(\.line) == [1])
        #expect(lines.matches.map(\.excerpt) == ["line 1"])
        let ten = try w.searchFiles(".", name: nil, text: "line 10", limit: 50)
        #expect(ten.matches.map(\.line) == [10])
    }

    @Test func searchTextSkipsBinaryFiles() throws {
        let w = try seededWorld()
        #expect(try w.searchFiles(".", name: nil, text: "PNG", limit: 50).total == 0)
    }

    @Test func searchNameAndTextTogether() throws {
        let w = try seededWorld()
        #expect(names(try w.searchFiles(".", name: "*.txt", text: "line", limit: 50)) == ["notes/long.txt"])
        #expect(names(try w.searchFiles(".", name: "*.md", text: "line", limit: 50)) == [])
    }

    @Test func searchNonASCIITextAndLongLines() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.writeFile("menu.txt", content: "soup\nCRÈME brûlée\n", ifExists: .fail, into: &events)
        let r = try w.searchFiles(".", name: nil, text: "crème", limit: 50)
        #expect(names(r) == ["menu.txt"])
        #expect(r.matches[0].line == 2)
        #expect(r.matches[0].excerpt == "CRÈME brûlée")
        _ = try w.writeFile("long.txt", content: String(repeating: "x", count: 300) + "needle\n", ifExists: .fail, into: &events)
        let long = try w.searchFiles(".", name: nil, text: "needle", limit: 50)
        #expect(long.matches[0].excerpt == String(repeating: "x", count: 200))
    }

    @Test func searchLimitAndTotal() throws {
        let w = try seededWorld()
        let r = try w.searchFiles(".", name: "*", text: nil, limit: 2)
        #expect(names(r) == ["bin/logo.png", "docs/readme.md"])
        #expect(r.total == 4)
    }

    @Test func searchErrors() throws {
        let w = try seededWorld()
        #expect(worldError { try w.searchFiles("notes/todo.md", name: "*", text: nil, limit: 5) } == .notADirectory("notes/todo.md"))
        #expect(worldError { try w.searchFiles("ghost", name: "*", text: nil, limit: 5) } == .noSuchFile("ghost"))
        #expect(worldError { try w.searchFiles("..", name: "*", text: nil, limit: 5) } == .outsideWorkspace(".."))
    }
}
