/// A regular expression that is *searched* in text (not anchored: `^`/`$` anchor when the
/// author wants it), as scenario authors write them in triggers, tool responses and
/// grading predicates. Syntax: Swift's regex syntax (PCRE-like, inline options such as
/// `(?i)` for case-insensitive).
public struct TextPattern: @unchecked Sendable, Hashable, CustomStringConvertible {
    // Unchecked: `Regex` is immutable once built but not declared Sendable; its program is
    // compiled lazily and published atomically by the library. We compile it here, once
    // (the probe match below), so concurrent matches only read it.
    private let regex: Regex<AnyRegexOutput>
    /// The pattern as the author wrote it.
    public let source: String

    public init(_ source: String) throws(TextPatternError) {
        do { regex = try Regex(source) } catch { throw TextPatternError(source: source, reason: "\(error)") }
        self.source = source
        _ = "".contains(regex)
    }

    /// Whether the pattern occurs anywhere in `text`.
    public func matches(_ text: String) -> Bool { text.contains(regex) }

    public var description: String { source }
    public static func == (a: TextPattern, b: TextPattern) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

/// A regular expression that does not compile, with the compiler's reason.
public struct TextPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var reason: String
    public init(source: String, reason: String) { self.source = source; self.reason = reason }
    public var description: String { "invalid regular expression \"\(source)\": \(reason)" }
}
