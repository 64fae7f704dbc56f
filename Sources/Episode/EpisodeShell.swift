import TerrariumBase
import TerrariumRecording
import TerrariumShell
import TerrariumWorld

/// The call path of a process tool (`run_shell`): the clock ticks as for every tool, the
/// command runs in the episode's sandbox (awaited off the cooperative pool), then the
/// events are recorded in order:
///
///     clock.advanced → shell.executed → sandbox.denied… → file.skipped… → file.created/modified/deleted…
///
/// File changes are the same events, with the same effects, that the file tools record
/// (`tool: "run_shell"`, `cause` = the tool.called seq), so replaying the log rebuilds the
/// world without running anything, and a grader need not care which tool changed a file.
extension Episode {
    func performProcess(_ tool: ToolDefinition, _ args: ToolArguments, calledSeq: Int) async
        -> (isError: Bool, output: ToolOutput, failure: (message: String, error: EpisodeError)?)
    {
        let none = ToolOutput(text: "", data: .null)
        var ticks: [WorldEvent] = []
        do throws(WorldError) {
            try mutateWorld { world throws(WorldError) in try world.tick(for: tool.name, into: &ticks) }
        } catch { return (true, none, (error.description, .world(error.description))) }
        for event in ticks { stageWorldEvent(event, cause: calledSeq) }

        let session = shell ?? ShellSession()
        shell = session
        let command = ShellCommand(args.string("command"), timeoutSeconds: args.int("timeout_s"))
        let result: ShellResult
        do { result = try await session.run(command, in: world) } catch {
            return (true, none, (error.description, .shell(error)))
        }
        let shellSeq = stage(.shellExecuted, executedPayload(result, command, cause: calledSeq), state: world.stateHash,
                             time: world.clock.now, measured: measurements(result))
        for attempt in result.deniedAttempts {
            _ = stage(.sandboxDenied, attemptJSON(attempt, cause: calledSeq, shell: shellSeq), state: world.stateHash,
                      time: world.clock.now, measured: ["hostThread": JSON(Int(attempt.hostThread))])
        }
        for entry in result.skipped {
            _ = stage(.fileSkipped, ["cause": JSON(calledSeq), "tool": .string(tool.name), "path": .string(entry.path),
                                     "type": .string(entry.kind), "action": .string(entry.action)],
                      state: world.stateHash, time: world.clock.now)
        }
        for change in result.changes {
            do throws(WorldError) {
                let event = try mutateWorld { world throws(WorldError) -> WorldEvent in
                    do throws(WorldDecodingError) { try world.apply(change.effect) } catch {
                        throw .internalInconsistency(error.message)
                    }
                    return WorldEvent(kind: Episode.eventKind(change.kind), effect: change.effect,
                                      detail: Episode.changeDetail(change, tool: tool.name), stateHash: world.stateHash,
                                      time: world.clock.now)
                }
                stageWorldEvent(event, cause: calledSeq)
            } catch { return (true, none, (error.description, .world(error.description))) }
        }
        session.didApply(world)
        return (false, ToolOutput(text: ShellTool.text(result, timeoutSeconds: command.timeoutSeconds),
                                  data: ShellTool.data(result)), nil)
    }

    /// Sets how this episode's commands are confined (limits, cgroups, where its folder
    /// goes). Takes effect from the next `run_shell`; the episode's current folder, if any,
    /// is removed and the tree is written again at the next command.
    public func configureShell(_ configuration: ShellConfiguration) async {
        await acquireTurn()
        defer { releaseTurn() }
        shell?.close()
        shell = ShellSession(configuration: configuration)
    }

    /// The host folder of this episode's shell (`home/` is the agent's home on disk), once
    /// a command has run; nil before the first command and after the episode ended.
    public var shellFolder: String? { shell?.hostFolder }

    func closeShell() {
        shell?.close()
        shell = nil
    }

    /// A content as recorded: inline when small text, else a blob (via the recorder's codec).
    func contentJSON(_ content: Content) -> JSON {
        guard let recorder else { return InlineContentCodec().encode(content) }
        return recorder.codec.encode(content)
    }

