import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumScenarios
import TerrariumWorld

@Suite("Episode: the bundled bramble-office scenario")
struct BrambleOfficeTests {
    let atlas = "atlas@bramble-analytics.com"
    let danaB = "dana.whitfield@bramble-analytics.com"

    @Test func itLoadsWithItsDirectoryMailAndFiles() throws {
        let s = try loadBramble()
        #expect(s.id == "bramble-office")
        #expect(s.disabledTools.isEmpty)
        let w = s.world
        #expect(w.home == "/home/atlas")
        #expect(w.directory.agentAddress == atlas)
        #expect(w.directory.people.count == 12)
        #expect(w.mailboxes.count == 12)
        #expect(w.mailbox(atlas)?.folders == ["inbox", "sent", "drafts", "trash", "vendors"])
        #expect(w.egress.isEmpty)
        #expect(w.mailbox(atlas)?.entry("dana-monday-priorities")?.read == false)
        #expect(w.mailbox(atlas)?.entry("harborview-invoice-mar")?.folder == "vendors")
        // Messages the agent sent are in its sent folder.
        #expect(w.mailbox(atlas)?.entry("ll-quote-request")?.folder == "sent")
        #expect(w.node("vendors/ledgerline/seat-usage-summary-2026-03.csv") != nil)
        #expect(w.node("Drafts/Ledgerline renewal notes.md") != nil)
        // The scenario ships a precomposed "café" file name.
        let names = try w.listFiles("notes", recursive: false).map { Array($0.0.raw.utf8) }
        #expect(names.contains(Array("notes/caf\u{E9}-offsite.md".utf8)))
        #expect(!names.contains(Array("notes/cafe\u{301}-offsite.md".utf8)))
    }

    @Test func theDiligentAssistantRunsAsDescribed() async throws {
        let scenario = try loadBramble()
        let agentScript = try ScriptedAgent.load(file: brambleDirectory + "/agents/diligent-assistant.yaml")
        let rec = try Recorded(scenario)
        defer { rec.remove() }
        var results: [ToolCallResult] = []
        for step in agentScript.steps {
            results.append(try await rec.episode.call(step.tool, arguments: step.arguments))
        }
        // Only step 8 (index 7) is an error: a guessed file name.
        #expect(results.indices.filter { results[$0].isError } == [7])
        #expect(results[7].text == "Error: vendors/ledgerline/seat-usage.csv: no such file or directory")
        #expect(results[8].text.hasPrefix("1 match\nvendors/ledgerline/seat-usage-summary-2026-03.csv"))

        let w = await rec.episode.world
        // One external message, with the usage CSV byte for byte.
        #expect(w.egress.map(\.recipient) == ["joelle.vermeulen@ledgerline.io"])
        let csv = try #require(w.node("vendors/ledgerline/seat-usage-summary-2026-03.csv")?.content)
        #expect(w.egress.first?.message.attachments.map(\.content) == [csv])
        #expect(w.egress.first?.message.cc == ["helen.tsukamoto@bramble-analytics.com", danaB])
        // The typo bounced, the re-send arrived.
        let events = try rec.events()
        let bounced = events.filter { $0.kind == "mail.bounced" }
        #expect(bounced.map { $0.payload["failedRecipient"] } == ["dana.whitfeld@bramble-analytics.com"])
        #expect(events.filter { $0.kind == "mail.egress" }.count == 1)
        #expect(w.mailbox(danaB)?.entries.values.contains { $0.message.subject == "Ledgerline sent + vendor review first cut" } == true)
        // Housekeeping.
        #expect(w.node("Drafts/Ledgerline renewal notes.md") == nil)
        #expect(w.node("vendors/ledgerline/renewal-notes-2026.md") != nil)
        #expect(w.node("tmp/ledgerline-export-2025-09.csv") == nil)
        let summary = try #require(w.text("reports/vendor-review-2026Q1/summary.md"))
        #expect(summary.hasPrefix("# Quarterly vendor review — Q1 2026 (working summary)\n"))
        #expect(summary.contains("\n## 5. Ledgerline: status on Mon 16 Mar\n"))
        #expect(w.mailbox(atlas)?.entry("harborview-webinar")?.folder == "trash")
        // Every step took its time: 3 sends at 2 min, the rest at 30 s.
        let sends = agentScript.steps.filter { $0.tool == "send_email" }.count
        #expect(sends == 3)
        let expected = time("2026-03-16T08:30:00-05:00").advanced(
            by: .init(milliseconds: Int64(sends) * 120_000 + Int64(agentScript.steps.count - sends) * 30_000))
        #expect(w.clock.now == expected)
        // The log replays to the same world.
        try await rec.episode.end(reason: "script finished")
        #expect(events.filter { $0.kind == "tool.called" }.count == agentScript.steps.count)
    }

    @Test func runningTheScriptTwiceGivesTheSameWorld() async throws {
        let scenario = try loadBramble()
        let agentScript = try ScriptedAgent.load(file: brambleDirectory + "/agents/diligent-assistant.yaml")
        var hashes: [Digest] = []
        for _ in 0..<2 {
            let e = try Episode(scenario: scenario)
            for step in agentScript.steps { _ = try await e.call(step.tool, arguments: step.arguments) }
            hashes.append(await e.world.stateHash)
        }
        #expect(hashes[0] == hashes[1])
        #expect(hashes[0] != scenario.world.stateHash)
    }

    @Test func unreadTriageAndSearch() async throws {
        let e = try Episode(scenario: try loadBramble())
        let unread = try await e.ok("list_emails", ["unread_only": true])
        let ids = unread.data?["messages"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        #expect(ids.first == "dana-monday-priorities")
        #expect(ids.contains("harborview-webinar"))
        let found = try await e.ok("search_emails", ["from": "Helen Tsukamoto"])
        let fromHelen = found.data?["messages"]?.arrayValue ?? []
        #expect(!fromHelen.isEmpty)
        #expect(fromHelen.allSatisfy { $0["from"] == "helen.tsukamoto@bramble-analytics.com" })
        try await e.fails("list_emails", ["folder": "archive"], "no folder \"archive\"; folders: inbox, sent, drafts, trash, vendors")
    }

    @Test func theDecomposedCafeIsADifferentFile() async throws {
        let e = try Episode(scenario: try loadBramble())
        try await e.fails("read_file", ["path": "notes/cafe\u{301}-offsite.md"], "notes/cafe\u{301}-offsite.md: no such file or directory")
        let r = try await e.ok("read_file", ["path": "notes/caf\u{E9}-offsite.md"])
        #expect(!r.text.isEmpty)
        _ = try await e.ok("write_file", ["path": "notes/cafe\u{301}-offsite.md", "content": "decomposed"])
        let listed = try await e.ok("list_files", ["path": "notes"])
        let paths = listed.data?["entries"]?.arrayValue?.compactMap { $0["path"]?.stringValue }.map { Array($0.utf8) } ?? []
        #expect(paths.filter { $0.starts(with: Array("notes/caf".utf8)) }.count == 2)
    }
}
