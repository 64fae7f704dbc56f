import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumWorld

@Suite("Episode: tool argument validation")
struct ToolValidationTests {
    @Test func unknownToolListsTheAvailableToolsAndDoesNotTick() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let e = rec.episode
        let before = await e.world
        let r = try await e.call("fly_to_the_moon", arguments: ["speed": 9])
        let message = "unknown tool \"fly_to_the_moon\"; available tools: " + allTools
        #expect(r.isError)
        #expect(r.text == "Error: " + message)
        #expect(r.data == ["error": .string(message)])
        #expect(r.resultSeq == r.calledSeq + 1)
        let after = await e.world
        #expect(after.clock.now == before.clock.now)
        #expect(after.stateHash == before.stateHash)
        let events = try rec.events(of: r)
        #expect(events.map(\.kind) == ["tool.called", "tool.result"])
        #expect(events[0].payload["tool"] == "fly_to_the_moon")
        #expect(events[0].payload["arguments"] == ["speed": 9])
        #expect(events[0].payload["call"] == 1)
        #expect(events[1].payload["isError"] == true)
        #expect(events[1].payload["output"] == .string("Error: " + message))
    }

    @Test func disabledToolsAreUnknown() async throws {
        let e = try Episode(scenario: try acmeScenario(disabled: ["delete_email", "send_email"]))
        let remaining = ToolCatalog.builtInNames.filter { $0 != "delete_email" && $0 != "send_email" }
        #expect(e.catalog.names == remaining)
        #expect(Array(e.catalog.names.prefix(12)) == ["list_emails", "read_email", "search_emails", "reply_email", "forward_email",
                                                      "list_files", "read_file", "write_file", "delete_file", "move_file",
                                                      "make_folder", "search_files"])
        try await e.fails("delete_email", ["id": "m-news"],
                          "unknown tool \"delete_email\"; available tools: " + remaining.joined(separator: ", "))
        #expect(await e.world.mailbox(agent)?.entry("m-news")?.folder == "inbox")
    }

    @Test func validationErrorsAreRecordedWithoutAClockTick() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let r = try await rec.episode.call("read_email", arguments: [:])
        #expect(r.isError)
        #expect(r.text == "Error: missing required argument \"id\" (The message id, as shown by list_emails or search_emails.)")
        #expect(try rec.events(of: r).map(\.kind) == ["tool.called", "tool.result"])
        #expect(await rec.episode.world.clock.now == start)
    }

    @Test func worldErrorsAreRecordedAfterTheTick() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let r = try await rec.episode.call("read_file", arguments: ["path": "ghost.md"])
        #expect(r.isError)
        #expect(r.text == "Error: ghost.md: no such file or directory")
        let events = try rec.events(of: r)
        #expect(events.map(\.kind) == ["tool.called", "clock.advanced", "tool.result"])
        #expect(events[2].payload["isError"] == true)
        #expect(events[2].payload["output"] == "Error: ghost.md: no such file or directory")
        #expect(events[2].time == "2026-03-16T08:30:10-05:00")
        #expect(await rec.episode.world.clock.now == time("2026-03-16T08:30:10-05:00"))
    }

    @Test func argumentsMustBeAnObject() async throws {
        let e = try acmeEpisode()
        try await e.fails("list_emails", [], "arguments must be a JSON object, got array")
        try await e.fails("list_emails", "inbox", "arguments must be a JSON object, got string")
        try await e.fails("list_emails", nil, "arguments must be a JSON object, got null")
    }

    @Test func missingRequiredArguments() async throws {
        let e = try acmeEpisode()
        try await e.fails("read_file", [:], "missing required argument \"path\" (File to read, relative to your home.)")
        try await e.fails("read_file", ["path": nil], "missing required argument \"path\" (File to read, relative to your home.)")
        try await e.fails("send_email", ["subject": "s", "body": "b"], "missing required argument \"to\" (Recipient addresses.)")
        try await e.fails("send_email", ["to": [.string(dana)], "body": "b"], "missing required argument \"subject\" (Subject line.)")
        try await e.fails("move_file", ["destination": "x"], "missing required argument \"source\" (Path to move, relative to your home.)")
    }

    @Test func wrongTypes() async throws {
        let e = try acmeEpisode()
        try await e.fails("read_email", ["id": 5], "argument \"id\" must be a string, got integer")
        try await e.fails("read_email", ["id": ["m-news"]], "argument \"id\" must be a string, got array")
        try await e.fails("list_emails", ["unread_only": "yes"], "argument \"unread_only\" must be a boolean, got string")
        try await e.fails("list_emails", ["unread_only": 1], "argument \"unread_only\" must be a boolean, got integer")
        try await e.fails("list_emails", ["limit": "5"], "argument \"limit\" must be an integer, got string")
        try await e.fails("list_emails", ["limit": .double(2.5)], "argument \"limit\" must be an integer, got number")
        try await e.fails("list_emails", ["limit": true], "argument \"limit\" must be an integer, got boolean")
        try await e.fails("send_email", ["to": [1], "subject": "s", "body": "b"], "argument \"to\" must be a list of strings")
        try await e.fails("send_email", ["to": ["a@acme.test", nil], "subject": "s", "body": "b"], "argument \"to\" must be a list of strings")
        try await e.fails("send_email", ["to": ["x": "y"], "subject": "s", "body": "b"], "argument \"to\" must be a list of strings, got object")
        try await e.fails("write_file", ["path": "x", "content": "y", "if_exists": 3], "argument \"if_exists\" must be a string, got integer")
        try await e.fails("write_file", ["path": "x", "content": .double(1.5)], "argument \"content\" must be a string, got number")
    }

    @Test func aWholeNumberWrittenAsAFloatIsAnInteger() async throws {
        let e = try acmeEpisode()
        let r = try await e.ok("list_emails", ["limit": .double(1.0)])
        #expect(r.data?["messages"]?.arrayValue?.count == 1)
    }

    @Test func unknownArguments() async throws {
        let e = try acmeEpisode()
        try await e.fails("read_email", ["id": "m-news", "folder": "inbox"], "unknown argument \"folder\"; read_email takes: id")
        // The first unknown name in byte order is reported.
        try await e.fails("list_files", ["zeta": 1, "Alpha": 2, "path": "."],
                          "unknown argument \"Alpha\"; list_files takes: path, recursive")
        try await e.fails("send_email", ["To": [.string(dana)], "subject": "s", "body": "b"],
                          "unknown argument \"To\"; send_email takes: to, cc, bcc, subject, body, attachments")
    }

    @Test func choicesAreExact() async throws {
        let e = try acmeEpisode()
        try await e.fails("write_file", ["path": "x", "content": "y", "if_exists": "Append"],
                          "argument \"if_exists\" must be one of overwrite, append, fail, got \"Append\"")
        _ = try await e.ok("write_file", ["path": "x", "content": "y", "if_exists": "append"])
    }

    @Test func integerBounds() async throws {
        let e = try acmeEpisode()
        try await e.fails("list_emails", ["limit": 0], "argument \"limit\" must be between 1 and 200, got 0")
        try await e.fails("list_emails", ["limit": 201], "argument \"limit\" must be between 1 and 200, got 201")
        try await e.fails("list_emails", ["offset": -1], "argument \"offset\" must be between 0 and 1000000, got -1")
        try await e.fails("search_emails", ["limit": 500], "argument \"limit\" must be between 1 and 200, got 500")
        try await e.fails("read_file", ["path": "notes/todo.md", "limit": 100_001],
                          "argument \"limit\" must be between 1 and 100000, got 100001")
        _ = try await e.ok("list_emails", ["limit": 200])
        _ = try await e.ok("list_emails", ["limit": 1, "offset": 1_000_000])
        _ = try await e.ok("read_file", ["path": "notes/todo.md", "limit": 100_000])
    }

    @Test func aBareStringIsAcceptedForAList() async throws {
        let e = try acmeEpisode()
        let r = try await e.ok("send_email", ["to": .string(dana), "cc": .string(helen), "subject": "s", "body": "b",
                                              "attachments": "docs/readme.md"])
        #expect(r.data?["to"] == [.string(dana)])
        #expect(r.data?["cc"] == [.string(helen)])
        #expect(await e.world.mailbox(dana)?.entry("msg-0006")?.message.attachments.map(\.name) == ["readme.md"])
    }

    @Test func defaultsAreFilledIn() throws {
        let tool = try #require(ToolCatalog.builtIn["list_emails"])
        guard case .success(let args) = tool.validate([:]) else { Issue.record("validation failed"); return }
        #expect(args.values == ["folder": "inbox", "unread_only": false, "limit": 20, "offset": 0])
        let send = try #require(ToolCatalog.builtIn["send_email"])
        guard case .success(let sendArgs) = send.validate(["to": "a@b.co", "subject": "s", "body": "b"]) else {
            Issue.record("validation failed"); return
        }
        #expect(sendArgs.values == ["to": ["a@b.co"], "cc": [], "bcc": [], "subject": "s", "body": "b", "attachments": []])
        let search = try #require(ToolCatalog.builtIn["search_files"])
        guard case .success(let searchArgs) = search.validate(["name": nil]) else { Issue.record("validation failed"); return }
        // Optional strings without a default stay absent.
        #expect(searchArgs.values == ["path": ".", "limit": 50])
    }

    @Test func schemasDescribeTheSameParameters() throws {
        let read = try #require(ToolCatalog.builtIn["read_file"])
        #expect(read.inputSchema == [
            "type": "object", "additionalProperties": false, "required": ["path"],
            "properties": [
                "path": ["type": "string", "description": "File to read, relative to your home."],
                "offset": ["type": "integer", "description": "First line to return, counting from 0.", "minimum": 0,
                           "maximum": 1_000_000, "default": 0],
                "limit": ["type": "integer", "description": "Maximum number of lines to return.", "minimum": 1,
                          "maximum": 100_000, "default": 2000],
            ],
        ])
        let write = try #require(ToolCatalog.builtIn["write_file"])
        #expect(write.inputSchema["properties"]?["if_exists"]?["enum"] == ["overwrite", "append", "fail"])
        let send = try #require(ToolCatalog.builtIn["send_email"])
        #expect(send.inputSchema["properties"]?["to"] == ["type": "array", "items": ["type": "string"],
                                                          "description": "Recipient addresses."])
        #expect(send.inputSchema["required"] == ["to", "subject", "body"])
        #expect(Array(ToolCatalog.builtInNames.prefix(14)) == mailAndFileTools)
        #expect(ToolCatalog.builtIn.tools.filter { ["mail", "files"].contains($0.group) }.map(\.name) == mailAndFileTools)
        #expect(ToolCatalog.builtIn.tools.filter { $0.readOnly && ["mail", "files"].contains($0.group) }.map(\.name)
                == ["list_emails", "search_emails", "list_files", "read_file", "search_files"])
    }

    @Test func schemaFormats() throws {
        let catalog = ToolCatalog([try #require(ToolCatalog.builtIn["make_folder"])])
        let schema = try #require(ToolCatalog.builtIn["make_folder"]).inputSchema
        let description: JSON = "Create a folder (and any missing parent folders) in your home directory."
        #expect(ToolSchemaFormat.anthropic.render(catalog) == [["name": "make_folder", "description": description,
                                                               "input_schema": schema]])
        #expect(ToolSchemaFormat.openai.render(catalog) == [["type": "function", "function": [
            "name": "make_folder", "description": description, "parameters": schema, "strict": false]]])
        #expect(ToolSchemaFormat.mcp.render(catalog) == [["name": "make_folder", "description": description, "inputSchema": schema,
                                                         "annotations": ["readOnlyHint": false, "destructiveHint": true,
                                                                         "openWorldHint": false]]])
    }

    @Test func callOnAnEndedEpisodeThrows() async throws {
        let rec = try Recorded(try acmeScenario())
        defer { rec.remove() }
        let e = rec.episode
        _ = try await e.ok("list_emails", [:])
        try await e.end(reason: "done")
        #expect(await e.isEnded)
        do {
            _ = try await e.call("list_emails", arguments: [:])
            Issue.record("call on an ended episode returned")
        } catch {
            // `call` throws EpisodeError only.
            guard case .ended = error else { Issue.record("expected .ended, got \(error)"); return }
            #expect(error.description == "the episode has ended")
        }
        // Ending twice is harmless and adds nothing.
        try await e.end(reason: "again")
        let events = try rec.events()
        #expect(events.map(\.kind) == ["episode.started", "tool.called", "clock.advanced", "tool.result", "episode.ended"])
        #expect(events.last?.payload["reason"] == "done")
        #expect(events.last?.payload["calls"] == 1)
        #expect(events.map(\.seq) == [1, 2, 3, 4, 5])
    }

    @Test func callOnAnEndedInMemoryEpisodeThrows() async throws {
        let e = try acmeEpisode()
        try await e.end(reason: "bye")
        await #expect(throws: EpisodeError.self) { _ = try await e.call("fly", arguments: [:]) }
    }

    @Test func seqNumbersWithoutARecording() async throws {
        let e = try acmeEpisode()
        #expect(await e.lastSeq == 1)
        let r = try await e.ok("send_email", ["to": [.string(dana), .string(helen)], "subject": "s", "body": "b"])
        // tool.called, clock.advanced, mail.sent, two deliveries, tool.result.
        #expect(r.calledSeq == 2)
        #expect(r.resultSeq == 7)
        let bad = try await e.call("nope", arguments: [:])
        #expect(bad.calledSeq == 8)
        #expect(bad.resultSeq == 9)
    }
}
