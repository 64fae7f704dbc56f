import Testing
import TerrariumBase
@testable import TerrariumWorld

/// The directly written snapshot and message-digest bytes must equal what the JSON tree
/// gives: episodes written before and after the writer existed share their hashes.
@Suite struct SnapshotBytesTests {
    /// The seeded world plus what it lacks: escapes and non-ASCII text, a link, egress with a
    /// binary attachment, flags.
    func variedWorld() throws -> World {
        var w = try seededWorld()
        let odd = Content(text: "quote \" backslash \\ tab \t cr \r nul-free \u{1} é ✓\n")
        try w.apply(.writeFile(path: try w.resolve("notes/odd.txt"), content: odd, mode: 0o755, modified: start))
        try w.apply(.writeSymlink(path: try w.resolve("docs/link"), target: "../notes/odd.txt", modified: start))
        let leak = Message(messageID: "m-leak", from: agent, to: ["x@outside.example"], bcc: [dana], subject: "Logo \"v2\"",
                           body: "Here.\n\tBye", date: start, inReplyTo: "m-news", threadID: "m-news",
                           attachments: [Attachment(name: "logo.png", contentType: "image/png", content: Content(logoBytes)),
                                         Attachment(name: "odd.txt", contentType: "text/plain", content: odd)])
        try w.apply(.egress(Egress(recipient: "x@outside.example", message: leak)))
        try w.apply(.deliver(mailbox: agent, entry: entry("m-leak", folder: "sent", read: true, leak)))
        try w.apply(.setFlags(["leaked": true]))
        return w
    }

    @Test func snapshotBytesEqualTheJSONTree() throws {
        for world in [emptyWorld(), try seededWorld(), try variedWorld()] {
            let expected = world.snapshotJSON(InlineContentCodec()).canonicalBytes()
            #expect(world.inlineSnapshotBytes() == expected)
        }
    }

    @Test func messageDigestInputEqualsTheJSONTree() throws {
        let world = try variedWorld()
        let messages = world.mailboxes.values.flatMap { box in box.arrival.compactMap { box.entry($0)?.message } }
        #expect(messages.count == 7)
        for message in messages {
            var bytes: [UInt8] = []
            WorldSnapshotBytes.writeMessage(message, inline: false, into: &bytes)
            #expect(bytes == WorldCoding.message(message, DigestOnlyContentCodec()).canonicalBytes())
        }
    }
}
