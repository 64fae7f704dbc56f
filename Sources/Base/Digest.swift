import Crypto

/// A SHA-256 digest. Content, world entries, events and whole states are all named by one.
public struct Digest: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Big-endian words of the 32-byte digest.
    public var words: (UInt64, UInt64, UInt64, UInt64)

    public init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    public static let zero = Digest(words: (0, 0, 0, 0))

    public static func sha256(_ bytes: [UInt8]) -> Digest {
        var hasher = SHA256()
        hasher.update(data: bytes)
        return Digest(hasher.finalize())
    }

    public static func sha256(_ bytes: ArraySlice<UInt8>) -> Digest { sha256(parts: [bytes]) }

    /// The digest of the parts one after another, without joining them first.
    public static func sha256(parts: [ArraySlice<UInt8>]) -> Digest {
        var hasher = SHA256()
        for part in parts { part.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        return Digest(hasher.finalize())
    }

    public static func sha256(_ text: String) -> Digest { sha256(Array(text.utf8)) }

    init(_ digest: SHA256.Digest) {
        words = digest.withUnsafeBytes { raw in
            func word(_ k: Int) -> UInt64 {
                var w: UInt64 = 0
                for i in 0..<8 { w = w << 8 | UInt64(raw[k * 8 + i]) }
                return w
            }
            return (word(0), word(1), word(2), word(3))
        }
    }

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in [words.0, words.1, words.2, words.3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return out
    }

    /// Lower-case hex, 64 characters.
    public var hex: String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        appendHex(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the 64 hex digits to a byte buffer (no intermediate string).
    public func appendHex(to out: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        for word in [words.0, words.1, words.2, words.3] {
            for shift in stride(from: 60, through: 0, by: -4) {
                out.append(digits.utf8Start[Int(word >> UInt64(shift) & 15)])
            }
        }
    }

    public var description: String { hex }

    /// `sha256:<hex>`, the spelling used in events and manifests.
    public var tagged: String { "sha256:" + hex }

    public init?(hex text: String) {
        var text = text
        let parsed = text.withUTF8 { (bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64, UInt64)? in
            let prefixed = bytes.count == 71 && bytes.starts(with: "sha256:".utf8)
            guard bytes.count == 64 || prefixed else { return nil }
            var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            var bad: UInt8 = 0
            // Four words of sixteen lowercase hex digits; any other byte sets 0x10 in `bad`.
            for k in 0..<4 {
                var w: UInt64 = 0
                for index in (prefixed ? 7 : 0) + 16 * k ..< (prefixed ? 7 : 0) + 16 * k + 16 {
                    let digit = Digest.hexValue[Int(bytes[index])]
                    bad |= digit
                    w = w << 4 | UInt64(digit & 0x0F)
                }
                switch k {
                case 0: words.0 = w
                case 1: words.1 = w
                case 2: words.2 = w
                default: words.3 = w
                }
            }
            return bad & 0x10 == 0 ? words : nil
        }
        guard let parsed else { return nil }
        words = parsed
    }

    /// Lowercase hex digit → its value; every other byte → 0x10.
    private static let hexValue: [UInt8] = (0..<256).map { byte in
        switch byte {
        case 48...57: return UInt8(byte - 48)
        case 97...102: return UInt8(byte - 87)
        default: return 0x10
        }
    }

    public static func == (a: Digest, b: Digest) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public static func < (a: Digest, b: Digest) -> Bool {
        (a.words.0, a.words.1, a.words.2, a.words.3) < (b.words.0, b.words.1, b.words.2, b.words.3)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
    }
}

/// An order-independent digest of a set of entries that can be updated in O(1): the sum,
/// modulo 2^256, of the SHA-256 of each entry (an additive multiset hash). Adding an entry
/// adds its digest; removing it subtracts it. It detects accidental divergence (a replay
/// that disagrees with the recording); tampering with a log is caught by the event chain,
/// which is plain SHA-256.
public struct SetDigest: Sendable, Hashable {
    public private(set) var sum: Digest = .zero
    public private(set) var count: Int = 0

    public init() {}

    public mutating func insert(_ entry: Digest) {
        sum = SetDigest.add(sum, entry)
        count += 1
    }

    public mutating func remove(_ entry: Digest) {
        sum = SetDigest.add(sum, SetDigest.negate(entry))
        count -= 1
    }

    static func add(_ a: Digest, _ b: Digest) -> Digest {
        let (w3, c3) = a.words.3.addingReportingOverflow(b.words.3)
        var (w2, c2) = a.words.2.addingReportingOverflow(b.words.2)
        var extra = false
        if c3 { (w2, extra) = w2.addingReportingOverflow(1) }
        let carry2 = c2 || extra
        var (w1, c1) = a.words.1.addingReportingOverflow(b.words.1)
        extra = false
        if carry2 { (w1, extra) = w1.addingReportingOverflow(1) }
        let carry1 = c1 || extra
        var w0 = a.words.0 &+ b.words.0
        if carry1 { w0 = w0 &+ 1 }
        return Digest(words: (w0, w1, w2, w3))
    }

    static func negate(_ a: Digest) -> Digest {
        // Two's complement over 256 bits: invert and add one.
        let inverted = Digest(words: (~a.words.0, ~a.words.1, ~a.words.2, ~a.words.3))
        return add(inverted, Digest(words: (0, 0, 0, 1)))
    }
}
