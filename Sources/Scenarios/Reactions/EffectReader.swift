import TerrariumBase
import TerrariumWorld

/// Reads the `do:` list of a trigger and the `effects:` of a scenario tool's response.
/// Everything that can be checked before the episode runs is checked here: recipients
/// have mailboxes, paths stay in the home, tools exist, `in_reply_to` names a message.
struct EffectReader {
    let world: World
    let sources: ScenarioSources
    /// Every tool an effect may disable or enable (built-ins and scenario tools, minus
    /// those the scenario never offers).
    let toolNames: [String]

    static let names = ["deliver_mail", "write_file", "delete_file", "set_flag", "disable_tools", "enable_tools",
                        "record", "end_episode"]

    func effects(_ list: YAMLValue) throws(ScenarioError) -> [ScenarioEffect] {
        var out: [ScenarioEffect] = []
        for item in try list.list() { out.append(try effect(item)) }
        return out
    }

    func effect(_ item: YAMLValue) throws(ScenarioError) -> ScenarioEffect {
        let members = try item.mapping()
        guard members.count == 1, let (name, value) = members.first else {
            throw item.error("an effect is one key naming it (\(EffectReader.names.joined(separator: ", "))), found \(members.count) keys")
        }
        switch name {
        case "deliver_mail": return .deliverMail(try mail(value))
        case "write_file":
            try value.checkKeys(["path", "content", "mode"])
            let pathValue = try value.required("path")
            var mode: UInt32 = 0o644
            if let modeValue = try value.optional("mode") {
                guard let m = UInt32(try modeValue.string(), radix: 8), m <= 0o7777 else {
                    throw modeValue.error("expected octal permissions such as \"0644\"")
                }
                mode = m
            }
            return .writeFile(path: try homePath(pathValue), content: try value.required("content").string(), mode: mode)
        case "delete_file":
            try value.checkKeys(["path"])
            return .deleteFile(path: try homePath(try value.required("path")))
        case "set_flag":
            var flags: [String: JSON] = [:]
            for (flag, v) in try value.mapping() {
                guard isIdentifier(flag) else { throw v.error("flag names are [a-z][a-z0-9_]*, found \"\(flag)\"") }
                flags[flag] = try v.json()
            }
            guard !flags.isEmpty else { throw value.error("set at least one flag (NAME: VALUE)") }
            return .setFlags(flags)
        case "disable_tools", "enable_tools":
            let names = try value.strings()
            guard !names.isEmpty else { throw value.error("name at least one tool") }
            for tool in names where !toolNames.contains(tool) {
                throw value.error("unknown tool \"\(tool)\"; the episode's tools: \(toolNames.joined(separator: ", "))")
            }
            return name == "disable_tools" ? .disableTools(names) : .enableTools(names)
        case "record":
            try value.checkKeys(["action", "detail"])
            let actionValue = try value.required("action")
            let action = try actionValue.string()
            guard isIdentifier(action) else { throw actionValue.error("action names are [a-z][a-z0-9_]*, found \"\(action)\"") }
            return .record(action: action, detail: try value.optional("detail")?.json() ?? .object([:]))
        case "end_episode":
            try value.checkKeys(["reason"])
            return .endEpisode(reason: try value.required("reason").nonEmptyString())
        default:
            let hint = EffectReader.names.first { editDistance($0, name) <= 2 }.map { " (did you mean \"\($0)\"?)" } ?? ""
            throw item.error("unknown effect \"\(name)\"\(hint); effects: \(EffectReader.names.joined(separator: ", "))")
        }
    }

    func mail(_ value: YAMLValue) throws(ScenarioError) -> MailDraft {
        try value.checkKeys(["from", "to", "cc", "bcc", "subject", "body", "in_reply_to", "attachments"])
        let fromValue = try value.required("from")
        let from = try fromValue.string()
        guard isPlausibleAddress(from) else { throw fromValue.error("expected an e-mail address, found \"\(from)\"") }
        func recipients(_ key: String) throws(ScenarioError) -> [String] {
            guard let field = try value.optional(key) else { return [] }
            let list = try field.strings()
            for address in list {
                guard isPlausibleAddress(address) else { throw field.error("expected an e-mail address, found \"\(address)\"") }
                guard world.mailbox(address) != nil else {
                    throw field.error("\(address) has no mailbox in this world, so the mail could never arrive")
                }
            }
            return list
        }
        var draft = MailDraft(from: from, to: try recipients("to"), cc: try recipients("cc"), bcc: try recipients("bcc"),
                              subject: try value.required("subject").string(), body: try value.required("body").string())
        guard !(draft.to + draft.cc + draft.bcc).isEmpty else { throw value.error("a mail needs at least one recipient in to, cc or bcc") }
        if let replyValue = try value.optional("in_reply_to") {
            let id = try replyValue.string()
            guard world.messageIDs.contains(id) else { throw replyValue.error("no message with id \"\(id)\" in this scenario") }
            draft.inReplyTo = id
        }
        for attachment in try value.optional("attachments")?.list() ?? [] {
            try attachment.checkKeys(["file", "name", "type"])
            let fileValue = try attachment.required("file")
            let rel = try fileValue.string()
            let bytes = try sources.read(rel, at: fileValue)
            let name = try attachment.optional("name")?.string() ?? String(rel.split(separator: "/").last ?? "")
            draft.attachments.append(Attachment(name: name, contentType: try attachment.optional("type")?.string()
                                                ?? guessContentType(name), content: sources.cache.content(bytes, of: rel)))
        }
        return draft
    }

    /// A path in the agent's home; `${args.X}` parts are checked when the call fills them.
    func homePath(_ value: YAMLValue) throws(ScenarioError) -> String {
        let raw = try value.nonEmptyString()
        if !raw.contains("${") {
            let path: WorkspacePath
            do { path = try WorkspacePath.resolve(raw, home: world.home) } catch { throw value.error(error.description) }
            guard !path.isRoot else { throw value.error("the home folder itself cannot be written or deleted") }
        }
        return raw
    }
}

func isIdentifier(_ s: String) -> Bool {
    guard let first = s.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
    return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
}