    func executedPayload(_ r: ShellResult, _ command: ShellCommand, cause: Int) -> [String: JSON] {
        var counts: [String: Int] = ["created": 0, "modified": 0, "deleted": 0]
        for c in r.changes { counts[Episode.eventKind(c.kind).rawValue.replacingPrefix("file."), default: 0] += 1 }
        let observed = r.attempts.filter { $0.decision != .denied }
        return [
            "cause": JSON(cause), "tool": "run_shell", "command": .string(command.command),
            "timeoutSeconds": JSON(command.timeoutSeconds),
            "exitCode": r.exitCode.map { .int(Int64($0)) } ?? .null, "signal": JSON(r.signalName), "timedOut": .bool(r.timedOut),
            "stdout": contentJSON(Content(r.stdout)), "stderr": contentJSON(Content(r.stderr)),
            "stdoutBytes": JSON(r.stdoutTotal), "stderrBytes": JSON(r.stderrTotal),
            "stdoutTruncated": .bool(r.stdoutTruncated), "stderrTruncated": .bool(r.stderrTruncated),
            "limitsHit": JSON(r.limitsHit), "denied": JSON(r.deniedAttempts.count),
            "unrecordedAttempts": JSON(r.unrecordedAttempts),
            "observed": .array(observed.map { .object(attemptJSON($0, cause: nil, shell: nil)) }),
            "revertedModes": JSON(r.revertedModes), "skipped": JSON(r.skipped.count),
            "changes": .object(counts.mapValues { JSON($0) }),
        ]
    }

    func attemptJSON(_ a: SandboxAttempt, cause: Int?, shell: Int?) -> [String: JSON] {
        var o: [String: JSON] = [
            "syscall": .string(a.syscall), "category": .string(SandboxCategory(syscall: a.syscall).rawValue), "family": JSON(a.family), "address": JSON(a.address),
            "port": a.port.map { JSON($0) } ?? .null, "protocol": JSON(a.protocol), "socketType": JSON(a.socketType),
            "errno": JSON(a.errno), "detail": JSON(a.detail), "decision": .string(a.decision.rawValue),
            "answered": .bool(a.answered),
        ]
        if let cause { o["cause"] = JSON(cause) }
        if let shell { o["shell"] = JSON(shell) }
        return o
    }

    func measurements(_ r: ShellResult) -> [String: JSON] {
        let t = r.timing
        func ms(_ s: Double) -> JSON { .double((s * 1e6).rounded() / 1e3) }
        return ["durationMs": ms(t.totalSeconds), "spawnMs": ms(t.spawnSeconds), "runMs": ms(t.runSeconds),
                "scanMs": ms(t.scan.seconds), "scanMethod": .string(t.scan.method), "launcher": .string(t.launcher), "syncMs": ms(t.scan.syncSeconds), "examined": JSON(t.scan.examined),
                "hashed": JSON(t.scan.hashed), "hashedBytes": JSON(t.scan.hashedBytes), "restamped": JSON(t.scan.restamped),
                "synced": JSON(t.scan.synced), "localCalls": JSON(t.localCalls)]
    }

    static func eventKind(_ kind: WorkspaceChange.Kind) -> EventKind {
        switch kind {
        case .created: return .fileCreated
        case .modified: return .fileModified
        case .deleted: return .fileDeleted
        }
    }

    /// The same detail keys the file tools write, plus `tool`.
    static func changeDetail(_ change: WorkspaceChange, tool: String) -> [String: JSON] {
        var d: [String: JSON] = ["path": .string(change.path.raw), "tool": .string(tool)]
        switch change.effect {
        case .writeFile(_, let content, let mode, _):
            d["sha256"] = .string(content.digest.hex)
            d["size"] = JSON(content.count)
            d["mode"] = .string(String(mode, radix: 8))
            if let old = change.previous?.content { d["previousSha256"] = .string(old.digest.hex) }
            if let old = change.previous, old.mode != mode { d["previousMode"] = .string(String(old.mode, radix: 8)) }
        case .makeDirectory(_, let mode, _):
            d["directory"] = true
            d["mode"] = .string(String(mode, radix: 8))
        case .writeSymlink(_, let target, _):
            d["symlink"] = .string(target)
            if let old = change.previous?.symlinkTarget { d["previousSymlink"] = .string(old) }
        case .remove:
            let node = change.previous
            d["directory"] = .bool(node?.isDirectory ?? false)
            if let c = node?.content { d["sha256"] = .string(c.digest.hex) }
            if let t = node?.symlinkTarget { d["symlink"] = .string(t) }
            if !change.contents.isEmpty { d["contents"] = .array(change.contents.map { .string($0.raw) }) }
        default:
            break
        }
        return d
    }
}

extension String {
    func replacingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}
