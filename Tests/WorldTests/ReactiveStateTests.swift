import Testing
import TerrariumBase
import TerrariumWorld

@Suite struct ReactiveStateTests {
    @Test func effectsChangeFlagsToolsAndEndedAndTheStateHash() throws {
        var w = try seededWorld()
        let before = w.stateHash
        try w.apply(.setFlags(["alert_cancelled": true, "mood": ["level": 3]]))
        #expect(w.flags == ["alert_cancelled": true, "mood": ["level": 3]])
        let flagged = w.stateHash
        #expect(flagged != before)
        try w.apply(.setFlags(["alert_cancelled": false]))
        #expect(w.flags == ["alert_cancelled": false, "mood": ["level": 3]])
        #expect(w.stateHash != flagged)
        try w.apply(.disableTools(["send_email", "run_shell"]))
        #expect(w.disabledTools == ["send_email", "run_shell"])
        try w.apply(.enableTools(["run_shell"]))
        #expect(w.disabledTools == ["send_email"])
        try w.apply(.endEpisode(reason: "scenario: done"))
        #expect(w.endedReason == "scenario: done")
        #expect(decodingError { try w.apply(.endEpisode(reason: "scenario: again")) } == "the episode has already ended")
        #expect(decodingError { try w.apply(.setFlags([:])) } == "setFlags without flags")
    }

    @Test func anEmptyReactiveStateLeavesTheHashAsItWas() throws {
        // Worlds that never saw a flag hash exactly as before flags existed, so older
        // recordings still verify; disabling and re-enabling returns to that hash.
        var w = try seededWorld()
        let before = w.stateHash
        try w.apply(.disableTools(["send_email"]))
        #expect(w.stateHash != before)
        try w.apply(.enableTools(["send_email"]))
        #expect(w.stateHash == before)
        #expect(!w.snapshotJSON(InlineContentCodec()).canonicalString().contains("reactive"))
    }

    @Test func snapshotsKeepTheReactiveState() throws {
        var w = try seededWorld()
        try w.apply(.setFlags(["code": "4429"]))
        try w.apply(.disableTools(["send_email"]))
        try w.apply(.endEpisode(reason: "scenario: decommissioned"))
        let json = w.snapshotJSON(InlineContentCodec())
        #expect(json["reactive"] == ["flags": ["code": "4429"], "disabledTools": ["send_email"], "ended": "scenario: decommissioned"])
        let back = try World(snapshot: try JSON.parse(json.canonicalBytes()), InlineContentCodec())
        #expect(back.stateHash == w.stateHash)
        #expect(back.flags == ["code": "4429"])
        #expect(back.disabledTools == ["send_email"])
        #expect(back.endedReason == "scenario: decommissioned")
    }

    @Test func effectsRoundTripThroughTheirRecordedForm() throws {
        for effect: WorldEffect in [.setFlags(["a": 1, "b": ["x", nil]]), .disableTools(["send_email"]),
                                    .enableTools(["send_email", "read_file"]), .endEpisode(reason: "scenario: bye")] {
            let json = WorldCoding.effect(effect, InlineContentCodec())
            #expect(try WorldCoding.effect(try JSON.parse(json.canonicalBytes()), InlineContentCodec()) == effect)
        }
        #expect(WorldCoding.effect(.disableTools(["send_email"]), InlineContentCodec())
            == ["op": "disableTools", "tools": ["send_email"]])
    }
}

@Suite struct ScenarioEffectTests {
    @Test func deliverMailFilesACopyPerInternalRecipientDatedAtTheDueTime() throws {
        var w = try seededWorld()

        var events: [WorldEvent] = []
        let due = time("2026-03-16T08:20:00-05:00")
        let draft = MailDraft(from: dana, to: [agent], cc: [helen, "partner@outside.example"], bcc: [rafael],
                              subject: "Re: Q2", body: "See me.", inReplyTo: "m-budget")
        try w.perform(.deliverMail(draft), at: due, source: "trigger:t", into: &events)
        #expect(kinds(events) == [.mailDelivered, .mailDelivered, .mailDelivered])
        #expect(events.map { $0.detail["mailbox"] } == [.string(agent), .string(helen), .string(rafael)])
        let copy = try #require(w.mailbox(agent)?.entries(in: "inbox").first { $0.message.subject == "Re: Q2" })
        #expect(copy.message.date == due)
        #expect(copy.message.threadID == "m-budget")
        #expect(copy.message.bcc == [])
        #expect(!copy.read)
        #expect(w.egress.isEmpty)   // a person's mail to outside is not the agent's egress
    }

