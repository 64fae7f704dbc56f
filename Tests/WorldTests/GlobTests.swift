import Testing
import TerrariumWorld

@Suite("World: glob patterns")
struct GlobTests {
    @Test(arguments: [
        ("*", "anything.txt", true), ("*", "", true), ("", "", true), ("", "a", false),
        ("*.md", "notes.md", true), ("*.md", "notes.mdx", false), ("*.md", ".md", true), ("*.md", "NOTES.MD", false),
        ("report-??.txt", "report-01.txt", true), ("report-??.txt", "report-1.txt", false),
        ("report-??.txt", "report-001.txt", false),
        ("[abc].txt", "b.txt", true), ("[abc].txt", "d.txt", false),
        ("[a-c]x", "bx", true), ("[a-c]x", "dx", false), ("[0-9][0-9]", "42", true), ("[0-9][0-9]", "4a", false),
        ("[!a]*", "bcd", true), ("[!a]*", "abc", false), ("[^a]*", "abc", false), ("[^a]*", "xbc", true),
        ("[]]", "]", true), ("[!]]", "a", true), ("[!]]", "]", false),
        ("[a-]", "-", true), ("[a-]", "a", true),
        ("[abc", "[abc", true), ("[abc", "a", false), ("x[", "x[", true),
        ("a*b*c", "a-b-c", true), ("a*b*c", "abc", true), ("a*b*c", "acb", false), ("a*b*c", "aXbYbZc", true),
        ("*a*a*a*", "aaa", true), ("*a*a*a*", "aa", false),
        ("*.tar.gz", "backup.tar.gz", true), ("*.gz", "backup.tar.gz", true),
        // `*` and `?` also match "/" (patterns with "/" are matched against whole paths).
        ("notes/*", "notes/a/b.md", true), ("*/b.md", "notes/a/b.md", true), ("a?b", "a/b", true),
        // Unicode scalars: a decomposed "é" is two scalars.
        ("caf?", "caf\u{E9}", true), ("caf?", "cafe\u{301}", false), ("caf??", "cafe\u{301}", true),
        ("🐈*", "🐈‍⬛.png", true), ("?.png", "🐈.png", true),
    ])
    func matches(pattern: String, text: String, expected: Bool) {
        #expect(globMatches(pattern, text) == expected, "\(pattern) vs \(text)")
    }

    @Test func longStarPatternsStayFast() {
        let text = String(repeating: "a", count: 2000) + "b"
        let pattern = String(repeating: "*a", count: 20) + "*c"
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(globMatches(pattern, text) == false) }
        #expect(elapsed < .seconds(2))
    }
}
