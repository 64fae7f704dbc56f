/// A text as one scalar per character, for `PatternSearch`; nil when some character of
/// the text is several scalars (CR LF, a letter with a combining accent, an emoji
/// sequence), where matching by scalar and matching by character, as Swift's `Regex`
/// does, can differ.
enum TextScalars {
    static func withCharacters<R>(of text: String, _ body: (UnsafeBufferPointer<UInt32>) -> R) -> R? {
        var scalars: [UInt32] = []
        scalars.reserveCapacity(text.utf8.count)
        var simple = true, previous: UInt32 = 0
        for scalar in text.unicodeScalars {
            let c = scalar.value
            if c >= 0x80 && simple && !ScalarFacts.isPlain(c) { simple = false }
            if c == 0x0A && previous == 0x0D { return nil }
            previous = c
            scalars.append(c)
        }
        // ASCII and plain scalars never join their neighbours into one character (no
        // grapheme rule but CR LF applies to them); past those, Swift's grapheme breaking
        // decides what a character is.
        if !simple && text.count != scalars.count { return nil }
        return scalars.withUnsafeBufferPointer(body)
    }
}
