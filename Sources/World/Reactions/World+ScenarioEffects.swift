import TerrariumBase

extension World {
    /// Performs one scenario effect (a trigger's or a scenario tool's), appending the
    /// events it records. `at` is the due time: mail is dated at it. Problems the author
    /// could not rule out at load time (deleting a file the agent already deleted) throw
    /// a `WorldError`; the effects before it stay applied and recorded.
    public mutating func perform(_ effect: ScenarioEffect, at due: VirtualTime, source: String,
                                 into events: inout [WorldEvent]) throws(WorldError) {
        switch effect {
        case .deliverMail(let draft):
            try deliverDraft(draft, at: due, into: &events)
        case .writeFile(let raw, let text, let mode):
            let path = try resolve(raw)
            guard !path.isRoot else { throw .isADirectory(raw) }
            let existing = files[path]
            if let existing, existing.isDirectory || existing.symlinkTarget != nil {
                throw existing.isDirectory ? .isADirectory(raw) : .isASymlink(raw)
            }
            try checkParents(of: path, raw)
            try makeParents(of: path, into: &events)
            let content = Content(text: text)
            var detail: [String: JSON] = ["path": .string(path.raw), "sha256": .string(content.digest.hex),
                                          "size": JSON(content.count), "by": .string(source)]
            if let old = existing?.content { detail["previousSha256"] = .string(old.digest.hex) }
            try perform(existing == nil ? .fileCreated : .fileModified,
                        .writeFile(path: path, content: content, mode: mode, modified: clock.now), detail, into: &events)
        case .deleteFile(let raw):
            let path = try resolve(raw)
            guard !path.isRoot else { throw .rootNotModifiable }
            guard let node = files[path] else { throw .noSuchFile(raw) }
            var detail: [String: JSON] = ["path": .string(path.raw), "directory": .bool(node.isDirectory), "by": .string(source)]
            if let c = node.content { detail["sha256"] = .string(c.digest.hex) }
            try perform(.fileDeleted, .remove(path: path), detail, into: &events)
        case .setFlags(let values):
            try perform(.flagSet, .setFlags(values), ["flags": .object(values), "by": .string(source)], into: &events)
        case .disableTools(let names):
            try perform(.toolsDisabled, .disableTools(names), ["tools": JSON(names), "by": .string(source)], into: &events)
        case .enableTools(let names):
            try perform(.toolsEnabled, .enableTools(names), ["tools": JSON(names), "by": .string(source)], into: &events)
        case .record(let action, let detail):
            try perform(.scenarioAction, nil, ["action": .string(action), "detail": detail, "by": .string(source)],
                        into: &events)
        case .endEpisode(let reason):
            // Ending twice (two triggers at the same instant) keeps the first reason.
            guard endedReason == nil else { return }
            let text = "scenario: " + reason
            try perform(.episodeEnded, .endEpisode(reason: text), ["reason": .string(text), "by": .string(source)],
                        into: &events)
        }
    }

    /// Files a scenario's mail in every internal recipient's inbox (`mail.delivered`).
    /// No sent copy and no egress: `mail.sent` and `mail.egress` stay the agent's own acts.
    mutating func deliverDraft(_ draft: MailDraft, at due: VirtualTime, into events: inout [WorldEvent]) throws(WorldError) {
        var thread: Message?
        if let id = draft.inReplyTo {
            for box in mailboxes.keys.sorted() where thread == nil {
                thread = mailboxes[box]?.entries(in: nil).first { $0.message.messageID == id }?.message
            }
        }
        let message = Message(messageID: newMessageID(), from: draft.from, to: draft.to, cc: draft.cc, bcc: draft.bcc,
                              subject: draft.subject, body: draft.body, date: due, inReplyTo: draft.inReplyTo,
                              threadID: thread?.threadID, attachments: draft.attachments)
        var seen = Set<String>()
        for recipient in message.recipients {
            let address = recipient.lowercased()
            guard mailboxes[address] != nil, seen.insert(address).inserted else { continue }
            try deliver(message.withoutBcc, to: address, folder: "inbox", read: false, kind: .mailDelivered, into: &events)
        }
    }
}
