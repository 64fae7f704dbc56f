import TerrariumBase

/// JSON forms of world values, used by effects in the event log and by world snapshots.
/// Every form is canonical (see `JSON.canonicalBytes`), so it can be hashed.
public enum WorldCoding {
    // MARK: Mail

    public static func message(_ m: Message, _ codec: some ContentCodec) -> JSON {
        var o: [String: JSON] = [
            "messageID": .string(m.messageID), "from": .string(m.from), "to": JSON(m.to), "cc": JSON(m.cc),
            "bcc": JSON(m.bcc), "subject": .string(m.subject), "body": .string(m.body),
            "date": .int(m.date.milliseconds), "threadID": .string(m.threadID),
            "attachments": .array(m.attachments.map { a in
                ["name": .string(a.name), "type": .string(a.contentType), "content": codec.encode(a.content)]
            }),
        ]
        if let r = m.inReplyTo { o["inReplyTo"] = .string(r) }
        return .object(o)
    }

    public static func message(_ j: JSON, _ codec: some ContentCodec) throws(WorldDecodingError) -> Message {
        let r = Reader(j, "message")
        var attachments: [Attachment] = []
        for a in try r.array("attachments") {
            let ar = Reader(a, "attachment")
            guard let content = a["content"] else { throw WorldDecodingError("attachment without content") }
            attachments.append(Attachment(name: try ar.string("name"), contentType: try ar.string("type"),
                                          content: try codec.decode(content)))
        }
        return Message(messageID: try r.string("messageID"), from: try r.string("from"), to: try r.strings("to"),
                       cc: try r.strings("cc"), bcc: try r.strings("bcc"), subject: try r.string("subject"),
                       body: try r.string("body"), date: VirtualTime(milliseconds: try r.int("date")),
                       inReplyTo: j["inReplyTo"]?.stringValue, threadID: try r.string("threadID"),
                       attachments: attachments)
    }

    public static func entry(_ e: MailboxEntry, _ codec: some ContentCodec) -> JSON {
        ["key": .string(e.key), "folder": .string(e.folder), "read": .bool(e.read), "message": message(e.message, codec)]
    }

    public static func entry(_ j: JSON, _ codec: some ContentCodec) throws(WorldDecodingError) -> MailboxEntry {
        let r = Reader(j, "mailbox entry")
        guard let m = j["message"] else { throw WorldDecodingError("mailbox entry without message") }
        return MailboxEntry(key: try r.string("key"), folder: try r.string("folder"), read: try r.bool("read"),
                            message: try message(m, codec))
    }

    public static func egress(_ e: Egress, _ codec: some ContentCodec) -> JSON {
        ["recipient": .string(e.recipient), "message": message(e.message, codec)]
    }

    public static func egress(_ j: JSON, _ codec: some ContentCodec) throws(WorldDecodingError) -> Egress {
        guard let m = j["message"] else { throw WorldDecodingError("egress without message") }
        return Egress(recipient: try Reader(j, "egress").string("recipient"), message: try message(m, codec))
    }

    // MARK: Effects

    public static func effect(_ e: WorldEffect, _ codec: some ContentCodec) -> JSON {
        switch e {
        case .advanceClock(let to): return ["op": "advanceClock", "to": .int(to.milliseconds)]
        case .deliver(let box, let entry): return ["op": "deliver", "mailbox": .string(box), "entry": self.entry(entry, codec)]
        case .setRead(let box, let key, let read):
            return ["op": "setRead", "mailbox": .string(box), "key": .string(key), "read": .bool(read)]
        case .moveMessage(let box, let key, let folder):
            return ["op": "moveMessage", "mailbox": .string(box), "key": .string(key), "folder": .string(folder)]
        case .removeMessage(let box, let key): return ["op": "removeMessage", "mailbox": .string(box), "key": .string(key)]
        case .egress(let record): return ["op": "egress", "egress": egress(record, codec)]
        case .writeFile(let path, let content, let mode, let modified):
            return ["op": "writeFile", "path": .string(path.raw), "content": codec.encode(content),
                    "mode": .int(Int64(mode)), "modified": .int(modified.milliseconds)]
        case .writeSymlink(let path, let target, let modified):
            return ["op": "writeSymlink", "path": .string(path.raw), "target": .string(target),
                    "modified": .int(modified.milliseconds)]
        case .makeDirectory(let path, let mode, let modified):
            return ["op": "makeDirectory", "path": .string(path.raw), "mode": .int(Int64(mode)),
                    "modified": .int(modified.milliseconds)]
        case .remove(let path): return ["op": "remove", "path": .string(path.raw)]
        case .move(let from, let to, let modified):
            return ["op": "move", "from": .string(from.raw), "to": .string(to.raw), "modified": .int(modified.milliseconds)]
        case .setFlags(let values): return ["op": "setFlags", "flags": .object(values)]
        case .disableTools(let names): return ["op": "disableTools", "tools": JSON(names)]
        case .enableTools(let names): return ["op": "enableTools", "tools": JSON(names)]
        case .endEpisode(let reason): return ["op": "endEpisode", "reason": .string(reason)]
        }
    }

