import Foundation

/// A regular expression that is *searched* in text (not anchored: `^`/`$` anchor when the
/// author wants it), as scenario authors write them in triggers, tool responses and
/// grading predicates. Syntax and meaning: Swift's regex syntax (PCRE-like, inline options
/// such as `(?i)` for case-insensitive), matched on whole characters.
///
/// Most patterns authors write (keywords, alternations, classes, counted repeats,
/// lookaheads, `(?ims)`) are matched by Terrarium's own NFA search (`PatternSearch`),
/// which gives the same answers far faster; the rest, and the rare text where that search
/// cannot decide, go to Swift's `Regex`. Both are compiled once per process (`PatternCache`).
public struct TextPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as the author wrote it.
    public let source: String
    /// nil: outside the subset `PatternParser` knows; Swift's engine matches it.
    private let program: PatternProgram?

    public init(_ source: String) throws(TextPatternError) {
        self.source = source
        program = PatternCache.program(source)
        // Outside the subset: compiled now, so an invalid pattern is reported when the
        // scenario loads.
        if program == nil { _ = try PatternCache.regex(source) }
    }

    /// Whether the pattern occurs anywhere in `text`.
    public func matches(_ text: String) -> Bool {
        if let program, let answer = TextScalars.withCharacters(of: text, { PatternProgram.decide(program, in: $0) }), let answer {
            return answer
        }
        return PatternCache.swiftMatches(source, text)
    }

    public var description: String { source }
    public static func == (a: TextPattern, b: TextPattern) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

extension PatternProgram {
    /// true or false when the search can tell, nil when Swift's `Regex` must.
    static func decide(_ program: PatternProgram, in text: UnsafeBufferPointer<UInt32>) -> Bool? {
        var possible = PatternSearch(program: program, text: text, mode: .possible)
        let mayMatch = possible.run()
        if !mayMatch || !possible.metUnknown { return mayMatch }
        var certain = PatternSearch(program: program, text: text, mode: .certain)
        return certain.run() ? true : nil
    }
}

/// A regular expression that does not compile, with the compiler's reason.
public struct TextPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var reason: String
    public init(source: String, reason: String) { self.source = source; self.reason = reason }
    public var description: String { "invalid regular expression \"\(source)\": \(reason)" }
}
