import Foundation
import TerrariumBase
import TerrariumWorld

/// Reads `<folder>/scenario.yaml` and everything it refers to into a `Scenario`. Loading is
/// strict: an unknown field, a missing file, an address nobody has, a message dated after
/// the clock starts — each is an error naming the file, line and field.
public enum ScenarioLoader {
    static let topLevelKeys = ["format", "id", "title", "description", "company", "people", "agent", "clock",
                               "mailboxes", "mail", "files", "tools", "triggers", "grading"]
        + PreparedScenario.templatingKeys

    /// `toolNames`: every tool the episode layer offers, to check `tools.disabled`.
    /// `selection`: the grid condition and `--var` values to render with (Templating/).
    public static func load(directory: String, toolNames: [String],
                            selection: VariableSelection = VariableSelection()) throws(ScenarioError) -> Scenario {
        try PreparedScenario.read(directory: directory).scenario(selection, toolNames: toolNames)
    }

    /// Builds the scenario from its document, read with a render context (PreparedScenario).
    static func build(_ doc: YAMLValue, documentDigest: Digest, sources: ScenarioSources, directory: String,
                      toolNames: [String]) throws(ScenarioError) -> Scenario {
        if let format = try doc.optional("format"), try format.string() != "terrarium.scenario/1" {
            throw format.error("unsupported format; expected terrarium.scenario/1")
        }
        let idValue = try doc.required("id")
        let id = try idValue.string()
        guard isScenarioID(id) else {
            throw idValue.error("expected lower-case letters, digits and dashes (e.g. bramble-office), found \"\(id)\"")
        }
        let title = try doc.required("title").nonEmptyString()
        let description = try doc.optional("description")?.string() ?? ""

        let directoryValue = try readDirectory(doc)
        var (clock, home, prompt) = try readAgentAndClock(doc, directoryValue, toolNames: toolNames)
        let reactions = try ReactionsReader(doc: doc, builtIn: toolNames)
        reactions.adjust(&clock)

        var mail = MailLoader(directory: directoryValue, clock: clock, sources: sources)
        let extraFolders = try mail.readMailboxes(try doc.optional("mailboxes"))
        let placements = try mail.readMail(try doc.optional("mail"))
        var folders = extraFolders
        for p in placements where !Mailbox.standardFolders.contains(p.entry.folder) {
            if !(folders[p.mailbox] ?? []).contains(p.entry.folder) { folders[p.mailbox, default: []].append(p.entry.folder) }
        }
        var world = World(directory: directoryValue, home: home, clock: clock, extraFolders: folders)
        for p in placements {
            do { try world.apply(.deliver(mailbox: p.mailbox, entry: p.entry)) } catch {
                throw p.source.error("cannot file this message: \(error.message)")
            }
        }
        try readFiles(try doc.optional("files"), into: &world, sources: sources)
        let reactive = try reactions.finish(world: world, sources: sources)

        var digests = sources.combinedDigest.hex
        digests += documentDigest.hex
        var scenario = Scenario(id: id, title: title, description: description, directory: directory,
                        sourceHash: Digest.sha256(digests), systemPrompt: prompt, disabledTools: reactive.disabled, world: world,
                        customTools: reactive.tools, triggers: reactive.triggers)
        scenario.grading = try GradingSection.read(try doc.optional("grading"), world: world)
        return scenario
    }

    static func readDirectory(_ doc: YAMLValue) throws(ScenarioError) -> Directory {
        let company = try doc.required("company")
        try company.checkKeys(["name", "domains"])
        let name = try company.required("name").nonEmptyString()
        let domainsValue = try company.required("domains")
        let domains = try domainsValue.strings().map { $0.lowercased() }
        guard !domains.isEmpty else { throw domainsValue.error("list at least one internal mail domain") }
        var people: [Person] = []
        var seen = Set<String>()
        let peopleValue = try doc.required("people")
        let list = try peopleValue.list()
        for item in list {
            try item.checkKeys(["name", "address", "title", "manager"])
            let addressValue = try item.required("address")
            let address = try addressValue.string()
            guard isPlausibleAddress(address) else { throw addressValue.error("expected an e-mail address, found \"\(address)\"") }
            guard seen.insert(address.lowercased()).inserted else { throw addressValue.error("\(address) is listed twice") }
            people.append(Person(name: try item.required("name").nonEmptyString(), address: address,
                                 title: try item.optional("title")?.string() ?? "", manager: try item.optional("manager")?.string()))
        }
        for (person, item) in zip(people, list) {
            if let manager = person.manager, !seen.contains(manager.lowercased()) {
                throw try item.required("manager").error("\(manager) is not one of people")
            }
        }
        let agentValue = try doc.required("agent").required("address")
        let agent = try agentValue.string()
        guard seen.contains(agent.lowercased()) else { throw agentValue.error("the agent \(agent) must be one of people") }
        let directory = Directory(companyName: name, domains: domains, people: people, agentAddress: agent)
        guard directory.isInternal(agent) else {
            throw agentValue.error("the agent's address must be in one of the company's domains (\(domains.joined(separator: ", ")))")
        }
        return directory
    }

