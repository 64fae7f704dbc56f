import Foundation
import Testing
import TerrariumScenarios

/// The tools the episode layer offers (ScenarioTests does not depend on it).
let toolNames = ["list_emails", "read_email", "search_emails", "send_email", "reply_email", "forward_email",
                 "delete_email", "list_files", "read_file", "write_file", "delete_file", "move_file",
                 "make_folder", "search_files"]

/// A scenario folder in the temp folder: `scenario.yaml` plus the files it refers to.
struct ScenarioFolder {
    let path: String
    var yaml: String { path + "/scenario.yaml" }

    init() throws {
        path = NSTemporaryDirectory() + "terrarium-scenario-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ relative: String, _ bytes: [UInt8]) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
    }

    func write(_ relative: String, _ text: String) throws { try write(relative, Array(text.utf8)) }

    func remove(_ relative: String) throws { try FileManager.default.removeItem(atPath: path + "/" + relative) }

    func load() throws -> Scenario { try ScenarioLoader.load(directory: path, toolNames: toolNames) }

    /// The error loading stops at (a test failure if it loads).
    func loadError(sourceLocation: SourceLocation = #_sourceLocation) -> ScenarioError? {
        do {
            _ = try ScenarioLoader.load(directory: path, toolNames: toolNames)
            Issue.record("the scenario loaded, expected an error", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    func delete() { try? FileManager.default.removeItem(atPath: path) }
}

/// 1-based number of the first line of `text` that contains `marker`.
func line(of marker: String, in text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Int? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let index = lines.firstIndex(where: { $0.contains(marker) }) else {
        Issue.record("no line contains \(marker)", sourceLocation: sourceLocation)
        return nil
    }
    return index + 1
}

/// `text` with `old` replaced once (which must be there); two empty strings change nothing.
func replacing(_ old: String, with new: String, in text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    if old.isEmpty && new.isEmpty { return text }
    guard let range = text.range(of: old) else {
        Issue.record("the base scenario has no \(old)", sourceLocation: sourceLocation)
        return text
    }
    return text.replacingCharacters(in: range, with: new)
}

/// A small but complete scenario: three people, extra folder, inline, threaded, .eml and
/// draft mail with an attachment, files from a folder and inline.
let baseYAML = """
    id: tiny-office
    title: Tiny office
    company:
      name: Tiny Co
      domains: [tiny.test]
    people:
      - name: Dana Boss
        address: dana@tiny.test
        title: COO
      - name: Atlas
        address: atlas@tiny.test
        title: Assistant
        manager: dana@tiny.test
      - name: Sam Lee
        address: sam@tiny.test
        manager: dana@tiny.test
    agent:
      address: atlas@tiny.test
      system_prompt: You help Dana.
    clock:
      start: "2026-03-16T08:30:00-05:00"
      advance: 30s
    mailboxes:
      atlas@tiny.test:
        folders: [vendors]
    mail:
      - id: hello
        from: dana@tiny.test
        to: [atlas@tiny.test]
        cc: [sam@tiny.test]
        date: "2026-03-13T16:05:00-05:00"
        subject: Hello
        body: Welcome.
      - id: reply
        from: atlas@tiny.test
        to: dana@tiny.test
        date: "2026-03-13T17:00:00-05:00"
        subject: "Re: Hello"
        body: Thanks.
        in_reply_to: hello
      - eml: mail/vendor.eml
        id: vendor-note
        folder: vendors
        read: true
      - id: draft-1
        from: atlas@tiny.test
        to: [partner@outside.example]
        date: "2026-03-14T09:00:00-05:00"
        subject: Draft
        body: Not sent yet.
        mailbox: atlas@tiny.test
        folder: drafts
        attachments:
          - file: attachments/price.csv
    files:
      - from: files
      - path: notes/todo.md
        content: |
          - read mail

    """

let vendorEML = """
    From: Billing <billing@vendor.example>\r
    To: atlas@tiny.test\r
    Subject: Invoice\r
    Date: Thu, 12 Mar 2026 09:15:00 -0500\r
    Message-ID: <inv-1@vendor.example>\r
    \r
    Your invoice is attached.\r

    """

let priceCSV = "item,price\nseat,420.00\n"

/// Writes the base scenario (with `yaml` in place of the base text) and its files.
func makeScenario(_ yaml: String = baseYAML, eml: String = vendorEML) throws -> ScenarioFolder {
    let folder = try ScenarioFolder()
    try folder.write("scenario.yaml", yaml)
    try folder.write("mail/vendor.eml", eml)
    try folder.write("attachments/price.csv", priceCSV)
    try folder.write("files/docs/readme.md", "# Docs\n")
    try folder.write("files/bin/tool.sh", "#!/bin/sh\necho hi\n")
    try folder.write("README.md", "Not a source of the scenario.\n")
    return folder
}

/// Checks an error's file, line, field and that its message has every word.
func expectError(_ error: ScenarioError?, file: String, line: Int?, field: String, words: [String],
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard let error else { return }
    #expect(error.file == file, sourceLocation: sourceLocation)
    #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
    #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
    for word in words {
        #expect(error.message.contains(word), "\"\(word)\" not in: \(error.message)", sourceLocation: sourceLocation)
    }
}

/// The repository's test fixture with a 2×2×2 grid (Tests/Fixtures/grid-office).
let gridFixture: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path
    + "/Fixtures/grid-office"

/// A scratch copy of the grid fixture, to edit.
func copyGridFixture() throws -> ScenarioFolder {
    let folder = try ScenarioFolder()
    for name in try FileManager.default.contentsOfDirectory(atPath: gridFixture) {
        try FileManager.default.copyItem(atPath: gridFixture + "/" + name, toPath: folder.path + "/" + name)
    }
    return folder
}

extension ScenarioFolder {
    func read(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path + "/" + relative)), as: UTF8.self)
    }

    /// Replaces `old` (which must be there) by `new` in one of the folder's files; returns the new text.
    @discardableResult
    func edit(_ relative: String, _ old: String, _ new: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let text = replacing(old, with: new, in: try read(relative), sourceLocation: sourceLocation)
        try write(relative, text)
        return text
    }

    func load(_ selection: VariableSelection) throws -> Scenario {
        try ScenarioLoader.load(directory: path, toolNames: toolNames, selection: selection)
    }

    func loadError(_ selection: VariableSelection, sourceLocation: SourceLocation = #_sourceLocation) -> ScenarioError? {
        do {
            _ = try ScenarioLoader.load(directory: path, toolNames: toolNames, selection: selection)
            Issue.record("the scenario loaded, expected an error", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}
