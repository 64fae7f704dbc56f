/// Case-insensitive substring search without allocating lower-cased copies: ASCII letters
/// are folded byte by byte. A needle with non-ASCII letters falls back to full Unicode
/// lower-casing (correct, slower). Used by mail and file search on every message and file.
public func containsIgnoringCase(_ haystack: String, _ needle: String) -> Bool {
    CaseInsensitiveNeedle(needle).occurs(in: haystack)
}

/// A needle prepared once for many haystacks (search over every message of a mailbox).
public struct CaseInsensitiveNeedle: Sendable {
    let text: String
    let folded: [UInt8]?

    public init(_ needle: String) {
        text = needle.lowercased()
        let bytes = Array(needle.utf8)
        folded = bytes.allSatisfy { $0 < 0x80 } ? bytes.map(asciiLower) : nil
    }

    public func occurs(in haystack: String) -> Bool {
        guard let folded else { return haystack.lowercased().contains(text) }
        if folded.isEmpty { return true }
        var h = haystack
        return h.withUTF8 { firstASCIIMatch(in: $0, foldedNeedle: folded) } != nil
    }
}

/// The byte offset of the first case-insensitive match of `needle` in UTF-8 `bytes`.
public func firstMatchIgnoringCase(in bytes: [UInt8], _ needle: String) -> Int? {
    let n = Array(needle.utf8)
    if n.isEmpty { return 0 }
    if n.allSatisfy({ $0 < 0x80 }) {
        return bytes.withUnsafeBufferPointer { firstASCIIMatch(in: $0, foldedNeedle: n.map(asciiLower)) }
    }
    // Non-ASCII needle: compare line by line with Unicode lower-casing.
    let lowered = needle.lowercased()
    var start = 0
    for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x0A {
        let line = String(decoding: bytes[start..<index], as: UTF8.self)
        if line.lowercased().contains(lowered) { return start }
        start = index + 1
    }
    return nil
}

func firstASCIIMatch(in bytes: UnsafeBufferPointer<UInt8>, foldedNeedle: [UInt8]) -> Int? {
    guard bytes.count >= foldedNeedle.count else { return nil }
    let first = foldedNeedle[0]
    let last = bytes.count - foldedNeedle.count
    // For a letter, `b | 0x20 == first` matches exactly its two cases, branch-free.
    let firstIsLetter = first >= 0x61 && first <= 0x7A
    var i = 0
    while i <= last {
        let b = bytes[i]
        if (firstIsLetter ? b | 0x20 : b) == first {
            var j = 1
            while j < foldedNeedle.count && asciiLower(bytes[i + j]) == foldedNeedle[j] { j += 1 }
            if j == foldedNeedle.count { return i }
        }
        i += 1
    }
    return nil
}

@inline(__always)
func asciiLower(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b | 0x20 : b }

/// Line boundaries of UTF-8 text: the byte range of each line, without its newline. A
/// final newline does not start another line.
public func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var start = 0
    for index in bytes.indices where bytes[index] == 0x0A {
        out.append(start..<index)
        start = index + 1
    }
    if start < bytes.count { out.append(start..<bytes.count) }
    return out
}
