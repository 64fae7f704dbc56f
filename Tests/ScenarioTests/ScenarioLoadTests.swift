import Foundation
import Testing
import TerrariumBase
import TerrariumScenarios
import TerrariumWorld

/// A valid scenario builds the world it describes; its source hash names its text.
@Suite struct ScenarioLoadTests {
    func path(_ raw: String, _ world: World) throws -> WorkspacePath { try WorkspacePath.resolve(raw, home: world.home) }

    @Test func aSmallScenarioLoadsWithTheExpectedWorld() throws {
        let folder = try makeScenario(); defer { folder.delete() }
        let s = try folder.load()
        let w = s.world
        #expect(s.id == "tiny-office")
        #expect(s.title == "Tiny office")
        #expect(s.systemPrompt == "You help Dana.")
        #expect(s.disabledTools.isEmpty)
        #expect(w.directory.people.map(\.address) == ["dana@tiny.test", "atlas@tiny.test", "sam@tiny.test"])
        #expect(w.directory.agentAddress == "atlas@tiny.test")
        #expect(w.home == "/home/atlas")
        #expect(w.clock.format(w.clock.now) == "2026-03-16T08:30:00-05:00")
        #expect(w.clock.defaultAdvance.milliseconds == 30_000)

        // Messages: four written, seven copies filed.
        #expect(w.messageIDs == ["hello", "reply", "vendor-note", "draft-1"])
        #expect(w.mailboxes.keys.sorted() == ["atlas@tiny.test", "dana@tiny.test", "sam@tiny.test"])
        let atlas = try #require(w.mailbox("atlas@tiny.test"))
        let dana = try #require(w.mailbox("dana@tiny.test"))
        let sam = try #require(w.mailbox("sam@tiny.test"))
        #expect(atlas.folders == ["inbox", "sent", "drafts", "trash", "vendors"])
        #expect(dana.folders == Mailbox.standardFolders)
        func keys(_ box: Mailbox, _ folder: String) -> [String] { box.entries(in: folder).map(\.key) }
        #expect(keys(atlas, "inbox") == ["hello"])
        #expect(keys(atlas, "sent") == ["reply"])
        #expect(keys(atlas, "vendors") == ["vendor-note"])
        #expect(keys(atlas, "drafts") == ["draft-1"])
        #expect(keys(dana, "sent") == ["hello"])
        #expect(keys(dana, "inbox") == ["reply"])
        #expect(keys(sam, "inbox") == ["hello"])
        #expect(atlas.entries.count + dana.entries.count + sam.entries.count == 7)

        // Per-copy state and threads.
        #expect(atlas.entry("hello")?.read == false)
        #expect(dana.entry("hello")?.read == true, "the sender's copy is read")
        #expect(atlas.entry("vendor-note")?.read == true)
        #expect(dana.entry("reply")?.message.inReplyTo == "hello")
        #expect(dana.entry("reply")?.message.threadID == "hello")
        let vendor = try #require(atlas.entry("vendor-note")?.message)
        #expect(vendor.from == "billing@vendor.example")
        #expect(vendor.subject == "Invoice")
        #expect(vendor.body == "Your invoice is attached.\n")
        let draft = try #require(atlas.entry("draft-1")?.message)
        #expect(draft.attachments.map(\.name) == ["price.csv"])
        #expect(draft.attachments.first?.contentType == "text/csv")
        #expect(draft.attachments.first?.content.bytes == Array(priceCSV.utf8))
        #expect(w.egress.isEmpty)

        // Files: two from files/, one inline, in three folders.
        #expect(w.files.fileCount == 3)
        #expect(w.files.nodes.count == 3 + 3 + 1)
        #expect(w.files[try path("notes/todo.md", w)]?.content?.text == "- read mail\n")
        #expect(w.files[try path("docs/readme.md", w)]?.content?.text == "# Docs\n")
        #expect(w.files[try path("bin/tool.sh", w)]?.mode == 0o644)
        #expect(w.files[try path("bin", w)]?.isDirectory == true)

        #expect(Digest.sha256(s.snapshotBytes) == s.snapshotDigest)
    }

    @Test func theBundledScenarioLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let s = try ScenarioLoader.load(directory: root + "/Environments/bramble-office", toolNames: toolNames)
        #expect(s.id == "bramble-office")
        #expect(s.world.messageIDs.count == 43)
        #expect(s.world.mailboxes.values.reduce(0) { $0 + $1.entries.count } == 160)
        #expect(s.world.files.fileCount == 30)
    }

    @Test func anExecutableFileKeepsItsMode() throws {
        let folder = try makeScenario(); defer { folder.delete() }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path + "/files/bin/tool.sh")
        let w = try folder.load().world
        #expect(w.files[try path("bin/tool.sh", w)]?.mode == 0o755)
    }

    // MARK: source hash

    @Test func theSourceHashIsStableForTheSameText() throws {
        let folder = try makeScenario(); defer { folder.delete() }
        let a = try folder.load()
        let b = try folder.load()
        #expect(a.sourceHash == b.sourceHash)
        #expect(a.snapshotBytes == b.snapshotBytes)
        // The same text in another folder is the same scenario.
        let copy = NSTemporaryDirectory() + "terrarium-scenario-copy-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: folder.path, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        #expect(try ScenarioLoader.load(directory: copy, toolNames: toolNames).sourceHash == a.sourceHash)
        // A file that is not a source (README.md) does not count.
        try folder.write("README.md", "Changed.\n")
        #expect(try folder.load().sourceHash == a.sourceHash)
    }

    /// Each edit changes one source file; each must change the hash.
    static let edits: [(name: String, file: String, text: String)] = [
        ("scenario.yaml comment", "scenario.yaml", baseYAML + "# a comment\n"),
        (".eml body", "mail/vendor.eml", vendorEML.replacingOccurrences(of: "attached", with: "enclosed")),
        ("attachment", "attachments/price.csv", priceCSV + "extra,1\n"),
        ("a file under files/", "files/docs/readme.md", "# Docs!\n"),
        ("a new file under files/", "files/docs/new.md", "new\n"),
    ]

    @Test(arguments: edits.indices) func theSourceHashChangesWithAnySourceFile(index: Int) throws {
        let edit = Self.edits[index]
        let folder = try makeScenario(); defer { folder.delete() }
        let before = try folder.load().sourceHash
        try folder.write(edit.file, edit.text)
        #expect(try folder.load().sourceHash != before, "\(edit.name)")
    }

    @Test func theSourceHashChangesWhenAFileMovesWithinFiles() throws {
        let folder = try makeScenario(); defer { folder.delete() }
        let before = try folder.load().sourceHash
        try FileManager.default.moveItem(atPath: folder.path + "/files/docs/readme.md", toPath: folder.path + "/files/readme.md")
        #expect(try folder.load().sourceHash != before)
    }

    /// The executable bit shapes the world (mode 0755 instead of 0644), so two folders
    /// that build different worlds should not share a source hash.
    @Test func theSourceHashChangesWhenAFileBecomesExecutable() throws {
        let folder = try makeScenario(); defer { folder.delete() }
        let before = try folder.load()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path + "/files/bin/tool.sh")
        let after = try folder.load()
        #expect(after.world.stateHash != before.world.stateHash, "the worlds differ")
        #expect(after.sourceHash != before.sourceHash, "the source hash ignores the executable bit of files/")
    }
}
