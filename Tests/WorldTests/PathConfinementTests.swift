import Testing
import TerrariumBase
import TerrariumWorld

@Suite("World: resolving and confining paths")
struct PathConfinementTests {
    func resolved(_ input: String) throws -> String { try WorkspacePath.resolve(input, home: home).raw }
    func refused(_ input: String) -> WorldError? { worldError { try WorkspacePath.resolve(input, home: home) } }

    @Test(arguments: [
        ("notes/todo.md", "notes/todo.md"),
        ("./notes//todo.md", "notes/todo.md"),
        ("notes/./../notes/todo.md", "notes/todo.md"),
        ("notes/", "notes"),
        ("notes///", "notes"),
        ("a/b/../../c", "c"),
        (".", ""), ("", ""), ("./", ""), ("~", ""), ("~/", ""), ("notes/..", ""),
        ("~/notes/todo.md", "notes/todo.md"),
        ("~//notes", "notes"),
        ("~notes", "~notes"),
        ("notes/~", "notes/~"),
        ("/home/atlas", ""), ("/home/atlas/", ""),
        ("/home/atlas/notes/todo.md", "notes/todo.md"),
        ("//home//atlas/./notes", "notes"),
        ("/home/atlas/../atlas/x", "x"),
        ("/home/bob/../atlas/x", "x"),
        ("...", "..."), ("..a", "..a"), ("a..", "a.."), (".hidden", ".hidden"),
        ("with space/ and tab\t", "with space/ and tab\t"),
        ("back\\slash", "back\\slash"),
    ])
    func normalises(input: String, expected: String) throws {
        #expect(try resolved(input) == expected)
    }

    @Test(arguments: [
        "..", "../x", "../../etc/passwd", "notes/../../x", "a/b/../../..", "~/..", "~/../x", "./../atlas/x",
        "/", "/etc/passwd", "/home", "/home/atlas2/x", "/home/atlasx", "/home/Atlas/x", "/home/atlas/../bob/x",
        "/home/atlas/../../etc", "/../home/bob", "/tmp/../home/bob",
    ])
    func refusesEverythingOutsideTheHome(input: String) {
        let error = refused(input)
        #expect(error == .outsideWorkspace(input))
        #expect(error?.description == "\(input): outside your home directory; paths must stay inside it")
    }

    @Test func theHomeWithATrailingSlashStillConfines() throws {
        #expect(try WorkspacePath.resolve("/srv/agent/x", home: "/srv/agent/").raw == "x")
        #expect(worldError { try WorkspacePath.resolve("/srv/agentx", home: "/srv/agent") } == .outsideWorkspace("/srv/agentx"))
    }

    @Test func nulBytesAreRefused() {
        let error = refused("notes/a\u{0}b.txt")
        #expect(error == .invalidPath("notes/a\\u{0}b.txt", reason: "contains a NUL byte"))
        #expect(error?.description == "invalid path \"notes/a\\u{0}b.txt\": contains a NUL byte")
        #expect(refused("\u{0}") == .invalidPath("\\u{0}", reason: "contains a NUL byte"))
    }

