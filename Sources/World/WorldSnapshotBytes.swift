import TerrariumBase

/// The canonical bytes of a world's inline snapshot and of a message's digest input, written
/// directly: byte for byte `snapshotJSON(InlineContentCodec()).canonicalBytes()` and
/// `WorldCoding.message(m, DigestOnlyContentCodec()).canonicalBytes()`. Building the JSON
/// tree first copied every file's text into a String and sorted every object's keys; for
/// loading a scenario that was a quarter of the time. Keys below are written in canonical
/// (UTF-8 byte) order; the small, rarely large parts still go through `JSON`.
extension World {
    public func inlineSnapshotBytes() -> [UInt8] {
        var out: [UInt8] = []
        // Room for every file (base64 is 4/3 of the bytes) so the buffer grows about once.
        var estimate = 64 * 1024
        for node in files.nodes.values { estimate += 256 + (node.content.map { $0.count / 3 * 4 + 4 } ?? 0) }
        out.reserveCapacity(estimate)
        out.append(contentsOf: #"{"clock":"#.utf8)
        JSON.object(["now": .int(clock.now.milliseconds), "settings": WorldCoding.clockSettings(clock)])
            .write(into: &out, pretty: false, indent: 0)
        out.append(contentsOf: #","directory":"#.utf8)
        WorldCoding.directory(directory).write(into: &out, pretty: false, indent: 0)
        out.append(contentsOf: #","egress":"#.utf8)
        JSON.array(egress.map { WorldCoding.egress($0, InlineContentCodec()) }).write(into: &out, pretty: false, indent: 0)
        out.append(contentsOf: #","files":["#.utf8)
        var first = true
        for path in [WorkspacePath.root] + files.descendants(of: .root) {
            guard let node = files[path] else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            WorldSnapshotBytes.writeFile(path, node, into: &out)
        }
        let addresses = mailboxes.keys.sorted(by: JSON.utf8Less)
        out.append(contentsOf: #"],"folders":{"#.utf8)
        for (index, address) in addresses.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSON.writeString(address, into: &out)
            out.append(UInt8(ascii: ":"))
            JSON(mailboxes[address]?.folders ?? []).write(into: &out, pretty: false, indent: 0)
        }
        out.append(contentsOf: #"},"format":"#.utf8)
        JSON.writeString(World.snapshotFormat, into: &out)
        out.append(contentsOf: #","home":"#.utf8)
        JSON.writeString(home, into: &out)
        out.append(contentsOf: #","mailboxes":{"#.utf8)
        for (index, address) in addresses.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSON.writeString(address, into: &out)
            out.append(contentsOf: ":[".utf8)
            if let box = mailboxes[address] {
                for (n, entry) in box.arrival.compactMap({ box.entry($0) }).enumerated() {
                    if n > 0 { out.append(UInt8(ascii: ",")) }
                    WorldSnapshotBytes.writeEntry(entry, into: &out)
                }
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(contentsOf: #"},"messageIDs":"#.utf8)
        WorldSnapshotBytes.writeStrings(messageIDs.sorted(by: JSON.utf8Less), into: &out)
        // Only present once a scenario changed it (as in `snapshotJSON`).
        if !reactive.isEmpty {
            out.append(contentsOf: #","reactive":"#.utf8)
            reactive.json.write(into: &out, pretty: false, indent: 0)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}

enum WorldSnapshotBytes {
    /// {"content"|"directory"|…,"mode","modified","path"[,"symlink"]}, as `snapshotJSON` builds it.
    static func writeFile(_ path: WorkspacePath, _ node: FileNode, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        switch node.kind {
        case .file(let content):
            out.append(contentsOf: #""content":"#.utf8)
            writeInline(content, into: &out)
            out.append(UInt8(ascii: ","))
        case .directory: out.append(contentsOf: #""directory":true,"#.utf8)
        case .symlink: break
        }
        out.append(contentsOf: #""mode":"#.utf8)
        out.append(contentsOf: String(node.mode).utf8)
        out.append(contentsOf: #","modified":"#.utf8)
        out.append(contentsOf: String(node.modified.milliseconds).utf8)
        out.append(contentsOf: #","path":"#.utf8)
        JSON.writeString(path.raw, into: &out)
        if case .symlink(let target) = node.kind {
            out.append(contentsOf: #","symlink":"#.utf8)
            JSON.writeString(target, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// `InlineContentCodec.encode`: {"base64"|…,"sha256","size"[,"text"]}.
    static func writeInline(_ content: Content, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if !content.isText {
            // The base64 alphabet needs no JSON escapes.
            out.append(contentsOf: #""base64":""#.utf8)
            Base64.encode(content.bytes, into: &out)
            out.append(contentsOf: #"","#.utf8)
        }
        writeDigestOnly(content, into: &out)
        if content.isText {
            // Valid UTF-8 (checked when the content was made): its bytes are the text's.
            out.append(contentsOf: #","text":"#.utf8)
            content.bytes.withUnsafeBufferPointer { JSON.writeString(utf8: $0, into: &out) }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// `"sha256":…,"size":…` (DigestOnlyContentCodec's members, also the inline codec's).
    static func writeDigestOnly(_ content: Content, into out: inout [UInt8]) {
        out.append(contentsOf: #""sha256":""#.utf8)
        out.append(contentsOf: content.digest.hex.utf8)
        out.append(contentsOf: #"","size":"#.utf8)
        out.append(contentsOf: String(content.count).utf8)
    }

    /// `WorldCoding.entry`: {"folder","key","message","read"}.
    static func writeEntry(_ entry: MailboxEntry, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"folder":"#.utf8)
        JSON.writeString(entry.folder, into: &out)
        out.append(contentsOf: #","key":"#.utf8)
        JSON.writeString(entry.key, into: &out)
        out.append(contentsOf: #","message":"#.utf8)
        writeMessage(entry.message, inline: true, into: &out)
        out.append(contentsOf: (entry.read ? #","read":true}"# : #","read":false}"#).utf8)
    }

    /// `WorldCoding.message` with the inline or the digest-only codec.
    static func writeMessage(_ m: Message, inline: Bool, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"attachments":["#.utf8)
        for (index, a) in m.attachments.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"content":"#.utf8)
            if inline {
                writeInline(a.content, into: &out)
            } else {
                out.append(UInt8(ascii: "{"))
                writeDigestOnly(a.content, into: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(contentsOf: #","name":"#.utf8)
            JSON.writeString(a.name, into: &out)
            out.append(contentsOf: #","type":"#.utf8)
            JSON.writeString(a.contentType, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"],"bcc":"#.utf8)
        writeStrings(m.bcc, into: &out)
        out.append(contentsOf: #","body":"#.utf8)
        JSON.writeString(m.body, into: &out)
        out.append(contentsOf: #","cc":"#.utf8)
        writeStrings(m.cc, into: &out)
        out.append(contentsOf: #","date":"#.utf8)
        out.append(contentsOf: String(m.date.milliseconds).utf8)
        out.append(contentsOf: #","from":"#.utf8)
        JSON.writeString(m.from, into: &out)
        if let r = m.inReplyTo {
            out.append(contentsOf: #","inReplyTo":"#.utf8)
            JSON.writeString(r, into: &out)
        }
        out.append(contentsOf: #","messageID":"#.utf8)
        JSON.writeString(m.messageID, into: &out)
        out.append(contentsOf: #","subject":"#.utf8)
        JSON.writeString(m.subject, into: &out)
        out.append(contentsOf: #","threadID":"#.utf8)
        JSON.writeString(m.threadID, into: &out)
        out.append(contentsOf: #","to":"#.utf8)
        writeStrings(m.to, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    static func writeStrings(_ list: [String], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, s) in list.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSON.writeString(s, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}
