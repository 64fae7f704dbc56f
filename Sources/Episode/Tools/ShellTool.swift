import TerrariumBase
import TerrariumShell
import TerrariumWorld

/// `run_shell`: one command line in the kernel-confined sandbox, over the same home tree
/// the file tools see. Its call path is in EpisodeShell.swift (it awaits a process).
enum ShellTool {
    static let group = "shell"

    /// Whether a tool runs a process (and so awaits instead of changing the world in place).
    static func runsProcess(_ tool: ToolDefinition) -> Bool { tool.group == group }

    static let runShell = ToolDefinition(
        name: "run_shell", group: group,
        description: "Run a command line on your workstation with /bin/sh, in your home directory (the same files the file tools see). Returns what it printed (stdout, stderr) and its exit status. A command still running after timeout_s seconds is stopped, with everything it started.",
        parameters: [
            .string("command", "The command line, e.g. `ls -la reports | head`."),
            .integer("timeout_s", "Seconds before the command is stopped.", min: 1,
                     max: Int64(ShellConfiguration().maxTimeoutSeconds), default: Int64(ShellConfiguration().defaultTimeoutSeconds)),
        ], readOnly: false
    ) { _, _, _ throws(WorldError) in
        throw .internalInconsistency("run_shell is run by Episode.performProcess, not as a world operation")
    }

    /// What the agent reads: stdout, stderr, truncation markers and the exit status.
    static func text(_ r: ShellResult, timeoutSeconds: Int) -> String {
        var parts: [String] = []
        func block(_ bytes: [UInt8], total: Int, _ label: String) {
            var s = String(decoding: bytes, as: UTF8.self)
            if !s.isEmpty && !s.hasSuffix("\n") { s += "\n" }
            if total > bytes.count {
                s += "[\(label) truncated: \(total) bytes in all, the first \(bytes.count) shown]\n"
            }
            parts.append(s)
        }
        if !r.stdout.isEmpty || r.stdoutTruncated { block(r.stdout, total: r.stdoutTotal, "stdout") }
        if !r.stderr.isEmpty || r.stderrTruncated {
            parts.append("[stderr]\n")
            block(r.stderr, total: r.stderrTotal, "stderr")
        }
        if parts.isEmpty { parts.append("(no output)\n") }
        if r.timedOut {
            parts.append("[timed out after \(timeoutSeconds) s: the command and everything it started were stopped]")
        } else if let code = r.exitCode {
            parts.append("[exit code \(code)]")
        } else if let signal = r.signal {
            parts.append("[terminated by signal \(signal) (\(ShellResult.signalName(signal)))]")
        } else {
            parts.append("[ended without a status]")
        }
        return parts.joined()
    }

    static func data(_ r: ShellResult) -> JSON {
        ["exitCode": r.exitCode.map { .int(Int64($0)) } ?? .null, "signal": JSON(r.signalName), "timedOut": .bool(r.timedOut),
         "stdout": .string(String(decoding: r.stdout, as: UTF8.self)), "stderr": .string(String(decoding: r.stderr, as: UTF8.self)),
         "stdoutTruncated": .bool(r.stdoutTruncated), "stderrTruncated": .bool(r.stderrTruncated),
         "stdoutBytes": JSON(r.stdoutTotal), "stderrBytes": JSON(r.stderrTotal)]
    }
}
