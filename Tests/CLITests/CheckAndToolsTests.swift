import Foundation
import Testing
import TerrariumEpisode

/// `terrarium check` and `terrarium tools`.
@Suite struct CheckAndToolsTests {
    static let toolOrder = ["list_emails", "read_email", "search_emails", "send_email", "reply_email", "forward_email",
                            "delete_email", "list_files", "read_file", "write_file", "delete_file", "move_file",
                            "make_folder", "search_files"]

    @Test func theBinaryIsBuiltNextToTheTests() {
        #expect(FileManager.default.isExecutableFile(atPath: terrariumBinary), "no terrarium at \(terrariumBinary)")
    }

    @Test func checkAcceptsTheBundledScenario() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let r = try await terrarium(["check", brambleDirectory], scratch: tmp.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("ok: bramble-office"))
        #expect(r.stdout.contains("agent: atlas@bramble-analytics.com, home /home/atlas"))
        let tools = ToolCatalog.builtInNames
        #expect(r.stdout.contains("tools (\(tools.count)): " + tools.joined(separator: ", ")))
        #expect(r.stdout.contains("tools (\(tools.count)): " + Self.toolOrder.joined(separator: ", ")))
        #expect(r.stderr.isEmpty)
    }

    @Test func checkNamesFileLineAndFieldOfABrokenScenario() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let dir = tmp.sub("broken")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try writeBytes(dir + "/scenario.yaml", Array("id: broken\ntitel: Oops\n".utf8))
        let r = try await terrarium(["check", dir], scratch: tmp.path)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("error: \(dir)/scenario.yaml:2"))
        #expect(r.stderr.contains("titel: unknown field \"titel\" (did you mean \"title\"?)"))
    }

    @Test func checkOfAMissingFolderFails() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let r = try await terrarium(["check", tmp.sub("nothing-here")], scratch: tmp.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("scenario.yaml"))
    }

    /// The top-level keys of one tool entry and its name, per format.
    static func shape(_ entry: [String: Any], _ format: String) -> (keys: Set<String>, name: String?, schema: Any?) {
        switch format {
        case "openai":
            let function = entry["function"] as? [String: Any] ?? [:]
            return (Set(entry.keys).union(function.keys.map { "function." + $0 }), function["name"] as? String,
                    function["parameters"])
        case "anthropic": return (Set(entry.keys), entry["name"] as? String, entry["input_schema"])
        default: return (Set(entry.keys), entry["name"] as? String, entry["inputSchema"])
        }
    }

    static let expectedKeys: [String: Set<String>] = [
        "anthropic": ["name", "description", "input_schema"],
        "openai": ["type", "function", "function.name", "function.description", "function.parameters", "function.strict"],
        "mcp": ["name", "description", "inputSchema", "annotations"],
    ]

    /// The fourteen mail and file tools come first, in this order; tools of later groups
    /// (a shell) may follow them.
    @Test(arguments: ["anthropic", "openai", "mcp"]) func toolsPrintsFourteenToolsInAFixedOrder(format: String) async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let r = try await terrarium(["tools", "--format", format], scratch: tmp.path)
        #expect(r.status == 0, "\(r.stderr)")
        let list = try #require(try parseJSON(r.stdout) as? [[String: Any]])
        #expect(list.count == ToolCatalog.builtInNames.count)
        #expect(ToolCatalog.builtIn.tools.filter { ["mail", "files"].contains($0.group) }.count == 14)
        var names: [String] = []
        for entry in list {
            let (keys, name, schema) = Self.shape(entry, format)
            #expect(keys == Self.expectedKeys[format], "\(name ?? "?")")
            names.append(name ?? "?")
            let s = try #require(schema as? [String: Any])
            #expect(s["type"] as? String == "object")
            #expect(s["properties"] is [String: Any])
            #expect(s["additionalProperties"] as? Bool == false)
        }
        #expect(Array(names.prefix(14)) == Self.toolOrder)
        #expect(names == ToolCatalog.builtInNames)
        if format == "openai" { #expect(list.allSatisfy { $0["type"] as? String == "function" }) }
        if format == "mcp" {
            let readOnly = list.filter { ($0["annotations"] as? [String: Any])?["readOnlyHint"] as? Bool == true }
                .compactMap { $0["name"] as? String }
            #expect(readOnly.filter(Self.toolOrder.contains) == ["list_emails", "search_emails", "list_files", "read_file", "search_files"])
        }
        // Same bytes every time.
        let again = try await terrarium(["tools", "--format", format], scratch: tmp.path)
        #expect(again.stdout == r.stdout)
    }

    @Test func toolsDefaultsToMCPAndHonoursAScenariosDisabledTools() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let plain = try await terrarium(["tools"], scratch: tmp.path)
        let mcp = try await terrarium(["tools", "--format", "mcp"], scratch: tmp.path)
        #expect(plain.stdout == mcp.stdout)
        let bramble = try await terrarium(["tools", brambleDirectory, "--format", "anthropic"], scratch: tmp.path)
        #expect(try (parseJSON(bramble.stdout) as? [Any])?.count == ToolCatalog.builtInNames.count)
        let tiny = tmp.sub("tiny")
        try FileManager.default.copyItem(atPath: brambleDirectory, toPath: tiny)
        let yaml = String(decoding: try readBytes(tiny + "/scenario.yaml"), as: UTF8.self)
        try writeBytes(tiny + "/scenario.yaml", Array((yaml + "\ntools:\n  disabled: [delete_email, move_file]\n").utf8))
        let fewer = try await terrarium(["tools", tiny, "--format", "openai"], scratch: tmp.path)
        #expect(fewer.status == 0, "\(fewer.stderr)")
        let names = try #require(try parseJSON(fewer.stdout) as? [[String: Any]])
            .compactMap { ($0["function"] as? [String: Any])?["name"] as? String }
        #expect(names == ToolCatalog.builtInNames.filter { $0 != "delete_email" && $0 != "move_file" })
        let bad = try await terrarium(["tools", "--format", "gemini"], scratch: tmp.path)
        #expect(bad.status != 0)
    }
}
