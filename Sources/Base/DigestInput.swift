/// An unambiguous byte encoding of a few fields for hashing: strings are length-prefixed,
/// integers are 8 bytes big-endian, digests their 32 bytes. Cheaper than canonical JSON for
/// the per-event state hash, and just as exact.
public struct DigestInput {
    public private(set) var bytes: [UInt8] = []

    public init() { bytes.reserveCapacity(160) }

    public mutating func append(_ value: Int64) {
        // Big-endian, eight bytes in one append (this runs for every event's state hash).
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ text: String) {
        append(Int64(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func append(_ digest: Digest) {
        append(Int64(bitPattern: digest.words.0))
        append(Int64(bitPattern: digest.words.1))
        append(Int64(bitPattern: digest.words.2))
        append(Int64(bitPattern: digest.words.3))
    }
}
