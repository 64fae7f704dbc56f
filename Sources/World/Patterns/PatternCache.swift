import Foundation

/// Compiled patterns by source, once per process: grading reads a recorded scenario's
/// patterns again for every episode, and a runner or host loads the same scenario for
/// thousands of episodes. Both the own programs and Swift `Regex` values are kept.
final class PatternCache: @unchecked Sendable {
    // Unchecked: every access to the dictionaries holds `lock`. A `PatternProgram` is
    // immutable; a `Regex` is immutable once its program is built, which `regex(_:)` does
    // (the probe match) before sharing it, so concurrent matches only read it.
    static let shared = PatternCache()
    /// Scenario patterns are few; the bound only stops a host that loads endless distinct
    /// scenarios from growing without limit.
    static let capacity = 4096

    private let lock = NSLock()
    /// nil: the source is outside the subset (Swift's engine matches it).
    private var programs: [String: PatternProgram?] = [:]
    private var regexes: [String: Regex<AnyRegexOutput>] = [:]

    /// The own program for `source`, or nil when Swift's engine must match it.
    func program(_ source: String) -> PatternProgram? {
        if let known = lock.withLock({ programs[source] }) { return known }
        var program: PatternProgram?
        if let (node, flags) = PatternParser.parse(source) { program = PatternProgram.compile(node, flags: flags) }
        lock.withLock {
            if programs.count >= PatternCache.capacity { programs.removeAll() }
            programs[source] = .some(program)
        }
        return program
    }

    func regex(_ source: String) throws(TextPatternError) -> Regex<AnyRegexOutput> {
        if let known = lock.withLock({ regexes[source] }) { return known }
        let regex: Regex<AnyRegexOutput>
        do { regex = try Regex(source) } catch { throw TextPatternError(source: source, reason: "\(error)") }
        _ = "".contains(regex)
        lock.withLock {
            if regexes.count >= PatternCache.capacity { regexes.removeAll() }
            regexes[source] = regex
        }
        return regex
    }

    /// Matches with Swift's engine. Only sources `TextPattern` accepted come here, and
    /// those compile (checked when the pattern was made, or by the subset being Swift's);
    /// one that did not would match nothing rather than stop the episode.
    func swiftMatches(_ source: String, _ text: String) -> Bool {
        guard let regex = try? regex(source) else { return false }
        return text.contains(regex)
    }
}
