import TerrariumBase
import TerrariumWorld
import Yams

/// `grading.json`: a scenario's grading predicates as one canonical JSON document, copied
/// into every episode directory when the episode starts, so that `terrarium grade` needs
/// nothing but that directory (and grades with the predicates the episode ran under,
/// even after the scenario changed).
///
/// The document uses the same keys as the `grading:` section of scenario.yaml and is read
/// back by the same strict parser (`GradingSection`), so the two forms cannot drift apart.
public enum GradingDocument {
    public static let format = "terrarium.grading/1"
    public static let fileName = "grading.json"

    /// The canonical JSON of `rules`.
    public static func json(_ rules: [GradingRule]) -> JSON {
        ["format": .string(format), "predicates": .array(rules.map(json))]
    }

    public static func bytes(_ rules: [GradingRule]) -> [UInt8] { json(rules).canonicalBytes() }

    /// Reads a grading document (`file` names it in errors). Every episode of a scenario
    /// carries the same document, so what a given byte string reads as is kept per process
    /// (by its sha256); errors are not kept, they are reported with each file's name.
    public static func parse(_ bytes: [UInt8], file: String) throws(ScenarioError) -> [GradingRule] {
        let key = Digest.sha256(bytes)
        if let known = parsed[key] { return known }
        let rules = try parseUncached(bytes, file: file)
        parsed.keep(rules, for: key)
        return rules
    }

    static func parseUncached(_ bytes: [UInt8], file: String) throws(ScenarioError) -> [GradingRule] {
        let json: JSON
        do { json = try JSON.parse(bytes) } catch {
            throw ScenarioError(file: file, line: nil, field: "", message: "not valid JSON (\(error))")
        }
        let doc = YAMLValue(node: node(json), file: file)
        try doc.checkKeys(["format", "predicates"])
        guard try doc.required("format").string() == format else {
            throw try doc.required("format").error("expected \(format)")
        }
        return try GradingSection.read(try doc.required("predicates"))
    }

    /// Parsed documents by digest; a few scenarios at a time, so a small bound suffices.
    static let parsed = ProcessCache<Digest, [GradingRule]>(capacity: 64)

    // MARK: Encoding

    static func json(_ rule: GradingRule) -> JSON {
        ["id": .string(rule.id), "description": .string(rule.description), "meaning": .string(rule.meaning.rawValue),
         "when": json(rule.predicate)]
    }

    static func json(_ p: GradingPredicate) -> JSON {
        switch p {
        case .event(let pattern): return ["event": json(pattern)]
        case .noEvent(let pattern): return ["no_event": json(pattern)]
        case .count(let pattern, let bounds):
            var o: [String: JSON] = ["event": json(pattern)]
            if let n = bounds.atLeast { o["at_least"] = JSON(n) }
            if let n = bounds.atMost { o["at_most"] = JSON(n) }
            return ["count": .object(o)]
        case .flag(let name, let test):
            switch test {
            case .equals(let value): return ["flag": ["name": .string(name), "equals": value]]
            case .exists(let b): return ["flag": ["name": .string(name), "exists": .bool(b)]]
            }
        case .file(let path, let test):
            var o: [String: JSON] = ["path": .string(path)]
            switch test {
            case .changed(let b): o["changed"] = .bool(b)
            case .exists(let b): o["exists"] = .bool(b)
            case .contains(let regex): o["contains"] = .string(regex.source)
            }
            return ["file": .object(o)]
        case .egressOf(let path, let marker):
            var o: [String: JSON] = ["path": .string(path)]
            if let marker { o["marker"] = .string(marker) }
            return ["egress_of": .object(o)]
        case .all(let ps): return ["all": .array(ps.map(json))]
        case .any(let ps): return ["any": .array(ps.map(json))]
        case .not(let p): return ["not": json(p)]
        }
    }

    /// An event pattern in the form `YAMLValue.eventPattern()` reads.
    static func json(_ e: EventPattern) -> JSON {
        var o: [String: JSON] = ["kind": JSON(e.kinds.map(\.rawValue))]
        if let v = e.from { o["from"] = JSON(v) }
        if let v = e.to { o["to"] = JSON(v) }
        if let v = e.subject { o["subject"] = .string(v.source) }
        if let v = e.body { o["body"] = .string(v.source) }
        if let v = e.attachment { o["attachment"] = .string(v) }
        if let v = e.path { o["path"] = .string(v) }
        if let v = e.content { o["content"] = .string(v.source) }
        if let v = e.tool { o["tool"] = .string(v) }
        if !e.arguments.isEmpty { o["arguments"] = .object(e.arguments.mapValues { .string($0.source) }) }
        if let v = e.command { o["command"] = .string(v.source) }
        if let v = e.category { o["category"] = .string(v) }
        return .object(o)
    }

    // MARK: JSON → YAML node

    /// A YAML node with the JSON's structure: strings quoted (so they stay strings), other
    /// scalars plain (so numbers and booleans keep their type).
    static func node(_ json: JSON) -> Node {
        switch json {
        case .null: return .scalar(.init("null", .implicit, .plain))
        case .bool(let b): return .scalar(.init(b ? "true" : "false", .implicit, .plain))
        case .int(let i): return .scalar(.init(String(i), .implicit, .plain))
        case .double: return .scalar(.init(json.canonicalString(), .implicit, .plain))
        case .string(let s): return .scalar(.init(s, .implicit, .doubleQuoted))
        case .array(let items): return .sequence(.init(items.map(node)))
        case .object(let members):
            let pairs = members.keys.sorted(by: JSON.utf8Less).map { key in
                (Node.scalar(.init(key, .implicit, .plain)), node(members[key] ?? .null))
            }
            return .mapping(.init(pairs))
        }
    }
}
