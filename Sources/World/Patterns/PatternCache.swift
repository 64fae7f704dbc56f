import TerrariumBase

/// Compiled patterns by source, once per process: grading reads a recorded scenario's
/// patterns again for every episode, and a runner or host loads the same scenario for
/// thousands of episodes. Both the own programs and Swift `Regex` values are kept.
enum PatternCache {
    /// Scenario patterns are few; the bound only stops a host that loads endless distinct
    /// scenarios from growing without limit.
    static let capacity = 4096
    /// nil inside: the source is outside the subset (Swift's engine matches it).
    private static let programs = ProcessCache<String, PatternProgram?>(capacity: capacity)
    /// A `Regex` is immutable once its program is built, which `regex(_:)` does (the probe
    /// match) before sharing it, so concurrent matches only read it.
    private static let regexes = ProcessCache<String, Regex<AnyRegexOutput>>(capacity: capacity)

    /// The own program for `source`, or nil when Swift's engine must match it.
    static func program(_ source: String) -> PatternProgram? {
        if let known = programs[source] { return known }
        let program = PatternParser.parse(source).flatMap { PatternProgram.compile($0.0, flags: $0.1) }
        programs.keep(program, for: source)
        return program
    }

    static func regex(_ source: String) throws(TextPatternError) -> Regex<AnyRegexOutput> {
        if let known = regexes[source] { return known }
        let regex: Regex<AnyRegexOutput>
        do { regex = try Regex(source) } catch { throw TextPatternError(source: source, reason: "\(error)") }
        _ = "".contains(regex)
        regexes.keep(regex, for: source)
        return regex
    }

    /// Matches with Swift's engine. Only sources `TextPattern` accepted come here, and
    /// those compile (checked when the pattern was made, or by the subset being Swift's);
    /// one that did not would match nothing rather than stop the episode.
    static func swiftMatches(_ source: String, _ text: String) -> Bool {
        guard let regex = try? regex(source) else { return false }
        return text.contains(regex)
    }
}
