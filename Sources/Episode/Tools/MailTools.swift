import TerrariumBase
import TerrariumWorld

/// The mail client the agent uses. Everything acts on the agent's own mailbox.
enum MailTools {
    static var all: [ToolDefinition] { [list, read, search, send, reply, forward, delete] }

    static func summary(_ e: MailboxEntry, _ world: World) -> (line: String, data: JSON) {
        let m = e.message
        var line = "[\(e.key)] \(world.clock.format(m.date)) | From: \(person(m.from, world)) | Subject: \(m.subject)"
        if !e.read { line += " | unread" }
        if !m.attachments.isEmpty { line += " | \(m.attachments.count) attachment\(m.attachments.count == 1 ? "" : "s")" }
        let data: JSON = ["id": .string(e.key), "folder": .string(e.folder), "from": .string(m.from), "to": JSON(m.to),
                          "subject": .string(m.subject), "date": .string(world.clock.format(m.date)), "read": .bool(e.read),
                          "attachments": JSON(m.attachments.count), "thread": .string(m.threadID)]
        return (line, data)
    }

    static func person(_ address: String, _ world: World) -> String {
        world.directory.person(address).map { "\($0.name) <\(address)>" } ?? address
    }

    static func listing(_ title: String, _ entries: [MailboxEntry], total: Int, offset: Int, _ world: World) -> ToolOutput {
        let rows = entries.map { summary($0, world) }
        var text = "\(title): \(total) message\(total == 1 ? "" : "s")"
        if !entries.isEmpty { text += ", showing \(offset + 1)–\(offset + entries.count), newest first" }
        text += rows.isEmpty ? "" : "\n" + rows.map(\.line).joined(separator: "\n")
        return ToolOutput(text: text, data: ["total": JSON(total), "offset": JSON(offset), "messages": .array(rows.map(\.data))])
    }

    static let list = ToolDefinition(
        name: "list_emails", group: "mail",
        description: "List messages in one of your mailbox folders, newest first. Returns each message's id, date, sender, subject and whether it is unread.",
        parameters: [
            .string("folder", "Folder to list: inbox, sent, drafts, trash, or another folder of your mailbox.", required: false, default: "inbox"),
            .boolean("unread_only", "Only list unread messages."),
            .integer("limit", "Maximum number of messages to return.", min: 1, max: 200, default: 20),
            .integer("offset", "Number of messages to skip (for paging).", default: 0),
        ], readOnly: true
    ) { world, args, _ throws(WorldError) in
        let folder = args.string("folder")
        let (entries, total) = try world.listMail(folder: folder, unreadOnly: args.bool("unread_only"),
                                                 limit: args.int("limit"), offset: args.int("offset"))
        return listing(folder.prefix(1).uppercased() + folder.dropFirst(), entries, total: total, offset: args.int("offset"), world)
    }

    static let read = ToolDefinition(
        name: "read_email", group: "mail",
        description: "Open a message by its id and return its headers, body and attachment list. Marks it as read.",
        parameters: [.string("id", "The message id, as shown by list_emails or search_emails.")], readOnly: false
    ) { world, args, events throws(WorldError) in
        let e = try world.readMail(args.string("id"), into: &events)
        let m = e.message
        var text = "ID: \(e.key)\nFolder: \(e.folder)\nFrom: \(person(m.from, world))\nTo: \(m.to.map { person($0, world) }.joined(separator: ", "))\n"
        if !m.cc.isEmpty { text += "Cc: \(m.cc.map { person($0, world) }.joined(separator: ", "))\n" }
        if !m.bcc.isEmpty { text += "Bcc: \(m.bcc.joined(separator: ", "))\n" }
        text += "Date: \(world.clock.format(m.date))\nSubject: \(m.subject)\n"
        if let parent = m.inReplyTo { text += "In-Reply-To: \(parent)\n" }
        if !m.attachments.isEmpty {
            text += "Attachments: " + m.attachments.map { "\($0.name) (\($0.contentType), \($0.content.count) bytes)" }.joined(separator: "; ") + "\n"
        }
        text += "\n" + m.body
        let data: JSON = [
            "id": .string(e.key), "folder": .string(e.folder), "from": .string(m.from), "to": JSON(m.to), "cc": JSON(m.cc),
            "bcc": JSON(m.bcc), "date": .string(world.clock.format(m.date)), "subject": .string(m.subject),
            "body": .string(m.body), "inReplyTo": JSON(m.inReplyTo), "thread": .string(m.threadID),
            "attachments": .array(m.attachments.map { ["name": .string($0.name), "type": .string($0.contentType), "size": JSON($0.content.count)] }),
        ]
        return ToolOutput(text: text, data: data)
    }

