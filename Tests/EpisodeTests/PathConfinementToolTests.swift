import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumWorld

@Suite("Episode: paths through the tools")
struct PathConfinementToolTests {
    @Test(arguments: ["../outside.txt", "notes/../../outside.txt", "~/../outside.txt", "/etc/passwd", "/home/atlas/../bob/x",
                      "/home/atlasx/x", "/tmp/x"])
    func escapesAreRefusedByEveryFileTool(path: String) async throws {
        let e = try acmeEpisode()
        let message = "\(path): outside your home directory; paths must stay inside it"
        try await e.fails("read_file", ["path": .string(path)], message)
        try await e.fails("write_file", ["path": .string(path), "content": "x"], message)
        try await e.fails("list_files", ["path": .string(path)], message)
        try await e.fails("delete_file", ["path": .string(path)], message)
        try await e.fails("make_folder", ["path": .string(path)], message)
        try await e.fails("move_file", ["source": .string(path), "destination": "x"], message)
        try await e.fails("move_file", ["source": "notes/todo.md", "destination": .string(path)], message)
        try await e.fails("search_files", ["path": .string(path), "name": "*"], message)
        try await e.fails("send_email", ["to": [.string(dana)], "subject": "s", "body": "b", "attachments": [.string(path)]], message)
        let w = await e.world
        #expect(w.files.fileCount == 4)
        #expect(w.node("notes/todo.md") != nil)
        #expect(w.mailbox(dana)?.entries.isEmpty == true)
    }

    @Test func tildeAndAbsolutePathsInsideTheHome() async throws {
        let e = try acmeEpisode()
        _ = try await e.ok("write_file", ["path": "~/a.txt", "content": "tilde"])
        #expect(try await e.ok("read_file", ["path": "/home/atlas/a.txt"]).text == "tilde")
        #expect(try await e.ok("read_file", ["path": "./a.txt"]).data?["path"] == "a.txt")
        let made = try await e.ok("make_folder", ["path": "/home/atlas/x//y/./z/"])
        #expect(made.data == ["path": "x/y/z", "created": true])
        #expect(try await e.ok("list_files", ["path": "~"]).text.contains("  a.txt"))
        let root = try await e.ok("make_folder", ["path": "~"])
        #expect(root.text == "Folder ./ already exists.")
        try await e.fails("delete_file", ["path": "~"], "your home directory itself cannot be deleted or moved")
        try await e.fails("delete_file", ["path": "/home/atlas/", "recursive": true], "your home directory itself cannot be deleted or moved")
    }

    @Test func nulBytesAndOverlongNamesAreRefused() async throws {
        let e = try acmeEpisode()
        try await e.fails("write_file", ["path": "a\u{0}b.txt", "content": "x"], "invalid path \"a\\u{0}b.txt\": contains a NUL byte")
        let long = String(repeating: "n", count: 256)
        try await e.fails("write_file", ["path": .string("notes/" + long), "content": "x"],
                          "invalid path \"notes/\(String(repeating: "n", count: 194))…\": file name too long (over 255 bytes)")
        _ = try await e.ok("write_file", ["path": .string("notes/" + String(repeating: "n", count: 255)), "content": "x"])
        let deep = Array(repeating: String(repeating: "d", count: 200), count: 21).joined(separator: "/")
        try await e.fails("make_folder", ["path": .string(deep)],
                          "invalid path \"\(String(repeating: "d", count: 200))…\": path too long (over 4095 bytes)")
    }

    @Test func unicodeNamesAreKeptByteExact() async throws {
        let e = try acmeEpisode()
        let names = ["caf\u{E9}.md", "cafe\u{301}.md", "evil\u{202E}gnp.txt", "zero\u{200B}width.txt", "📁/🐈‍⬛.md"]
        for name in names {
            let r = try await e.ok("write_file", ["path": .string(name), "content": .string(name)])
            #expect(r.data?["path"].flatMap(\.stringValue).map { Array($0.utf8) } == Array(name.utf8))
            #expect(r.data?["created"] == true, "\(name)")
        }
        for name in names {
            let r = try await e.ok("read_file", ["path": .string(name)])
            #expect(Array(r.text.utf8) == Array(name.utf8))
        }
        let listed = try await e.ok("list_files", ["recursive": true])
        let paths = listed.data?["entries"]?.arrayValue?.compactMap { $0["path"]?.stringValue }.map { Array($0.utf8) } ?? []
        for name in names { #expect(paths.contains(Array(name.utf8)), "\(name)") }
        let found = try await e.ok("search_files", ["name": "caf*"])
        #expect(found.data?["total"] == 2)
    }

    /// "/" followed by a combining mark (or a zero-width joiner) is one Swift Character, so
    /// splitting the path on Characters misses that slash and the ".." before it.
    @Test func aCombiningMarkAfterASlashCannotHideDotDot() async throws {
        let e = try acmeEpisode()
        try await e.fails("write_file", ["path": "../\u{301}escaped.txt", "content": "x"],
                          "../\u{301}escaped.txt: outside your home directory; paths must stay inside it")
        let listed = try await e.ok("list_files", ["recursive": true])
        let paths = listed.data?["entries"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        #expect(paths.allSatisfy { !$0.utf8.split(separator: UInt8(ascii: "/")).contains { Array($0) == [0x2E, 0x2E] } })
    }
}
