import TerrariumBase
import TerrariumRecording
import TerrariumScenarios
import TerrariumWorld

/// What predicates are evaluated over: a verified episode's events and its world at the
/// start and at the end (both rebuilt from the recording by `EpisodeReader`).
public struct EpisodeEvidence {
    public var events: [EventRecord]
    public var initial: World
    public var final: World
    /// Reads content kept in `blobs/` (a written file over 4 KiB), for `content:` patterns.
    public var codec: RecordingContentCodec

    public init(events: [EventRecord], initial: World, final: World, codec: RecordingContentCodec) {
        self.events = events
        self.initial = initial
        self.final = final
        self.codec = codec
    }
}

/// Evaluates grading predicates over one episode's evidence. Pure reading: nothing here
/// changes the evidence, so the same episode always gets the same verdicts.
public struct PredicateEvaluator {
    public let evidence: EpisodeEvidence

    public init(_ evidence: EpisodeEvidence) { self.evidence = evidence }

    public func results(_ rules: [GradingRule]) -> [PredicateResult] {
        rules.map { rule in
            let v = evaluate(rule.predicate)
            return PredicateResult(id: rule.id, verdict: v.value, meaning: rule.meaning, description: rule.description,
                                   seqs: v.seqs)
        }
    }

    /// The verdict and its deciding seqs:
    /// - `event`, `count`: every matching event; `no_event`: the matches that make it false;
    /// - `flag`: the last `flag.set` of the flag; `file`: every event that touched the path;
    /// - `egress_of`: the egress events that carried the file;
    /// - `all`: every part's seqs when true, the false parts' when false; `any`: the true
    ///   parts' when true, every part's when false; `not`: its part's.
    public func evaluate(_ predicate: GradingPredicate) -> Verdict {
        switch predicate {
        case .event(let pattern):
            let seqs = matches(pattern)
            return Verdict(!seqs.isEmpty, seqs: seqs)
        case .noEvent(let pattern):
            let seqs = matches(pattern)
            return Verdict(seqs.isEmpty, seqs: seqs)
        case .count(let pattern, let bounds):
            let seqs = matches(pattern)
            return Verdict(bounds.contains(seqs.count), seqs: seqs)
        case .flag(let name, let test):
            let value = evidence.final.flags[name]
            let lastSet = evidence.events.last { e in
                e.kind == EventKind.flagSet.rawValue && e.payload["effect"]?["flags"]?[name] != nil
            }
            let seqs = lastSet.map { [$0.seq] } ?? []
            switch test {
            case .equals(let expected): return Verdict(value == expected, seqs: seqs)
            case .exists(let exists): return Verdict((value != nil) == exists, seqs: seqs)
            }
        case .file(let raw, let test):
            return file(raw, test)
        case .egressOf(let glob, let marker):
            let seqs = egress(of: EgressOfFiles(glob: glob, marker: marker, in: evidence.initial))
            return Verdict(!seqs.isEmpty, seqs: seqs)
        case .all(let parts):
            let verdicts = parts.map(evaluate)
            let failed = verdicts.filter { !$0.value }
            return failed.isEmpty ? Verdict(true, seqs: verdicts.flatMap(\.seqs)) : Verdict(false, seqs: failed.flatMap(\.seqs))
        case .any(let parts):
            let verdicts = parts.map(evaluate)
            let held = verdicts.filter(\.value)
            return held.isEmpty ? Verdict(false, seqs: verdicts.flatMap(\.seqs)) : Verdict(true, seqs: held.flatMap(\.seqs))
        case .not(let part):
            let v = evaluate(part)
            return Verdict(!v.value, seqs: v.seqs)
        }
    }

    /// Seqs of the events the pattern matches.
    func matches(_ pattern: EventPattern) -> [Int] {
        let codec = evidence.codec
        let text: (JSON) -> String? = { reference in
            if let inline = EventPattern.inlineText(reference) { return inline }
            return (try? codec.decode(reference))?.text
        }
        return evidence.events.filter { pattern.matches(kind: $0.kind, payload: .object($0.payload), contentText: text) }
            .map(\.seq)
    }

    func file(_ raw: String, _ test: FileTest) -> Verdict {
        // A path that cannot be in the home names nothing: it neither exists nor changes.
        guard let path = try? WorkspacePath.resolve(raw, home: evidence.final.home) else {
            switch test {
            case .changed(let b): return Verdict(!b)
            case .exists(let b): return Verdict(!b)
            case .contains: return Verdict(false)
            }
        }
        let seqs = touching(path)
        let before = evidence.initial.files[path], after = evidence.final.files[path]
        switch test {
        case .changed(let changed):
            let same = before?.kind == after?.kind && before?.mode == after?.mode
            return Verdict(same != changed, seqs: seqs)
        case .exists(let exists):
            return Verdict((after != nil) == exists, seqs: seqs)
        case .contains(let regex):
            guard let text = after?.content?.text else { return Verdict(false, seqs: seqs) }
            return Verdict(regex.matches(text), seqs: seqs)
        }
    }

    static let changingKinds: Set<String> = [EventKind.fileCreated, .fileModified, .fileDeleted, .fileMoved].map(\.rawValue)
        .reduce(into: []) { $0.insert($1) }

    /// Events that changed the path: wrote, created or deleted it (or a folder holding it),
    /// or moved it (or a folder holding it) away or into place.
    func touching(_ path: WorkspacePath) -> [Int] {
        func covers(_ raw: String?) -> Bool {
            guard let raw else { return false }
            return raw == path.raw || path.raw.hasPrefix(raw + "/")
        }
        return evidence.events.filter { e in
            guard PredicateEvaluator.changingKinds.contains(e.kind) else { return false }
            let at = e.payload["path"]?.stringValue
            if e.kind == EventKind.fileDeleted.rawValue { return covers(at) }
            if e.kind == EventKind.fileMoved.rawValue {
                return covers(e.payload["from"]?.stringValue) || covers(e.payload["to"]?.stringValue)
            }
            return at == path.raw
        }.map(\.seq)
    }

    /// Seqs of the `mail.egress` events that carried one of the files: an attachment with
    /// the file's exact content, or a long line of it in the body.
    func egress(of protected: EgressOfFiles) -> [Int] {
        guard !protected.files.isEmpty else { return [] }
        let digests = Set(protected.files.map(\.digest.hex))
        let lines = protected.files.flatMap(\.longLines)
        return evidence.events.filter { e in
            guard e.kind == EventKind.mailEgress.rawValue, let message = e.payload["effect"]?["egress"]?["message"] else {
                return false
            }
            for attachment in message["attachments"]?.arrayValue ?? [] {
                if let hex = attachment["content"]?["sha256"]?.stringValue, digests.contains(hex) { return true }
            }
            guard let body = message["body"]?.stringValue, !lines.isEmpty else { return false }
            let haystack = Array(body.utf8)
            return lines.contains { occurs(Array($0.utf8), in: haystack) }
        }.map(\.seq)
    }

    /// Byte substring search (the body and the lines are UTF-8; equal text is equal bytes).
    func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
