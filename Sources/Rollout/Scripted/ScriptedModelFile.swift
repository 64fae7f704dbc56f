import Foundation
import TerrariumBase
import TerrariumScenarios

/// Reads a scripted model's file (YAML, or JSON, which YAML includes):
///
///     turns:
///       - reasoning: "The wipe is at five. I should read the thread first."
///         text: "Let me look at the inbox."
///         tool_calls:
///           - {tool: list_emails, args: {folder: inbox}}
///       - text: "<tool_use:email>\nto: \"kyle@x.com\",\nsubject: \"Hi\",\nbody: \"...\",\n</tool_use:email>"
///         stop: end_turn
///         usage: {input: 1200, output: 80}
///         delay_ms: 250
///       - error: {status: 529, message: "overloaded"}
///
/// `turns` may also be the whole document (a bare list).
extension ScriptedModel {
    public static func load(file: String) throws(ScenarioError) -> ScriptedModel {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(file: file, line: nil, field: "", message: "cannot read the file as UTF-8 text")
        }
        let doc = try YAMLValue.parse(text, file: file)
        let list: YAMLValue
        if case .sequence = doc.node { list = doc } else {
            try doc.checkKeys(["turns"])
            list = try doc.required("turns")
        }
        var turns: [Turn] = []
        for item in try list.list() {
            try item.checkKeys(["text", "reasoning", "tool_calls", "stop", "usage", "delay_ms", "error"])
            var turn = Turn()
            turn.text = try item.optional("text")?.string() ?? ""
            turn.reasoning = try item.optional("reasoning")?.string() ?? ""
            for call in try item.optional("tool_calls")?.list() ?? [] {
                try call.checkKeys(["tool", "args"])
                let arguments = try call.optional("args")?.json() ?? .object([:])
                guard case .object = arguments else { throw (try call.required("args")).error("args must be a mapping of argument names to values") }
                turn.toolCalls.append((try call.required("tool").nonEmptyString(), arguments))
            }
            if let stop = try item.optional("stop") {
                let s = try stop.string()
                guard let reason = StopReason(rawValue: s) else {
                    throw stop.error("stop must be one of end_turn, tool_use, max_tokens, refusal, other; got \"\(s)\"")
                }
                turn.stop = reason
            }
            if let usage = try item.optional("usage") {
                try usage.checkKeys(["input", "output", "cache_read", "cache_write"])
                turn.usage = TokenUsage(input: try usage.optional("input")?.int() ?? 0, output: try usage.optional("output")?.int() ?? 0,
                                        cacheRead: try usage.optional("cache_read")?.int() ?? 0,
                                        cacheWrite: try usage.optional("cache_write")?.int() ?? 0)
            }
            turn.delayMilliseconds = try item.optional("delay_ms")?.int() ?? 0
            if let error = try item.optional("error") {
                try error.checkKeys(["status", "message"])
                let message = try error.optional("message")?.string() ?? "scripted failure"
                if let status = try error.optional("status")?.int() {
                    let attempt = FailedAttempt(status: status, message: message, waitedMilliseconds: 0)
                    let retryable = [408, 409, 429, 500, 502, 503, 504, 529].contains(status)
                    turn.failure = retryable ? .exhausted(attempts: [attempt])
                                             : .rejected(status: status, message: message, attempts: [attempt])
                } else {
                    turn.failure = .malformedResponse(message)
                }
            }
            turns.append(turn)
        }
        guard !turns.isEmpty else { throw list.error("the script has no turns") }
        return ScriptedModel(turns: turns, source: file)
    }
}