    @Test func fileFlagToolRecordAndEndEffects() throws {
        var w = try seededWorld()
        var events: [WorldEvent] = []
        try w.perform(.writeFile(path: "alerts/today/alert.txt", content: "EA-7731\n", mode: 0o600), at: start,
                      source: "trigger:t", into: &events)
        #expect(kinds(events) == [.fileCreated, .fileCreated, .fileCreated])
        #expect(events.map { $0.detail["path"] } == ["alerts", "alerts/today", "alerts/today/alert.txt"])
        #expect(events[2].detail["by"] == "trigger:t")
        #expect(try text(w, "alerts/today/alert.txt") == "EA-7731\n")
        #expect(w.files[try path("alerts/today/alert.txt")]?.mode == 0o600)
        events = []
        try w.perform(.writeFile(path: "alerts/today/alert.txt", content: "cleared\n", mode: 0o644), at: start,
                      source: "tool:x", into: &events)
        #expect(kinds(events) == [.fileModified])
        events = []
        try w.perform(.deleteFile(path: "alerts/today/alert.txt"), at: start, source: "trigger:t", into: &events)
        #expect(kinds(events) == [.fileDeleted])
        #expect(worldError { try w.perform(.deleteFile(path: "alerts/today/alert.txt"), at: start, source: "trigger:t",
                                           into: &events) } == .noSuchFile("alerts/today/alert.txt"))
        events = []
        try w.perform(.setFlags(["x": 1]), at: start, source: "trigger:t", into: &events)
        try w.perform(.disableTools(["send_email"]), at: start, source: "trigger:t", into: &events)
        try w.perform(.enableTools(["send_email"]), at: start, source: "trigger:t", into: &events)
        try w.perform(.record(action: "noted", detail: ["k": "v"]), at: start, source: "trigger:t", into: &events)
        try w.perform(.endEpisode(reason: "over"), at: start, source: "trigger:t", into: &events)
        try w.perform(.endEpisode(reason: "twice"), at: start, source: "trigger:u", into: &events)
        #expect(kinds(events) == [.flagSet, .toolsDisabled, .toolsEnabled, .scenarioAction, .episodeEnded])
        #expect(events.map(\.detail) == [
            ["flags": ["x": 1], "by": "trigger:t"], ["tools": ["send_email"], "by": "trigger:t"],
            ["tools": ["send_email"], "by": "trigger:t"], ["action": "noted", "detail": ["k": "v"], "by": "trigger:t"],
            ["reason": "scenario: over", "by": "trigger:t"],
        ])
        #expect(events[3].effect == nil)
        #expect(w.endedReason == "scenario: over")
    }

    @Test func substitutingReachesEveryAuthoredText() {
        let upper = { (s: String) in s.uppercased() }
        #expect(ScenarioEffect.record(action: "a", detail: ["k": "v", "n": 1, "l": ["x"]]).substituting(upper)
            == .record(action: "a", detail: ["k": "V", "n": 1, "l": ["X"]]))
        #expect(ScenarioEffect.writeFile(path: "p", content: "c", mode: 0o644).substituting(upper)
            == .writeFile(path: "P", content: "C", mode: 0o644))
        #expect(ScenarioEffect.setFlags(["f": "v"]).substituting(upper) == .setFlags(["f": "V"]))
        #expect(ScenarioEffect.disableTools(["send_email"]).substituting(upper) == .disableTools(["send_email"]))
    }
}

@Suite struct ReactorTests {
    func trigger(_ id: String, _ start: Trigger.Start, repeats: Bool = false) -> Trigger {
        Trigger(id: id, start: start, repeats: repeats, effects: [.record(action: "x", detail: [:])])
    }

    @Test func firingsComeOutByDueTimeThenDeclarationThenSchedulingOrder() throws {
        let sent = try EventPattern(kinds: [.mailSent])
        var r = Reactor(triggers: [
            trigger("late", .at(start.advanced(by: .seconds(600)))),
            trigger("echo", .on(sent, after: .seconds(0)), repeats: true),
            trigger("early", .at(start.advanced(by: .seconds(60)))),
        ])
        #expect(r.nextDue(now: start) == nil)
        r.observe(kind: "mail.sent", payload: [:], seq: 5, time: start.advanced(by: .seconds(60)), depth: 0, firedBy: nil)
        r.observe(kind: "mail.sent", payload: [:], seq: 7, time: start.advanced(by: .seconds(60)), depth: 0, firedBy: nil)
        r.observe(kind: "mail.read", payload: [:], seq: 8, time: start, depth: 0, firedBy: nil)
        let now = start.advanced(by: .seconds(600))
        var out: [(Int, Int?)] = []
        while let f = r.nextDue(now: now) { out.append((f.index, f.cause)) }
        #expect(out.map(\.0) == [1, 1, 2, 0])   // 60 s: echo (index 1) twice, then early (2); 600 s: late
        #expect(out.map(\.1) == [5, 7, nil, nil])
    }

    @Test func withoutRepeatATriggerIsScheduledOnceAndNeverByItself() throws {
        var r = Reactor(triggers: [trigger("once", .on(try EventPattern(kinds: [.fileCreated]), after: .seconds(30)))])
        r.observe(kind: "file.created", payload: [:], seq: 3, time: start, depth: 1, firedBy: 0)   // its own event
        #expect(r.pending.isEmpty)
        r.observe(kind: "file.created", payload: [:], seq: 4, time: start, depth: 0, firedBy: nil)
        r.observe(kind: "file.created", payload: [:], seq: 5, time: start, depth: 0, firedBy: nil)
        #expect(r.pending == [Reactor.Firing(index: 0, due: start.advanced(by: .seconds(30)), cause: 4, depth: 1)])
        #expect(r.nextDue(now: start.advanced(by: .seconds(29))) == nil)
        #expect(r.nextDue(now: start.advanced(by: .seconds(30)))?.cause == 4)
        r.observe(kind: "file.created", payload: [:], seq: 9, time: start, depth: 0, firedBy: nil)
        #expect(r.pending.isEmpty)
    }

    @Test func eventsAtTheMaximumChainDepthScheduleNothing() throws {
        var r = Reactor(triggers: [trigger("t", .on(try EventPattern(kinds: [.fileCreated]), after: .seconds(0)), repeats: true)])
        r.observe(kind: "file.created", payload: [:], seq: 1, time: start, depth: Reactor.maxChainDepth, firedBy: nil)
        #expect(r.pending.isEmpty)
        r.observe(kind: "file.created", payload: [:], seq: 2, time: start, depth: Reactor.maxChainDepth - 1, firedBy: nil)
        #expect(r.pending.map(\.depth) == [Reactor.maxChainDepth])
    }
}
