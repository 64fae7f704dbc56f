import Testing
import TerrariumBase
@testable import TerrariumWorld

@Suite("World: state hash, snapshots and effects")
struct StateHashTests {
    /// A series of operations touching every kind of effect.
    func busyWorld() throws -> World {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        try w.tick(for: "write_file", into: &events)
        _ = try w.writeFile("reports/q1.md", content: "# Q1\n", ifExists: .fail, into: &events)
        _ = try w.writeFile("reports/q1.md", content: "more\n", ifExists: .append, into: &events)
        _ = try w.makeFolder("archive/2026", into: &events)
        _ = try w.moveFile("notes/todo.md", "archive/2026", into: &events)
        _ = try w.deleteFile("empty", recursive: false, into: &events)
        try w.tick(for: "send_email", into: &events)
        let files = try w.attachments(fromPaths: ["bin/logo.png"])
        _ = try w.sendMail(to: [dana, "ext@outside.example"], cc: ["nobody@acme.test"], bcc: [helen], subject: "Logo",
                           body: "Attached.", attachments: files, into: &events)
        _ = try w.readMail("m-budget", into: &events)
        _ = try w.deleteMail("m-news", into: &events)
        _ = try w.deleteMail("m-news", into: &events)
        _ = try w.deleteMail("m-lunch", into: &events)
        _ = try w.replyMail("m-budget", body: "Done.", replyAll: true, attachments: [], into: &events)
        _ = try w.forwardMail("m-invoice", to: [rafael], cc: [], note: "FYI", into: &events)
        return w
    }

    @Test func snapshotRoundTripKeepsTheStateHash() throws {
        let w = try busyWorld()
        let json = w.snapshotJSON(InlineContentCodec())
        let copy = try World(snapshot: json, InlineContentCodec())
        #expect(copy.stateHash == w.stateHash)
        #expect(copy.mailboxes == w.mailboxes)
        #expect(copy.files == w.files)
        #expect(copy.egress == w.egress)
        #expect(copy.messageIDs == w.messageIDs)
        #expect(copy.clock == w.clock)
        #expect(copy.directory == w.directory)
        #expect(copy.home == w.home)
        // Written again, it is the same bytes.
        #expect(copy.snapshotJSON(InlineContentCodec()).canonicalBytes() == json.canonicalBytes())
        // And through text: canonical bytes → parse → world.
        let reparsed = try World(snapshot: try JSON.parse(json.canonicalBytes()), InlineContentCodec())
        #expect(reparsed.stateHash == w.stateHash)
    }

    @Test func snapshotOfAFreshWorldRoundTrips() throws {
        let w = emptyWorld()
        let copy = try World(snapshot: w.snapshotJSON(InlineContentCodec()), InlineContentCodec())
        #expect(copy.stateHash == w.stateHash)
        #expect(copy.mailbox(agent)?.folders == ["inbox", "sent", "drafts", "trash", "vendors"])
    }

