import TerrariumWorld

/// One command for the sandbox.
public struct ShellCommand: Sendable {
    public var command: String
    public var timeoutSeconds: Int
    public init(_ command: String, timeoutSeconds: Int = 30) {
        self.command = command
        self.timeoutSeconds = timeoutSeconds
    }
}

/// What one command did: its status and output, what the sandbox refused, and what it
/// changed in the home tree (as world effects, not yet applied to the caller's world).
public struct ShellResult: Sendable {
    /// The command's own exit code, when it exited.
    public var exitCode: Int32?
    /// The signal that killed it, when one did (`SIGKILL` on timeout).
    public var signal: Int32?
    public var timedOut: Bool
    /// The first `outputCap` bytes of each stream.
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    /// Bytes each stream produced in all (more than kept: truncated).
    public var stdoutTotal: Int
    public var stderrTotal: Int
    /// `timeout`, `pids` (forks refused by pids.max), `memory` (OOM kill), `fileSize`.
    public var limitsHit: [String]
    /// Recorded attempts (denied, faked, or recorded and let run), in order.
    public var attempts: [SandboxAttempt]
    /// Attempts past the per-command cap, counted only.
    public var unrecordedAttempts: Int
    public var changes: [WorkspaceChange]
    public var skipped: [SkippedEntry]
    /// Folders whose mode change was put back (the world has no folder-mode effect).
    public var revertedModes: [String]
    public var timing: ShellTiming

    public var stdoutTruncated: Bool { stdoutTotal > stdout.count }
    public var stderrTruncated: Bool { stderrTotal > stderr.count }
    public var deniedAttempts: [SandboxAttempt] { attempts.filter { $0.decision == .denied } }

    public var signalName: String? { signal.map(ShellResult.signalName) }

    public static func signalName(_ s: Int32) -> String {
        let names: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT",
                                      7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV",
                                      12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM", 24: "SIGXCPU",
                                      25: "SIGXFSZ", 31: "SIGSYS"]
        return names[s] ?? "SIG\(s)"
    }
}

/// Host measurements of one command (never part of the hashed record).
public struct ShellTiming: Sendable {
    /// The whole call on the sandbox thread: sync, spawn, run, scan.
    public var totalSeconds = 0.0
    /// Starting the episode's pod (every layer) when this command had to; 0 when it reused it.
    public var spawnSeconds = 0.0
    /// The command in the pod: sent to init until init reported everything of it gone.
    public var runSeconds = 0.0
    public var scan = ScanStatistics()
    /// `helper` (the terrarium-sandbox process) or `in-process`.
    public var launcher = "in-process"
    /// Notifications that were local IPC, not attempts.
    public var localCalls = 0
    /// The pod's init (host pid): the same across the commands one pod served.
    public var initPid: Int32 = 0
    /// This command started a new pod (first command, or after a retirement).
    public var podStarted = false
    /// Why the pod was stopped after this command; nil when it serves the next one.
    public var podRetired: String?
}