    static func readAgentAndClock(_ doc: YAMLValue, _ directory: Directory, toolNames: [String]) throws(ScenarioError)
        -> (WorldClock, String, String)
    {
        let agent = try doc.required("agent")
        try agent.checkKeys(["address", "home", "system_prompt"])
        let local = directory.agentAddress.split(separator: "@").first.map(String.init) ?? "agent"
        var home = "/home/" + local
        if let homeValue = try agent.optional("home") {
            home = try homeValue.string()
            guard home.hasPrefix("/"), home.count > 1, !home.split(separator: "/").contains(".."), !home.hasSuffix("/") else {
                throw homeValue.error("expected an absolute folder path such as /home/atlas, found \"\(home)\"")
            }
        }
        let prompt = try agent.required("system_prompt").nonEmptyString()

        let clockValue = try doc.required("clock")
        try clockValue.checkKeys(["start", "timezone", "advance"])
        let startValue = try clockValue.required("start")
        guard let (start, offset) = ISO8601.parse(try startValue.string()) else {
            throw startValue.error("expected an ISO 8601 time with offset, e.g. 2026-03-16T08:30:00-05:00")
        }
        var clock = WorldClock(now: start, utcOffsetMinutes: offset, timezone: try clockValue.optional("timezone")?.string())
        if let advance = try clockValue.optional("advance") {
            if case .scalar = advance.node {
                clock.defaultAdvance = try duration(advance)
            } else {
                for (key, value) in try advance.mapping() {
                    if key == "default" {
                        clock.defaultAdvance = try duration(value)
                    } else if toolNames.contains(key) {
                        clock.advancePerTool[key] = try duration(value)
                    } else {
                        throw value.error("\"\(key)\" is not a tool; use \"default\" or one of: \(toolNames.joined(separator: ", "))")
                    }
                }
            }
        }
        return (clock, home, prompt)
    }

    static func duration(_ value: YAMLValue) throws(ScenarioError) -> VirtualTime.Duration {
        guard let d = VirtualTime.Duration(parsing: try value.string()) else {
            throw value.error("expected a duration such as 30s, 2m, 1h30m or 500ms")
        }
        return d
    }

    static func readFiles(_ value: YAMLValue?, into world: inout World, sources: ScenarioSources) throws(ScenarioError) {
        guard let value else { return }
        let start = world.clock.now
        func put(_ rel: String, _ content: Content, mode: UInt32, at source: YAMLValue) throws(ScenarioError) {
            let path: WorkspacePath
            do { path = try WorkspacePath.resolve(rel, home: world.home) } catch { throw source.error(error.description) }
            guard !path.isRoot else { throw source.error("a file cannot replace the home folder") }
            var missing: [WorkspacePath] = []
            var p = path.parent
            while let current = p, world.files[current] == nil { missing.append(current); p = current.parent }
            do throws(WorldDecodingError) {
                for folder in missing.reversed() { try world.apply(.makeDirectory(path: folder, mode: 0o755, modified: start)) }
                if world.files[path] != nil { throw WorldDecodingError("\(path) is given twice") }
                try world.apply(.writeFile(path: path, content: content, mode: mode, modified: start))
            } catch { throw source.error("cannot place \(rel): \(error.message)") }
        }
        for item in try value.list() {
            if let from = try item.optional("from") {
                try item.checkKeys(["from", "to", "template"])
                let prefix = try item.optional("to")?.string() ?? ""
                let folder = try from.string()
                let template = try item.optional("template")?.bool() ?? false
                for file in try sources.walk(folder, at: from) {
                    let bytes = template ? try TemplatedFile.render(file.content.bytes, file: sources.root + "/" + folder + "/" + file.path,
                                                                    field: from.path, context: from.context) : file.content.bytes
                    try put(prefix.isEmpty ? file.path : prefix + "/" + file.path,
                            bytes == file.content.bytes ? file.content : sources.cache.content(bytes, of: folder + "/" + file.path),
                            mode: file.executable ? 0o755 : 0o644, at: from)
                }
            } else {
                try item.checkKeys(["path", "content", "mode"])
                let pathValue = try item.required("path")
                var mode: UInt32 = 0o644
                if let modeValue = try item.optional("mode") {
                    guard let m = UInt32(try modeValue.string(), radix: 8), m <= 0o7777 else {
                        throw modeValue.error("expected octal permissions such as \"0644\"")
                    }
                    mode = m
                }
                try put(try pathValue.string(), Content(Array(try item.required("content").string().utf8)), mode: mode, at: pathValue)
            }
        }
    }
}