    static let search = ToolDefinition(
        name: "search_emails", group: "mail",
        description: "Search your mailbox. Every given criterion must match: text in the subject or body (case-insensitive), sender, recipient (address or name), folder, and a date range.",
        parameters: [
            .string("query", "Text to find in the subject or body.", required: false),
            .string("from", "Sender address or name (substring).", required: false),
            .string("to", "Recipient address or name (substring), in to, cc or bcc.", required: false),
            .string("folder", "Only this folder (default: all folders).", required: false),
            .string("after", "Only messages on or after this time (ISO 8601, e.g. 2026-03-10 or 2026-03-10T09:00:00-05:00).", required: false),
            .string("before", "Only messages before this time (ISO 8601).", required: false),
            .integer("limit", "Maximum number of results.", min: 1, max: 200, default: 20),
        ], readOnly: true
    ) { world, args, _ throws(WorldError) in
        func time(_ key: String) throws(WorldError) -> VirtualTime? {
            guard let s = args.optionalString(key) else { return nil }
            guard let (t, _) = ISO8601.parse(s, defaultOffsetMinutes: world.clock.utcOffsetMinutes) else {
                throw .invalidArgument("argument \"\(key)\": \"\(s)\" is not an ISO 8601 date or time (e.g. 2026-03-10)")
            }
            return t
        }
        let q = World.MailQuery(text: args.optionalString("query"), from: args.optionalString("from"), to: args.optionalString("to"),
                                folder: args.optionalString("folder"), after: try time("after"), before: try time("before"))
        let (entries, total) = try world.searchMail(q, limit: args.int("limit"))
        return listing("Search results", entries, total: total, offset: 0, world)
    }

    static func sent(_ m: Message, _ verb: String) -> ToolOutput {
        ToolOutput(text: "\(verb). Message id: \(m.messageID)",
                   data: ["id": .string(m.messageID), "to": JSON(m.to), "cc": JSON(m.cc), "bcc": JSON(m.bcc), "subject": .string(m.subject)])
    }

    static let send = ToolDefinition(
        name: "send_email", group: "mail",
        description: "Send a new message from your address. Recipients inside the company receive it in their inbox; files from your home folder can be attached by path.",
        parameters: [
            .list("to", "Recipient addresses.", required: true),
            .list("cc", "Cc addresses."),
            .list("bcc", "Bcc addresses (hidden from other recipients)."),
            .string("subject", "Subject line."),
            .string("body", "Message text."),
            .list("attachments", "Paths of files in your home folder to attach."),
        ], readOnly: false
    ) { world, args, events throws(WorldError) in
        let attachments = try world.attachments(fromPaths: args.strings("attachments"))
        let m = try world.sendMail(to: args.strings("to"), cc: args.strings("cc"), bcc: args.strings("bcc"),
                                   subject: args.string("subject"), body: args.string("body"), attachments: attachments,
                                   into: &events)
        return sent(m, "Message sent")
    }

    static let reply = ToolDefinition(
        name: "reply_email", group: "mail",
        description: "Reply to a message by id. The original is quoted below your text. With reply_all, everyone who received the original (except you) is copied.",
        parameters: [
            .string("id", "The id of the message to reply to."),
            .string("body", "Your reply text."),
            .boolean("reply_all", "Also reply to all other recipients."),
            .list("attachments", "Paths of files in your home folder to attach."),
        ], readOnly: false
    ) { world, args, events throws(WorldError) in
        let attachments = try world.attachments(fromPaths: args.strings("attachments"))
        let m = try world.replyMail(args.string("id"), body: args.string("body"), replyAll: args.bool("reply_all"),
                                    attachments: attachments, into: &events)
        return sent(m, "Reply sent")
    }

    static let forward = ToolDefinition(
        name: "forward_email", group: "mail",
        description: "Forward a message by id, with its attachments, adding an optional note above it.",
        parameters: [
            .string("id", "The id of the message to forward."),
            .list("to", "Recipient addresses.", required: true),
            .list("cc", "Cc addresses."),
            .string("body", "A note to put above the forwarded message.", required: false, default: ""),
        ], readOnly: false
    ) { world, args, events throws(WorldError) in
        let m = try world.forwardMail(args.string("id"), to: args.strings("to"), cc: args.strings("cc"),
                                      note: args.string("body"), into: &events)
        return sent(m, "Message forwarded")
    }

    static let delete = ToolDefinition(
        name: "delete_email", group: "mail",
        description: "Delete a message by id: it moves to trash; deleting a message that is already in trash removes it for good.",
        parameters: [.string("id", "The id of the message to delete.")], readOnly: false
    ) { world, args, events throws(WorldError) in
        let id = args.string("id")
        let permanently = try world.deleteMail(id, into: &events)
        return ToolOutput(text: permanently ? "Message \(id) deleted permanently." : "Message \(id) moved to trash.",
                          data: ["id": .string(id), "permanently": .bool(permanently)])
    }
}
