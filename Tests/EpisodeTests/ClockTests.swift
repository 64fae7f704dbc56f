import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumWorld

@Suite("Episode: the virtual clock")
struct ClockTests {
    @Test func eachCallAdvancesByTheScenariosAmount() async throws {
        let e = try acmeEpisode()
        #expect(await e.now == start)
        _ = try await e.ok("list_emails", [:])
        #expect(await e.now == time("2026-03-16T08:30:30-05:00"))
        _ = try await e.ok("read_file", ["path": "notes/todo.md"])
        #expect(await e.now == time("2026-03-16T08:30:40-05:00"))
        _ = try await e.ok("send_email", ["to": [.string(dana)], "subject": "s", "body": "b"])
        #expect(await e.now == time("2026-03-16T08:32:40-05:00"))
        _ = try await e.ok("search_files", ["name": "*"])
        #expect(await e.now == time("2026-03-16T08:33:10-05:00"))
        // A tool error still takes the call's time; an argument error does not.
        try await e.fails("read_file", ["path": "ghost"], "ghost: no such file or directory")
        #expect(await e.now == time("2026-03-16T08:33:20-05:00"))
        try await e.fails("read_file", [:], "missing required argument \"path\" (File to read, relative to your home.)")
        #expect(await e.now == time("2026-03-16T08:33:20-05:00"))
    }

    @Test func sentMailAndWrittenFilesAreStampedWithTheCallsTime() async throws {
        let e = try acmeEpisode()
        _ = try await e.ok("list_files", [:])
        _ = try await e.ok("write_file", ["path": "out/a.txt", "content": "a"])
        _ = try await e.ok("send_email", ["to": [.string(dana)], "subject": "s", "body": "b"])
        let w = await e.world
        #expect(w.node("out/a.txt")?.modified == time("2026-03-16T08:31:00-05:00"))
        #expect(w.node("out")?.modified == time("2026-03-16T08:31:00-05:00"))
        #expect(w.mailbox(dana)?.entry("msg-0006")?.message.date == time("2026-03-16T08:33:00-05:00"))
        let read = try await e.ok("read_email", ["id": "msg-0006"])
        #expect(read.text.contains("Date: 2026-03-16T08:33:00-05:00\n"))
        #expect(read.data?["date"] == "2026-03-16T08:33:00-05:00")
        let listed = try await e.ok("list_files", ["path": "out"])
        #expect(listed.text == "644  2026-03-16T08:31:00-05:00  1  out/a.txt")
    }

    @Test func recordedEventsCarryTheVirtualTime() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        _ = try await rec.episode.ok("write_file", ["path": "a.txt", "content": "a"])
        _ = try await rec.episode.ok("send_email", ["to": [.string(dana)], "subject": "s", "body": "b"])
        let events = try rec.events()
        #expect(events.map(\.kind) == ["episode.started",
                                       "tool.called", "clock.advanced", "file.created", "tool.result",
                                       "tool.called", "clock.advanced", "mail.sent", "mail.delivered", "tool.result"])
        #expect(events.map(\.time) == ["2026-03-16T08:30:00-05:00",
                                       "2026-03-16T08:30:00-05:00", "2026-03-16T08:30:30-05:00", "2026-03-16T08:30:30-05:00",
                                       "2026-03-16T08:30:30-05:00",
                                       "2026-03-16T08:30:30-05:00", "2026-03-16T08:32:30-05:00", "2026-03-16T08:32:30-05:00",
                                       "2026-03-16T08:32:30-05:00", "2026-03-16T08:32:30-05:00"])
        #expect(events[2].payload["effect"] == ["op": "advanceClock", "to": .int(time("2026-03-16T08:30:30-05:00").milliseconds)])
    }

    @Test func theBrambleClockUsesItsPerToolAdvance() async throws {
        let scenario = try loadBramble()
        #expect(scenario.world.clock.now == time("2026-03-16T08:30:00-05:00"))
        #expect(scenario.world.clock.utcOffsetMinutes == -300)
        #expect(scenario.world.clock.timezone == "America/Chicago")
        #expect(scenario.world.clock.defaultAdvance == .seconds(30))
        #expect(scenario.world.clock.advancePerTool == ["send_email": .seconds(120)])
        let e = try Episode(scenario: scenario)
        _ = try await e.ok("list_emails", [:])
        _ = try await e.ok("send_email", ["to": "dana.whitfield@bramble-analytics.com", "subject": "s", "body": "b"])
        #expect(await e.now == time("2026-03-16T08:32:30-05:00"))
    }
}
