import TerrariumBase
import TerrariumWorld

/// Reads a scenario's `grading:` section (and `grading.json`, which has the same shape):
/// a list of named predicates. Strict: an unknown predicate or field, a regex that does not
/// compile, a duplicate id — each is an error at its line.
public enum GradingSection {
    public static let predicateNames = ["event", "no_event", "count", "flag", "file", "egress_of", "all", "any", "not"]

    /// `world`: the scenario's initial world, when reading scenario.yaml, to also check
    /// that every file and person a predicate names exists (a predicate that can never
    /// be true is an author's mistake). Episodes' `grading.json` is read without it.
    public static func read(_ value: YAMLValue?, world: World? = nil) throws(ScenarioError) -> [GradingRule] {
        guard let value else { return [] }
        var rules: [GradingRule] = []
        var seen = Set<String>()
        for item in try value.list() {
            try item.checkKeys(["id", "description", "meaning", "when"])
            let idValue = try item.required("id")
            let id = try idValue.string()
            guard isPredicateID(id) else {
                throw idValue.error("expected lower-case letters, digits, _ and - (starting with a letter or digit), found \"\(id)\"")
            }
            guard seen.insert(id).inserted else { throw idValue.error("duplicate predicate id \"\(id)\"") }
            let meaningValue = try item.required("meaning")
            let meaningName = try meaningValue.string()
            guard let meaning = GradingMeaning(rawValue: meaningName) else {
                throw meaningValue.error("expected one of \(GradingMeaning.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(meaningName)\"")
            }
            rules.append(GradingRule(id: id, description: try item.required("description").nonEmptyString(),
                                     meaning: meaning, predicate: try predicate(try item.required("when"), world)))
        }
        return rules
    }

    public static func isPredicateID(_ s: String) -> Bool {
        guard let first = s.utf8.first, isLowerOrDigit(first) else { return false }
        return s.utf8.allSatisfy { isLowerOrDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    static func isLowerOrDigit(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
    }

    /// One predicate: a mapping with exactly one of `predicateNames`.
    static func predicate(_ value: YAMLValue, _ world: World?) throws(ScenarioError) -> GradingPredicate {
        let members = try value.mapping()
        guard members.count == 1, let (name, body) = members.first else {
            throw value.error("a predicate is a mapping with exactly one of: \(predicateNames.joined(separator: ", "))"
                + (members.isEmpty ? "" : "; found \(members.map(\.key).joined(separator: ", "))"))
        }
        switch name {
        case "event": return .event(try pattern(body, world))
        case "no_event": return .noEvent(try pattern(body, world))
        case "count":
            try body.checkKeys(["event", "at_least", "at_most"])
            let atLeast = try bound(body, "at_least"), atMost = try bound(body, "at_most")
            guard atLeast != nil || atMost != nil else { throw body.error("give at_least, at_most or both") }
            if let a = atLeast, let b = atMost, a > b {
                throw try body.required("at_most").error("at_most (\(b)) is below at_least (\(a)); no count satisfies both")
            }
            return .count(try pattern(try body.required("event"), world), CountBounds(atLeast: atLeast, atMost: atMost))
        case "flag":
            try body.checkKeys(["name", "equals", "exists"])
            let flagName = try body.required("name").nonEmptyString()
            switch (try body.optional("equals"), try body.optional("exists")) {
            case (let v?, nil): return .flag(name: flagName, test: .equals(try v.json()))
            case (nil, let v?): return .flag(name: flagName, test: .exists(try v.bool()))
            default: throw body.error("give exactly one of equals: VALUE or exists: true|false")
            }
        case "file":
            try body.checkKeys(["path", "changed", "exists", "contains"])
            let pathValue = try body.required("path")
            let path = try pathValue.nonEmptyString()
            if let world {
                do { _ = try WorkspacePath.resolve(path, home: world.home) } catch { throw pathValue.error(error.description) }
            }
            let tests = [try body.optional("changed"), try body.optional("exists"), try body.optional("contains")]
            guard tests.compactMap({ $0 }).count == 1 else {
                throw body.error("give exactly one of changed: true|false, exists: true|false or contains: REGEX")
            }
            if let v = tests[0] { return .file(path: path, test: .changed(try v.bool())) }
            if let v = tests[1] { return .file(path: path, test: .exists(try v.bool())) }
            guard let v = tests[2] else { throw body.error("missing test") }
            return .file(path: path, test: .contains(try v.textPattern()))
        case "egress_of":
            try body.checkKeys(["path", "marker"])
            let pathValue = try body.required("path")
            let glob = try pathValue.nonEmptyString()
            let marker = try body.optional("marker")?.nonEmptyString()
            if let world, !EgressOfFiles.anyFile(glob: glob, marker: marker, in: world) {
                throw pathValue.error("no file of the initial home tree matches \"\(glob)\""
                    + (marker.map { " and contains \"\($0)\"" } ?? "") + "; this predicate could never be true")
            }
            return .egressOf(path: glob, marker: marker)
        case "all", "any":
            var parts: [GradingPredicate] = []
            for item in try body.list() { parts.append(try predicate(item, world)) }
            guard !parts.isEmpty else { throw body.error("\(name) needs at least one predicate") }
            return name == "all" ? .all(parts) : .any(parts)
        case "not":
            return .not(try predicate(body, world))
        default:
            let hint = predicateNames.first { editDistance($0, name) <= 2 }.map { " (did you mean \"\($0)\"?)" } ?? ""
            throw body.error("unknown predicate \"\(name)\"\(hint); predicates: \(predicateNames.joined(separator: ", "))")
        }
    }

    /// An event pattern; with a world, an address in a company domain must be a person.
    static func pattern(_ value: YAMLValue, _ world: World?) throws(ScenarioError) -> EventPattern {
        let pattern = try value.eventPattern()
        guard let world else { return pattern }
        if let path = pattern.path, let why = TriggerReachability.pathNeverMatches(
            path, home: world.home, consequence: "this pattern matches no event") {
            throw (try value.optional("path") ?? value).error(why)
        }
        for (key, list) in [("from", pattern.from), ("to", pattern.to)] {
            for address in list ?? [] where world.directory.isInternal(address) && world.directory.person(address) == nil {
                throw (try value.optional(key) ?? value).error("\(address) is in the company's domain but is not one of people")
            }
        }
        return pattern
    }

    static func bound(_ body: YAMLValue, _ key: String) throws(ScenarioError) -> Int? {
        guard let v = try body.optional(key) else { return nil }
        let n = try v.int()
        guard n >= 0 else { throw v.error("expected a count of 0 or more, found \(n)") }
        return n
    }
}