    @Test func snapshotFormatAndBinaryContent() throws {
        let w = try seededWorld()
        let json = w.snapshotJSON(InlineContentCodec())
        #expect(json["format"] == "terrarium.world/1")
        #expect(json["home"] == "/home/atlas")
        let files = try #require(json["files"]?.arrayValue)
        #expect(files.compactMap { $0["path"]?.stringValue } == ["", "bin", "bin/logo.png", "docs", "docs/readme.md", "empty",
                                                               "notes", "notes/long.txt", "notes/todo.md"])
        let logo = try #require(files.first { $0["path"] == "bin/logo.png" })
        #expect(logo["mode"] == .int(0o600))
        #expect(logo["content"]?["base64"] == .string(Base64.encode(logoBytes)))
        #expect(logo["content"]?["text"] == nil)
        #expect(logo["content"]?["size"] == 8)
        let todo = try #require(files.first { $0["path"] == "notes/todo.md" })
        #expect(todo["content"]?["text"] == "- tidy notes\n- send the logo\n")
        #expect(todo["content"]?["sha256"] == .string(Digest.sha256("- tidy notes\n- send the logo\n").hex))
        #expect(files.first?["directory"] == true)
    }

    @Test func aSnapshotWithAWrongDigestIsRefused() throws {
        let w = try seededWorld()
        guard case .object(var root) = w.snapshotJSON(InlineContentCodec()), case .array(var files) = root["files"] else {
            Issue.record("snapshot is not an object with files"); return
        }
        let index = try #require(files.firstIndex { $0["path"] == "notes/todo.md" })
        guard case .object(var file) = files[index], case .object(var content) = file["content"] else { return }
        content["text"] = "tampered"
        file["content"] = .object(content)
        files[index] = .object(file)
        root["files"] = .array(files)
        let message = decodingError { _ = try World(snapshot: .object(root), InlineContentCodec()) }
        #expect(message == "content does not match its sha256 \(Digest.sha256("- tidy notes\n- send the logo\n").hex)")
    }

    @Test func aSnapshotOfAnotherFormatIsRefused() {
        let message = decodingError { _ = try World(snapshot: ["format": "terrarium.world/0"], InlineContentCodec()) }
        #expect(message == "world snapshot format is not terrarium.world/1")
        let missing = decodingError { _ = try World(snapshot: ["nothing": true], InlineContentCodec()) }
        #expect(missing == "world: missing \"format\"")
    }

    @Test func differentWorldsHashDifferently() throws {
        let a = try seededWorld()
        var hashes: Set<Digest> = [a.stateHash, emptyWorld().stateHash]
        var b = a
        var events: [WorldEvent] = []
        _ = try b.readMail("m-budget", into: &events)
        hashes.insert(b.stateHash)
        var c = a
        _ = try c.writeFile("notes/todo.md", content: "x", ifExists: .overwrite, into: &events)
        hashes.insert(c.stateHash)
        var d = a
        try d.apply(.advanceClock(to: start.advanced(by: .init(milliseconds: 1))))
        hashes.insert(d.stateHash)
        var e = a
        try e.apply(.writeFile(path: try path("notes/todo.md"), content: Content(text: "- tidy notes\n- send the logo\n"),
                               mode: 0o600, modified: start))
        hashes.insert(e.stateHash)
        var f = a
        _ = try f.deleteMail("m-budget", into: &events)
        hashes.insert(f.stateHash)
        var g = a
        _ = try g.sendMail(to: ["x@out.example"], cc: [], bcc: [], subject: "s", body: "b", attachments: [], into: &events)
        hashes.insert(g.stateHash)
        let other = World(directory: makeDirectory(), home: "/home/other", clock: makeClock(), extraFolders: [agent: ["vendors"]])
        hashes.insert(other.stateHash)
        var clock = makeClock()
        clock.defaultAdvance = .seconds(31)
        hashes.insert(World(directory: makeDirectory(), home: home, clock: clock, extraFolders: [agent: ["vendors"]]).stateHash)
        #expect(hashes.count == 10)
    }

    @Test func sameOperationsGiveTheSameHash() throws {
        #expect(try busyWorld().stateHash == busyWorld().stateHash)
    }

    @Test func writeThenDeleteRestoresTheFileDigest() throws {
        var w = try seededWorld()
        let before = (w.fileDigest, w.stateHash)
        var events: [WorldEvent] = []
        _ = try w.writeFile("tmp/scratch/a.txt", content: "scratch", ifExists: .fail, into: &events)
        #expect(w.fileDigest != before.0)
        #expect(w.stateHash != before.1)
        _ = try w.deleteFile("tmp", recursive: true, into: &events)
        #expect(w.fileDigest == before.0)
        #expect(w.stateHash == before.1)
    }

    @Test func moveThereAndBackRestoresTheDigestWhenTimesMatch() throws {
        var w = try seededWorld()
        let before = w.fileDigest
        var events: [WorldEvent] = []
        // The world clock still reads `start`, the time every seeded file has.
        _ = try w.moveFile("notes", "docs", into: &events)
        #expect(w.fileDigest != before)
        _ = try w.moveFile("docs/notes", ".", into: &events)
        #expect(w.fileDigest == before)
    }

    @Test func readThenUnreadRestoresTheMailDigest() throws {
        var w = try seededWorld()
        let before = w.stateHash
        var events: [WorldEvent] = []
        _ = try w.readMail("m-budget", into: &events)
        #expect(w.stateHash != before)
        try w.apply(.setRead(mailbox: agent, key: "m-budget", read: false))
        #expect(w.stateHash == before)
    }

    @Test func theHashDoesNotDependOnInsertionOrder() throws {
        var a = emptyWorld()
        var b = emptyWorld()
        let p = try path("x.txt"), q = try path("y.txt")
        try a.apply(.writeFile(path: p, content: Content(text: "x"), mode: 0o644, modified: start))
        try a.apply(.writeFile(path: q, content: Content(text: "y"), mode: 0o644, modified: start))
        try b.apply(.writeFile(path: q, content: Content(text: "y"), mode: 0o644, modified: start))
        try b.apply(.writeFile(path: p, content: Content(text: "x"), mode: 0o644, modified: start))
        #expect(a.stateHash == b.stateHash)
    }

    @Test func replayingTheEffectsOfEventsRebuildsTheWorld() throws {
        let initial = try seededWorld()
        var live = initial
        var events: [WorldEvent] = []
        try live.tick(for: "x", into: &events)
        _ = try live.writeFile("a/b.txt", content: "b", ifExists: .fail, into: &events)
        _ = try live.moveFile("a", "docs", into: &events)
        _ = try live.sendMail(to: [dana, "e@x.example", "ghost@acme.test"], cc: [], bcc: [], subject: "s", body: "b",
                              attachments: [], into: &events)
        _ = try live.readMail("m-news", into: &events)
        _ = try live.readMail("m-news", into: &events)
        _ = try live.deleteFile("docs", recursive: true, into: &events)
        var replayed = initial
        for event in events {
            if let effect = event.effect {
                // Through JSON, as a recording would store it.
                let json = try JSON.parse(WorldCoding.effect(effect, InlineContentCodec()).canonicalBytes())
                try replayed.apply(try WorldCoding.effect(json, InlineContentCodec()))
            }
            #expect(replayed.stateHash == event.stateHash)
        }
        #expect(replayed.stateHash == live.stateHash)
        #expect(replayed.mailboxes == live.mailboxes)
        #expect(replayed.files == live.files)
    }

    @Test func effectsThatDoNotFitAreRefusedWithAReason() throws {
        var w = try seededWorld()
        let before = w.stateHash
        let msg = Message(messageID: "m-x", from: dana, to: [agent], subject: "s", body: "b", date: start)
        #expect(decodingError { try w.apply(.advanceClock(to: start.advanced(by: .init(milliseconds: -1)))) }
                == "clock would move backwards")
        #expect(decodingError { try w.apply(.deliver(mailbox: "ghost@acme.test", entry: entry("m-x", msg))) }
                == "no mailbox ghost@acme.test")
        #expect(decodingError { try w.apply(.deliver(mailbox: agent, entry: entry("m-x", folder: "archive", msg))) }
                == "mailbox atlas@acme.test has no folder archive")
        #expect(decodingError { try w.apply(.deliver(mailbox: agent, entry: entry("m-budget", msg))) }
                == "mailbox atlas@acme.test already has m-budget")
        #expect(decodingError { try w.apply(.setRead(mailbox: agent, key: "nope", read: true)) } == "no message nope in atlas@acme.test")
        #expect(decodingError { try w.apply(.moveMessage(mailbox: agent, key: "m-budget", folder: "archive")) }
                == "mailbox atlas@acme.test has no folder archive")
        #expect(decodingError { try w.apply(.removeMessage(mailbox: dana, key: "m-budget")) } == "no message m-budget in dana@acme.test")
        #expect(decodingError { try w.apply(.writeFile(path: try path("nowhere/x"), content: .empty, mode: 0o644, modified: start)) }
                == "folder of nowhere/x does not exist")
        #expect(decodingError { try w.apply(.writeFile(path: try path("notes"), content: .empty, mode: 0o644, modified: start)) }
                == "notes is a directory")
        #expect(decodingError { try w.apply(.writeFile(path: .root, content: .empty, mode: 0o644, modified: start)) }
                == "the home itself cannot be replaced")
        #expect(decodingError { try w.apply(.makeDirectory(path: try path("notes"), mode: 0o755, modified: start)) }
                == "notes already exists")
        #expect(decodingError { try w.apply(.remove(path: .root)) } == ". does not exist")
        #expect(decodingError { try w.apply(.remove(path: try path("ghost"))) } == "ghost does not exist")
        #expect(decodingError { try w.apply(.move(from: try path("ghost"), to: try path("x"), modified: start)) }
                == "ghost does not exist")
        #expect(decodingError { try w.apply(.move(from: try path("notes"), to: try path("docs/readme.md"), modified: start)) }
                == "docs/readme.md already exists")
        #expect(decodingError { try w.apply(.move(from: try path("notes"), to: try path("notes/x"), modified: start)) }
                == "cannot move notes into itself")
        #expect(decodingError { try w.apply(.move(from: try path("notes"), to: try path("a/b"), modified: start)) }
                == "folder of a/b does not exist")
        #expect(w.stateHash == before)
    }

    @Test func effectJSONRoundTripsForEveryKind() throws {
        let msg = Message(messageID: "m-x", from: dana, to: [agent], cc: [helen], bcc: [rafael], subject: "s", body: "b\n",
                          date: start, inReplyTo: "m-0", threadID: "m-t",
                          attachments: [Attachment(name: "l.png", contentType: "image/png", content: Content(logoBytes))])
        let effects: [WorldEffect] = [
            .advanceClock(to: start),
            .deliver(mailbox: agent, entry: entry("m-x", folder: "vendors", read: true, msg)),
            .setRead(mailbox: agent, key: "k", read: false),
            .moveMessage(mailbox: agent, key: "k", folder: "trash"),
            .removeMessage(mailbox: agent, key: "k"),
            .egress(Egress(recipient: "e@x.example", message: msg)),
            .writeFile(path: try path("a/b.bin"), content: Content(logoBytes), mode: 0o640, modified: start),
            .makeDirectory(path: try path("a"), mode: 0o700, modified: start),
            .remove(path: try path("a")),
            .move(from: try path("a/b"), to: try path("c"), modified: start),
        ]
        for effect in effects {
            let json = WorldCoding.effect(effect, InlineContentCodec())
            let back = try WorldCoding.effect(try JSON.parse(json.canonicalString()), InlineContentCodec())
            #expect(back == effect)
        }
        #expect(WorldCoding.effect(.remove(path: try path("a")), InlineContentCodec()).canonicalString()
                == #"{"op":"remove","path":"a"}"#)
        #expect(WorldCoding.effect(.advanceClock(to: VirtualTime(milliseconds: 5)), InlineContentCodec()).canonicalString()
                == #"{"op":"advanceClock","to":5}"#)
    }

    @Test func recordedPathsMustBeNormalised() {
        for raw in ["a//b", "./a", "a/", "/a", "a/../b", "../a"] {
            let message = decodingError { _ = try WorldCoding.effect(["op": "remove", "path": .string(raw)], InlineContentCodec()) }
            #expect(message == "effect: \"path\" is not a normalised workspace path: \(raw)", "\(raw)")
        }
        #expect(decodingError { _ = try WorldCoding.effect(["op": "teleport"], InlineContentCodec()) } == "unknown effect op \"teleport\"")
    }

    @Test func digestOnlyContentCannotBeReadBack() {
        let codec = DigestOnlyContentCodec()
        let json = codec.encode(Content(text: "abc"))
        #expect(json == ["sha256": .string(Digest.sha256("abc").hex), "size": 3])
        #expect(decodingError { _ = try codec.decode(json) } == "a digest-only content reference cannot be read back")
    }

    @Test func inlineContentCodec() throws {
        let codec = InlineContentCodec()
        #expect(codec.encode(Content(text: "héllo")) == ["sha256": .string(Digest.sha256("héllo").hex), "size": 6, "text": "héllo"])
        #expect(codec.encode(Content(logoBytes))["base64"] == .string(Base64.encode(logoBytes)))
        #expect(try codec.decode(codec.encode(Content(logoBytes))).bytes == logoBytes)
        #expect(decodingError { _ = try codec.decode(["sha256": "00"]) } == "content has neither text nor base64")
        #expect(decodingError { _ = try codec.decode(["text": "x", "sha256": "zz"]) } == "content without a valid sha256")
        let wrongSize: JSON = ["text": "abc", "sha256": .string(Digest.sha256("abc").hex), "size": 4]
        #expect(decodingError { _ = try codec.decode(wrongSize) } == "content is 3 bytes, its reference says 4")
    }

    @Test func contentKnowsWhetherItIsText() {
        #expect(Content(text: "abc").isText)
        #expect(Content(text: "abc").text == "abc")
        #expect(!Content(logoBytes).isText)
        #expect(Content(logoBytes).text == nil)
        #expect(Content.empty.isText)
        #expect(Content.empty.count == 0)
        #expect(Content([0xC3]).text == nil)
        #expect(Content(text: "x") == Content([0x78]))
    }
}