    @Test func otherControlCharactersAreKeptButShownEscapedInErrors() throws {
        #expect(try resolved("bell\u{7}.txt") == "bell\u{7}.txt")
        let long = "x\u{1B}" + String(repeating: "a", count: 256)
        #expect(refused(long) == .invalidPath("x\\u{1b}" + String(repeating: "a", count: 198) + "…",
                                              reason: "file name too long (over 255 bytes)"))
    }

    @Test func componentLengthIsCountedInBytes() throws {
        let ok = String(repeating: "a", count: 255)
        #expect(try resolved("notes/" + ok) == "notes/" + ok)
        let tooLong = String(repeating: "a", count: 256)
        let error = refused("notes/" + tooLong)
        #expect(error == .invalidPath("notes/" + String(repeating: "a", count: 194) + "…", reason: "file name too long (over 255 bytes)"))
        #expect(error?.description.hasSuffix(": file name too long (over 255 bytes)") == true)
        // 128 × "é" (2 bytes each) is 128 characters but 256 bytes.
        let accented = String(repeating: "é", count: 128)
        #expect(refused(accented) == .invalidPath(accented, reason: "file name too long (over 255 bytes)"))
        #expect(try resolved(String(repeating: "é", count: 127) + "a") == String(repeating: "é", count: 127) + "a")
    }

    @Test func pathLengthIsLimitedTo4095Bytes() throws {
        // 16 components of 255 bytes and 15 slashes: exactly 4095 bytes.
        let component = String(repeating: "b", count: 255)
        let exact = Array(repeating: component, count: 16).joined(separator: "/")
        #expect(exact.utf8.count == 4095)
        #expect(try resolved(exact) == exact)
        let over = exact + "c"
        let error = refused(over)
        #expect(error == .invalidPath(String(repeating: "b", count: 200) + "…", reason: "path too long (over 4095 bytes)"))
        #expect(error?.description == "invalid path \"\(String(repeating: "b", count: 200))…\": path too long (over 4095 bytes)")
        // The limit applies to what was typed, even when it would normalise to something short.
        #expect(refused(String(repeating: "./", count: 2048)) == .invalidPath(String(repeating: "./", count: 100) + "…",
                                                                            reason: "path too long (over 4095 bytes)"))
    }

    @Test func precomposedAndDecomposedAreDifferentPaths() throws {
        let nfc = try WorkspacePath.resolve("caf\u{E9}.txt", home: home)
        let nfd = try WorkspacePath.resolve("cafe\u{301}.txt", home: home)
        // Swift's String says these are equal; the paths must not.
        #expect("caf\u{E9}.txt" == "cafe\u{301}.txt")
        #expect(nfc != nfd)
        #expect(Array(nfc.raw.utf8) == [0x63, 0x61, 0x66, 0xC3, 0xA9, 0x2E, 0x74, 0x78, 0x74])
        #expect(Array(nfd.raw.utf8) == [0x63, 0x61, 0x66, 0x65, 0xCC, 0x81, 0x2E, 0x74, 0x78, 0x74])
        #expect(nfd < nfc)
        #expect(Set([nfc, nfd]).count == 2)
    }

    @Test func precomposedAndDecomposedAreTwoFiles() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.writeFile("caf\u{E9}.txt", content: "precomposed", ifExists: .fail, into: &events)
        _ = try w.writeFile("cafe\u{301}.txt", content: "decomposed", ifExists: .fail, into: &events)
        #expect(kinds(events) == [.fileCreated, .fileCreated])
        #expect(try text(w, "caf\u{E9}.txt") == "precomposed")
        #expect(try text(w, "cafe\u{301}.txt") == "decomposed")
        let listed = try w.listFiles(".", recursive: false).map { Array($0.0.raw.utf8) }
        #expect(listed.filter { $0.starts(with: Array("caf".utf8)) } == [Array("cafe\u{301}.txt".utf8), Array("caf\u{E9}.txt".utf8)])
        // Deleting one leaves the other.
        _ = try w.deleteFile("cafe\u{301}.txt", recursive: false, into: &events)
        #expect(try text(w, "caf\u{E9}.txt") == "precomposed")
        #expect(w.files[try path("cafe\u{301}.txt")] == nil)
        // And both survive a snapshot round trip.
        _ = try w.writeFile("cafe\u{301}.txt", content: "again", ifExists: .fail, into: &events)
        let copy = try World(snapshot: w.snapshotJSON(InlineContentCodec()), InlineContentCodec())
        #expect(try text(copy, "cafe\u{301}.txt") == "again")
        #expect(try text(copy, "caf\u{E9}.txt") == "precomposed")
        #expect(copy.stateHash == w.stateHash)
    }

    @Test(arguments: [
        "evil\u{202E}txt.exe",          // right-to-left override
        "zero\u{200B}width.txt",        // zero-width space
        "join\u{200D}er.txt",           // zero-width joiner
        "\u{FEFF}bom.txt",              // byte order mark
        "📁/🐈‍⬛ notes.md",              // emoji, one with a ZWJ sequence
        "日本語/ファイル.txt",
    ])
    func oddUnicodeIsKeptByteExact(name: String) throws {
        let p = try WorkspacePath.resolve(name, home: home)
        #expect(Array(p.raw.utf8) == Array(name.utf8))
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try w.writeFile(name, content: name, ifExists: .fail, into: &events)
        let listed = try w.listFiles(".", recursive: true).map { Array($0.0.raw.utf8) }
        #expect(listed.contains(Array(name.utf8)))
        #expect(try text(w, name) == name)
        #expect(events.last?.detail["path"]?.stringValue.map { Array($0.utf8) } == Array(name.utf8))
    }

    @Test func emojiFolderHasTheRightParentAndName() throws {
        let p = try WorkspacePath.resolve("📁/🐈‍⬛ notes.md", home: home)
        #expect(p.parent?.raw == "📁")
        #expect(p.name == "🐈‍⬛ notes.md")
        #expect(p.components == ["📁", "🐈‍⬛ notes.md"])
    }

    @Test func pathHelpers() throws {
        let p = try path("a/b/c.txt")
        #expect(p.parent?.raw == "a/b")
        #expect(p.parent?.parent?.raw == "a")
        #expect(p.parent?.parent?.parent == .root)
        #expect(WorkspacePath.root.parent == nil)
        #expect(WorkspacePath.root.description == ".")
        #expect(p.description == "a/b/c.txt")
        #expect(p.name == "c.txt")
        #expect(WorkspacePath.root.name == "")
        #expect(p.isWithin(try path("a")))
        #expect(p.isWithin(try path("a/b/c.txt")))
        #expect(p.isWithin(.root))
        let a = try path("a"), ab = try path("a/b"), abc = try path("ab/c")
        #expect(!abc.isWithin(a))
        #expect(!a.isWithin(ab))
        #expect(try path("a/b/c").rebased(from: try path("a/b"), to: try path("x")).raw == "x/c")
        #expect(try path("a/b").rebased(from: try path("a/b"), to: try path("x/y")).raw == "x/y")
        #expect(WorkspacePath.root.appending("x").raw == "x")
        #expect(try path("a").appending("x").raw == "a/x")
    }

    // A combining mark right after "/" joins the slash into one Character. Splitting on
    // Characters then misses that slash, so "../\u{301}x" is taken as a single component
    // and its ".." escapes the check, while `parent` (which splits on bytes) sees "..".
    // On disk the bytes are "..", "/", "\u{301}x": outside the home.
    @Test func aCombiningMarkAfterASlashDoesNotHideDotDot() {
        #expect(refused("../\u{301}x") == .outsideWorkspace("../\u{301}x"))
        #expect(refused("notes/../../\u{200D}etc") == .outsideWorkspace("notes/../../\u{200D}etc"))
    }

    @Test func componentsAreSplitOnSlashBytes() throws {
        let p = try WorkspacePath.resolve("a/\u{301}b", home: home)
        #expect(Array(p.raw.utf8) == Array("a/\u{301}b".utf8))
        #expect(p.parent?.raw == "a")
        #expect(p.components.count == 2)
        #expect(p.name == "\u{301}b")
    }

    @Test func aDotDotFolderCannotBeCreatedThroughACombiningMark() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        _ = try? w.writeFile("../\u{301}x", content: "escaped", ifExists: .overwrite, into: &events)
        // Whatever happens, no node may have ".." as a path component.
        for (p, _) in try w.listFiles(".", recursive: true) {
            #expect(!p.raw.utf8.split(separator: UInt8(ascii: "/")).contains { Array($0) == Array("..".utf8) }, "\(p.raw)")
        }
    }
}
