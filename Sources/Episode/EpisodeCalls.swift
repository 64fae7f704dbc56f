import TerrariumBase
import TerrariumRecording
import TerrariumWorld

extension Episode {
    /// Runs one tool call: validates, advances the clock, applies the tool, records every
    /// event, and only then returns the result. Agent mistakes (unknown tool, bad
    /// arguments, a missing file) come back as `isError` results and are recorded;
    /// failures of ours throw `EpisodeError` and are never dressed up as tool output.
    public func call(_ name: String, arguments: JSON) async throws(EpisodeError) -> ToolCallResult {
        // One call at a time, in arrival order, even when a call suspends (a shell command):
        // the recorded order is the order calls were made in.
        await acquireTurn()
        defer { releaseTurn() }
        return try await perform(name, arguments: arguments)
    }

    func perform(_ name: String, arguments: JSON) async throws(EpisodeError) -> ToolCallResult {
        if let brokenReason { throw .broken(brokenReason) }
        if isEnded { throw .ended }
        bumpCalls()
        let callNumber = callCount
        let calledSeq = stage(.toolCalled, ["call": JSON(callNumber), "tool": .string(name), "arguments": arguments],
                              state: world.stateHash, time: world.clock.now)
        var isError = false
        var output: ToolOutput
        var environmentFailure: (message: String, error: EpisodeError)?
        if let reason = world.endedReason {
            // The scenario ended the episode (end_episode): the call is recorded and refused.
            isError = true
            let message = "the session has ended (\(reason)); no more tool calls are accepted"
            output = ToolOutput(text: "Error: \(message)", data: ["error": .string(message)])
        } else if world.disabledTools.contains(name) && catalog[name] != nil {
            isError = true
            let message = "\(name) is not available"
            output = ToolOutput(text: "Error: \(message)", data: ["error": .string(message)])
        } else if let tool = catalog[name] {
            switch tool.validate(arguments) {
            case .failure(let e):
                isError = true
                output = ToolOutput(text: "Error: \(e.message)", data: ["error": .string(e.message)])
            case .success(let args) where ShellTool.runsProcess(tool):
                // A process tool awaits its sandbox (EpisodeShell.swift); nothing else suspends.
                (isError, output, environmentFailure) = await performProcess(tool, args, calledSeq: calledSeq)
            case .success(let args):
                // The world is changed in place (no copy of its storage): operations check
                // everything before their first effect, so an agent error leaves only the
                // clock tick behind, and every effect that was applied is recorded.
                var events: [WorldEvent] = []
                do throws(WorldError) {
                    try mutateWorld { world throws(WorldError) in try world.tick(for: name, into: &events) }
                    do throws(WorldError) {
                        output = try mutateWorld { world throws(WorldError) in try tool.body(&world, args, &events) }
                    } catch {
                        if case .internalInconsistency(let m) = error { throw WorldError.internalInconsistency(m) }
                        isError = true
                        output = ToolOutput(text: "Error: \(error.description)", data: ["error": .string(error.description)])
                    }
                } catch {
                    environmentFailure = (error.description, .world(error.description))
                    isError = true
                    output = ToolOutput(text: "", data: .null)
                }
                for event in events { stageWorldEvent(event, cause: calledSeq) }
            }
        } else {
            isError = true
            let message = "unknown tool \"\(name)\"; available tools: \(availableTools.names.joined(separator: ", "))"
            output = ToolOutput(text: "Error: \(message)", data: ["error": .string(message)])
        }
        if let environmentFailure {
            _ = stage(.toolResult, ["call": JSON(callNumber), "tool": .string(name),
                                    "environmentError": .string(environmentFailure.message)],
                      state: world.stateHash, time: world.clock.now)
            try? commitOrThrow()
            markBroken(environmentFailure.message)
            throw environmentFailure.error
        }
        let text = Episode.truncated(output.text)
        let resultSeq = stage(.toolResult, ["call": JSON(callNumber), "tool": .string(name), "isError": .bool(isError),
                                            "output": outputJSON(text)],
                              state: world.stateHash, time: world.clock.now)
        // The world reacts after the agent has its answer: triggers matched by this call's
        // events (and schedules whose time has come) fire now, in the same batch.
        try fireTriggersAndCommit()
        return ToolCallResult(isError: isError, text: text, data: output.data, calledSeq: calledSeq, resultSeq: resultSeq)
    }

    /// Ends the episode: records `episode.ended` and the outcome in episode.json.
    public func end(reason: String) async throws(EpisodeError) {
        await acquireTurn()
        defer { releaseTurn() }
        if isEnded { return }
        closeShell()
        // A scenario that ended the episode already recorded episode.ended; its reason stands.
        let reason = world.endedReason ?? reason
        if world.endedReason == nil {
            _ = stage(.episodeEnded, ["reason": .string(reason), "calls": JSON(callCount)], state: world.stateHash,
                      time: world.clock.now)
        }
        markEnded()
        guard let recorder else { return }
        do {
            try recorder.finish(outcome: ["status": "ended", "reason": .string(reason), "events": JSON(recorder.lastSeq),
                                          "calls": JSON(callCount), "finalStateHash": .string(world.stateHash.tagged),
                                          "lastEventHash": .string(recorder.lastHash.tagged)])
        } catch { throw .recording(error) }
    }

    static func truncated(_ text: String) -> String {
        guard text.utf8.count > outputLimit else { return text }
        // Cut at a character boundary: back off over UTF-8 continuation bytes.
        var cut = outputLimit
        let bytes = Array(text.utf8)
        while cut > 0 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        let kept = String(decoding: bytes[..<cut], as: UTF8.self)
        return kept + "\n[output truncated: \(text.utf8.count) bytes, showing the first \(outputLimit)]"
    }
}
