import TerrariumBase
import TerrariumWorld

/// A readable dump of a world, for `replay --at`.
enum WorldPrinter {
    static func text(_ world: World, seq: Int) -> String {
        var out = "World after seq \(seq)\n"
        out += "clock: \(world.clock.format(world.clock.now))\n"
        out += "state: \(world.stateHash.tagged)\n\nmailboxes:\n"
        for address in world.mailboxes.keys.sorted() {
            guard let box = world.mailboxes[address] else { continue }
            out += "  \(address)\n"
            for folder in box.folders {
                let entries = box.entries(in: folder)
                if entries.isEmpty { continue }
                out += "    \(folder) (\(entries.count), \(entries.filter { !$0.read }.count) unread)\n"
                for e in entries {
                    out += "      \(e.read ? " " : "*") [\(e.key)] \(world.clock.format(e.message.date))  \(e.message.from)  \(e.message.subject)\n"
                }
            }
        }
        out += "\negress (\(world.egress.count)):\n"
        for e in world.egress {
            out += "  → \(e.recipient)  [\(e.message.messageID)] \(e.message.subject)"
            out += e.message.attachments.isEmpty ? "\n" : "  (+\(e.message.attachments.map(\.name).joined(separator: ", ")))\n"
        }
        out += "\nfiles (\(world.files.fileCount)) under \(world.home):\n"
        for path in world.files.descendants(of: .root) {
            guard let node = world.files[path] else { continue }
            if let target = node.symlinkTarget {
                out += "  \(String(node.mode, radix: 8)) \(pad(-1)) \(String(repeating: " ", count: 12))  \(path.raw) -> \(target)\n"
            } else if let c = node.content {
                out += "  \(String(node.mode, radix: 8)) \(pad(c.count)) \(c.digest.hex.prefix(12))  \(path.raw)\n"
            } else {
                out += "  \(String(node.mode, radix: 8)) \(pad(-1)) \(String(repeating: " ", count: 12))  \(path.raw)/\n"
            }
        }
        return out
    }

    static func pad(_ n: Int) -> String {
        let s = n < 0 ? "-" : String(n)
        return String(repeating: " ", count: max(0, 8 - s.count)) + s
    }
}
