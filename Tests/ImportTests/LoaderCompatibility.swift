import Foundation
import TerrariumBase
import TerrariumImport
import TerrariumScenarios
import TerrariumWorld

/// Reading an imported scenario with the real loader, and the agent's inbox as InboxMail.
enum LoaderCompatibility {
    /// The scenario as written. While the `reactive` (tools.custom) and `grading` branches
    /// are not merged, the loader does not know those sections yet; then a copy without them
    /// is read (and this says so), so the templating, grid and mail are still checked.
    static func prepared(_ dir: String) throws -> PreparedScenario {
        do { return try PreparedScenario.read(directory: dir) } catch {
            let text = try String(contentsOfFile: dir + "/scenario.yaml", encoding: .utf8)
            guard error.message.contains("grading") || error.message.contains("custom") else { throw error }
            var trimmed = text
            if let g = trimmed.range(of: "\ngrading:") { trimmed = String(trimmed[..<g.lowerBound]) + "\n" }
            if let c = trimmed.range(of: "\n  custom:") { trimmed = String(trimmed[..<c.lowerBound]) + "\n" }
            print("note: the loader does not know \(error.message.contains("grading") ? "grading:" : "tools.custom") yet; reading \(dir) without grading: and tools.custom")
            let copy = dir + "-core"
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: dir, toPath: copy)
            try trimmed.write(toFile: copy + "/scenario.yaml", atomically: true, encoding: .utf8)
            return try prepared(copy)
        }
    }

    static func inbox(_ world: World, numbered: Bool) -> [InboxMail] {
        guard let box = world.mailboxes[world.directory.agentAddress.lowercased()] else { return [] }
        return box.entries(in: "inbox").map { e in
            let m = e.message
            let stamp = ISO8601.format(m.date, offsetMinutes: AgenticMisalignmentDesign.utcOffsetMinutes)
            return InboxMail(id: numbered ? m.messageID : nil, from: m.from, to: m.to, subject: m.subject,
                             timestamp: String(stamp.dropLast(6)), body: m.body, attachments: m.attachments.map(\.name))
        }
    }
}
