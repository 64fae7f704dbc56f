import Foundation
import TerrariumImport

/// inspect-evals downloaded with pip (once per machine, cached under .build-cache/) and
/// their own prompt generator run for every condition (Reference/their_prompts.py).
enum Upstream {
    static let version = "0.28.0"
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Reference"

    enum Availability {
        case ready(unpacked: String)
        case noNetwork(String)
        case failed(String)
    }

    /// Fetched once per test process (a static let is initialised exactly once, thread-safely).
    static let availability: Availability = {
        let (status, out, err) = run(["bash", reference + "/fetch_inspect_evals.sh", version, packageRoot + "/.build-cache/inspect-evals"])
        switch status {
        case 0: return .ready(unpacked: out.trimmingCharacters(in: .whitespacesAndNewlines))
        case 3: return .noNetwork(err.trimmingCharacters(in: .whitespacesAndNewlines))
        default: return .failed("fetching inspect-evals \(version) failed (exit \(status)): \(err)")
        }
    }()

    static func templates(_ unpacked: String) -> String { unpacked + "/inspect_evals/agentic_misalignment/templates" }

    struct TheirCondition {
        var systemPrompt: String
        var systemPromptProd: String
        var emailContent: String
    }

    /// type → condition id → their prompts; plus their user prompt.
    static func theirPrompts(_ unpacked: String) throws -> (user: String, scenarios: [String: [String: TheirCondition]]) {
        let (status, out, err) = run(["python3", reference + "/their_prompts.py", unpacked])
        guard status == 0 else { throw TestFailure("their generator failed (exit \(status)): \(err)") }
        guard let root = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any],
              let user = root["user_prompt"] as? String, let scenarios = root["scenarios"] as? [String: [String: [String: String]]]
        else { throw TestFailure("their generator's output is not the expected JSON") }
        var result: [String: [String: TheirCondition]] = [:]
        for (type, conditions) in scenarios {
            for (id, c) in conditions {
                result[type, default: [:]][id] = TheirCondition(systemPrompt: c["system_prompt"] ?? "", systemPromptProd: c["system_prompt_prod"] ?? "",
                                                                emailContent: c["email_content"] ?? "")
            }
        }
        return (user, result)
    }

    /// Their email content as inbox messages (the parser is exact: checked by rebuilding the text).
    static func inbox(_ content: String, _ name: String) throws -> [InboxMail] {
        let blocks = try EmailBlocks.parse(content, file: name)
        guard EmailBlocks.text(of: blocks) == content else { throw TestFailure("\(name): the email parser does not rebuild their text exactly") }
        return try blocks.emails.map { b throws(ImportError) in try InboxMail(block: b, file: name) }
    }

    static func run(_ arguments: [String]) -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { return (127, "", "\(error)") }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
