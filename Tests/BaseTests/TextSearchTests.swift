import Testing
import TerrariumBase

@Suite("Base: text search helpers")
struct TextSearchTests {
    @Test func caseInsensitiveContains() {
        #expect(containsIgnoringCase("Hello World", "WORLD"))
        #expect(containsIgnoringCase("Hello", ""))
        #expect(!containsIgnoringCase("", "a"))
        #expect(!containsIgnoringCase("Hello", "hellos"))
        #expect(containsIgnoringCase("CRÈME brûlée", "crème"))
        #expect(containsIgnoringCase("naïve", "NAÏVE"))
        #expect(containsIgnoringCase("a@B.co", "@b.CO"))
    }

    @Test func firstMatchOffsets() {
        let bytes = Array("abc\nXYZ xyz\n".utf8)
        #expect(firstMatchIgnoringCase(in: bytes, "xyz") == 4)
        #expect(firstMatchIgnoringCase(in: bytes, "") == 0)
        #expect(firstMatchIgnoringCase(in: bytes, "nope") == nil)
        #expect(firstMatchIgnoringCase(in: [], "a") == nil)
        // A non-ASCII needle finds the start of the matching line.
        #expect(firstMatchIgnoringCase(in: Array("one\ntwo CAFÉ\n".utf8), "café") == 4)
    }

    @Test func lineRangesWithAndWithoutFinalNewline() {
        #expect(lineRanges(Array("a\nbc\n".utf8)) == [0..<1, 2..<4])
        #expect(lineRanges(Array("a\nbc".utf8)) == [0..<1, 2..<4])
        #expect(lineRanges(Array("\n\n".utf8)) == [0..<0, 1..<1])
        #expect(lineRanges([]) == [])
        #expect(lineRanges(Array("x".utf8)) == [0..<1])
    }
}