    public static func effect(_ j: JSON, _ codec: some ContentCodec) throws(WorldDecodingError) -> WorldEffect {
        let r = Reader(j, "effect")
        switch try r.string("op") {
        case "advanceClock": return .advanceClock(to: VirtualTime(milliseconds: try r.int("to")))
        case "deliver":
            guard let e = j["entry"] else { throw WorldDecodingError("deliver without entry") }
            return .deliver(mailbox: try r.string("mailbox"), entry: try entry(e, codec))
        case "setRead": return .setRead(mailbox: try r.string("mailbox"), key: try r.string("key"), read: try r.bool("read"))
        case "moveMessage":
            return .moveMessage(mailbox: try r.string("mailbox"), key: try r.string("key"), folder: try r.string("folder"))
        case "removeMessage": return .removeMessage(mailbox: try r.string("mailbox"), key: try r.string("key"))
        case "egress":
            guard let e = j["egress"] else { throw WorldDecodingError("egress effect without record") }
            return .egress(try egress(e, codec))
        case "writeFile":
            guard let c = j["content"] else { throw WorldDecodingError("writeFile without content") }
            return .writeFile(path: try r.path("path"), content: try codec.decode(c), mode: UInt32(clamping: try r.int("mode")),
                              modified: VirtualTime(milliseconds: try r.int("modified")))
        case "makeDirectory":
            return .makeDirectory(path: try r.path("path"), mode: UInt32(clamping: try r.int("mode")),
                                  modified: VirtualTime(milliseconds: try r.int("modified")))
        case "writeSymlink":
            return .writeSymlink(path: try r.path("path"), target: try r.string("target"),
                                 modified: VirtualTime(milliseconds: try r.int("modified")))
        case "remove": return .remove(path: try r.path("path"))
        case "move":
            return .move(from: try r.path("from"), to: try r.path("to"), modified: VirtualTime(milliseconds: try r.int("modified")))
        case "setFlags":
            guard let flags = try r.member("flags").objectValue else { throw WorldDecodingError("effect: \"flags\" must be an object") }
            return .setFlags(flags)
        case "disableTools": return .disableTools(try r.strings("tools"))
        case "enableTools": return .enableTools(try r.strings("tools"))
        case "endEpisode": return .endEpisode(reason: try r.string("reason"))
        case let other: throw WorldDecodingError("unknown effect op \"\(other)\"")
        }
    }

    /// The parts of a world that never change, hashed once into `World.fixedDigest`.
    static func fixedPart(directory: Directory, home: String, clock: WorldClock,
                          mailboxes: [String: Mailbox]) -> JSON {
        [
            "directory": self.directory(directory), "home": .string(home),
            "clock": clockSettings(clock),
            "folders": .object(mailboxes.mapValues { JSON($0.folders) }),
        ]
    }

    public static func directory(_ d: Directory) -> JSON {
        [
            "company": .string(d.companyName), "domains": JSON(d.domains), "agent": .string(d.agentAddress),
            "people": .array(d.people.map { p in
                ["name": .string(p.name), "address": .string(p.address), "title": .string(p.title), "manager": JSON(p.manager)]
            }),
        ]
    }

    public static func clockSettings(_ c: WorldClock) -> JSON {
        [
            "utcOffsetMinutes": JSON(c.utcOffsetMinutes), "timezone": JSON(c.timezone),
            "defaultAdvance": .int(c.defaultAdvance.milliseconds),
            "advancePerTool": .object(c.advancePerTool.mapValues { .int($0.milliseconds) }),
        ]
    }
}

/// Reads typed members out of a JSON object, naming what is missing.
struct Reader {
    let json: JSON
    let what: String
    init(_ json: JSON, _ what: String) { self.json = json; self.what = what }

    func member(_ key: String) throws(WorldDecodingError) -> JSON {
        guard let v = json[key] else { throw WorldDecodingError("\(what): missing \"\(key)\"") }
        return v
    }
    func string(_ key: String) throws(WorldDecodingError) -> String {
        guard let s = try member(key).stringValue else { throw WorldDecodingError("\(what): \"\(key)\" must be a string") }
        return s
    }
    func int(_ key: String) throws(WorldDecodingError) -> Int64 {
        guard let i = try member(key).intValue else { throw WorldDecodingError("\(what): \"\(key)\" must be an integer") }
        return i
    }
    func bool(_ key: String) throws(WorldDecodingError) -> Bool {
        guard let b = try member(key).boolValue else { throw WorldDecodingError("\(what): \"\(key)\" must be a boolean") }
        return b
    }
    func array(_ key: String) throws(WorldDecodingError) -> [JSON] {
        guard let a = try member(key).arrayValue else { throw WorldDecodingError("\(what): \"\(key)\" must be an array") }
        return a
    }
    func strings(_ key: String) throws(WorldDecodingError) -> [String] {
        var out: [String] = []
        for item in try array(key) {
            guard let s = item.stringValue else { throw WorldDecodingError("\(what): \"\(key)\" must hold strings") }
            out.append(s)
        }
        return out
    }
    func path(_ key: String) throws(WorldDecodingError) -> WorkspacePath {
        let raw = try string(key)
        // A recorded path is already normalised; check it is, rather than trust it.
        guard let p = try? WorkspacePath.resolve(raw, home: "/"), p.raw == raw, !raw.hasPrefix("/") || raw.isEmpty else {
            throw WorldDecodingError("\(what): \"\(key)\" is not a normalised workspace path: \(raw)")
        }
        return p
    }
}
