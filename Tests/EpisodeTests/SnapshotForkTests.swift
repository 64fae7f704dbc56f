import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumWorld

@Suite("Episode: snapshots and forks")
struct SnapshotForkTests {
    @Test func aSnapshotIsNotChangedByLaterCalls() async throws {
        let e = try acmeEpisode()
        _ = try await e.ok("write_file", ["path": "notes/plan.md", "content": "v1"])
        let snap = await e.snapshot()
        let hash = snap.stateHash
        _ = try await e.ok("write_file", ["path": "notes/plan.md", "content": "v2"])
        _ = try await e.ok("delete_file", ["path": "docs", "recursive": true])
        _ = try await e.ok("send_email", ["to": [.string(dana)], "subject": "s", "body": "b"])
        _ = try await e.ok("read_email", ["id": "m-budget"])
        #expect(snap.stateHash == hash)
        #expect(snap.text("notes/plan.md") == "v1")
        #expect(snap.node("docs/readme.md") != nil)
        #expect(snap.mailbox(dana)?.entries.isEmpty == true)
        #expect(snap.mailbox(agent)?.entry("m-budget")?.read == false)
        #expect(snap.clock.now == time("2026-03-16T08:30:30-05:00"))
        let now = await e.world
        #expect(now.text("notes/plan.md") == "v2")
        #expect(now.stateHash != hash)
    }

    @Test func aForkIsIndependentOfItsParent() async throws {
        let parent = try acmeEpisode()
        _ = try await parent.ok("write_file", ["path": "shared.txt", "content": "before the fork"])
        let fork = try await parent.fork()
        #expect(fork.id != parent.id)
        #expect(fork.scenarioID == "acme")
        #expect(fork.systemPrompt == "You help Dana.")
        #expect(fork.catalog.names == parent.catalog.names)
        #expect(await fork.world.stateHash == parent.world.stateHash)

        _ = try await fork.ok("write_file", ["path": "shared.txt", "content": "fork"])
        _ = try await fork.ok("send_email", ["to": [.string(dana)], "subject": "from the fork", "body": "b"])
        _ = try await fork.ok("delete_email", ["id": "m-news"])
        _ = try await parent.ok("write_file", ["path": "parent-only.txt", "content": "parent"])

        let p = await parent.world
        let f = await fork.world
        #expect(p.text("shared.txt") == "before the fork")
        #expect(f.text("shared.txt") == "fork")
        #expect(p.node("parent-only.txt") != nil)
        #expect(f.node("parent-only.txt") == nil)
        #expect(p.mailbox(dana)?.entries.isEmpty == true)
        #expect(f.mailbox(dana)?.entry("msg-0006")?.message.subject == "from the fork")
        #expect(p.mailbox(agent)?.entry("m-news")?.folder == "inbox")
        #expect(f.mailbox(agent)?.entry("m-news")?.folder == "trash")
        // Both go on numbering messages from the same point.
        _ = try await parent.ok("send_email", ["to": [.string(helen)], "subject": "from the parent", "body": "b"])
        #expect(await parent.world.mailbox(helen)?.entry("msg-0006")?.message.subject == "from the parent")
        // Ending one leaves the other usable.
        try await parent.end(reason: "done")
        _ = try await fork.ok("list_emails", [:])
    }

    @Test func aRecordedForkNamesItsParent() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        _ = try await rec.episode.ok("make_folder", ["path": "x"])
        let forkDir = rec.directory + "-fork"
        defer { try? FileManager.default.removeItem(atPath: forkDir) }
        let fork = try await rec.episode.fork(options: .init(recordTo: forkDir))
        let forked = Recorded(episode: fork, directory: forkDir)
        let events = try forked.events()
        #expect(events.map(\.kind) == ["episode.started"])
        let from = try #require(events.first?.payload["forkedFrom"])
        #expect(from["episode"] == .string(rec.episode.id))
        #expect(from["seq"] == .int(Int64(await rec.episode.lastSeq)))
        #expect(from["stateHash"] == .string(await rec.episode.world.stateHash.tagged))
    }

    @Test func worldSnapshotJSONRoundTripsAfterAnEpisode() async throws {
        let e = try acmeEpisode()
        _ = try await e.ok("write_file", ["path": "r/a.md", "content": "a"])
        _ = try await e.ok("move_file", ["source": "r", "destination": "docs"])
        _ = try await e.ok("send_email", ["to": [.string(dana), "x@out.example", "ghost@acme.test"], "subject": "s", "body": "b",
                                          "attachments": ["bin/logo.png"]])
        _ = try await e.ok("reply_email", ["id": "m-lunch", "body": "ok", "reply_all": true])
        _ = try await e.ok("delete_email", ["id": "m-budget"])
        _ = try await e.ok("read_email", ["id": "m-news"])
        _ = try await e.ok("delete_file", ["path": "notes/todo.md"])
        let w = await e.snapshot()
        let copy = try World(snapshot: w.snapshotJSON(InlineContentCodec()), InlineContentCodec())
        #expect(copy.stateHash == w.stateHash)
        #expect(copy.egress == w.egress)
        #expect(copy.files == w.files)
        #expect(copy.mailboxes == w.mailboxes)
        let reparsed = try World(snapshot: try JSON.parse(w.snapshotJSON(InlineContentCodec()).canonicalString()), InlineContentCodec())
        #expect(reparsed.stateHash == w.stateHash)
    }

    @Test func theStartingWorldOfAScenarioIsItsSnapshot() async throws {
        let scenario = try acmeScenario()
        let e = try Episode(scenario: scenario)
        #expect(await e.world.stateHash == scenario.world.stateHash)
        let decoded = try World(snapshot: try JSON.parse(scenario.snapshotBytes), InlineContentCodec())
        #expect(decoded.stateHash == scenario.world.stateHash)
        #expect(Digest.sha256(scenario.snapshotBytes) == scenario.snapshotDigest)
    }

    @Test func failedCallsLeaveOnlyTheClockTick() async throws {
        let e = try acmeEpisode()
        let before = await e.snapshot()
        try await e.fails("write_file", ["path": "notes/todo.md/x", "content": "x"], "notes/todo.md: not a directory")
        try await e.fails("send_email", ["to": [.string(dana), "bad"], "subject": "s", "body": "b"], "\"bad\" is not a valid e-mail address")
        try await e.fails("move_file", ["source": "notes", "destination": "notes/x"], "cannot move notes into itself (notes/x)")
        let after = await e.snapshot()
        #expect(after.files == before.files)
        #expect(after.mailboxes == before.mailboxes)
        #expect(after.messageIDs == before.messageIDs)
        #expect(after.clock.now == time("2026-03-16T08:33:00-05:00"))
        var ticked = before
        var events: [WorldEvent] = []
        for tool in ["write_file", "send_email", "move_file"] { try ticked.tick(for: tool, into: &events) }
        #expect(after.stateHash == ticked.stateHash)
    }
}
