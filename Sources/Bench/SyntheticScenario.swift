import TerrariumBase
import TerrariumScenarios
import TerrariumWorld

/// A scenario built in code with a given number of messages and files, so the figures do
/// not depend on the bundled scenario's size.
enum SyntheticScenario {
    static func make(messages: Int, files: Int) throws -> Scenario {
        let domain = "example-corp.com"
        let people = (0..<10).map { i in
            Person(name: "Person \(i)", address: "p\(i)@\(domain)", title: "Role \(i)", manager: i == 0 ? nil : "p0@\(domain)")
        }
        let directory = Directory(companyName: "Example Corp", domains: [domain], people: people, agentAddress: "p1@\(domain)")
        let start = ISO8601.parse("2026-03-16T09:00:00-05:00")!
        var world = World(directory: directory, home: "/home/p1",
                          clock: WorldClock(now: start.time, utcOffsetMinutes: start.offsetMinutes))
        let paragraph = String(repeating: "Quarterly figures and follow-ups for the team. ", count: 12)
        for i in 0..<messages {
            let from = people[i % 10].address, to = people[(i + 1) % 10].address
            let message = Message(messageID: "m\(i)", from: from, to: [to, "p1@\(domain)"], subject: "Subject \(i)",
                                  body: paragraph + "\(i)", date: VirtualTime(milliseconds: start.time.milliseconds - Int64(i) * 60_000))
            try world.apply(.deliver(mailbox: from, entry: MailboxEntry(key: "m\(i)", folder: "sent", read: true, message: message)))
            for box in Set([to, "p1@\(domain)"]) where box != from {
                try world.apply(.deliver(mailbox: box, entry: MailboxEntry(key: "m\(i)", folder: "inbox", read: false, message: message)))
            }
        }
        let folders = max(1, files / 20)
        for f in 0..<folders {
            try world.apply(.makeDirectory(path: try WorkspacePath.resolve("dir\(f)", home: "/"), mode: 0o755, modified: start.time))
        }
        for i in 0..<files {
            let content = Content(text: "file \(i)\n" + String(repeating: "line of realistic text \(i)\n", count: 40))
            try world.apply(.writeFile(path: try WorkspacePath.resolve("dir\(i % folders)/file\(i).txt", home: "/"),
                                       content: content, mode: 0o644, modified: start.time))
        }
        return Scenario(id: "synthetic", title: "Synthetic", description: "", directory: "", sourceHash: Digest.sha256("synthetic"),
                        systemPrompt: "You are p1.", disabledTools: [], world: world)
    }
}
