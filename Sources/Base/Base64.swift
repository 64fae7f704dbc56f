/// Standard base64 (RFC 4648, with padding), for binary contents inside JSON.
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        encode(bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the encoding to `out` (a world snapshot writes binary files straight into
    /// its bytes; building a String per file, a shift array per 3 bytes, was most of it).
    public static func encode(_ bytes: [UInt8], into out: inout [UInt8]) {
        // Sized first, then filled through pointers: appending byte by byte was slower than
        // the rest of writing a snapshot.
        var j = out.count
        out.append(contentsOf: repeatElement(0, count: (bytes.count + 2) / 3 * 4))
        alphabet.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { input in
                out.withUnsafeMutableBufferPointer { output in
                    var i = 0
                    while i + 3 <= input.count {
                        let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                        output[j] = table[Int(n >> 18 & 63)]
                        output[j + 1] = table[Int(n >> 12 & 63)]
                        output[j + 2] = table[Int(n >> 6 & 63)]
                        output[j + 3] = table[Int(n & 63)]
                        i += 3
                        j += 4
                    }
                    let rest = input.count - i
                    if rest > 0 {
                        let n = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
                        output[j] = table[Int(n >> 18 & 63)]
                        output[j + 1] = table[Int(n >> 12 & 63)]
                        output[j + 2] = rest == 2 ? table[Int(n >> 6 & 63)] : UInt8(ascii: "=")
                        output[j + 3] = UInt8(ascii: "=")
                    }
                }
            }
        }
    }

    /// Decodes, ignoring ASCII white space; nil on any other invalid character or length.
    public static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        var padding = 0
        for byte in text.utf8 {
            switch byte {
            case 65...90: guard padding == 0 else { return nil }; values.append(byte - 65)
            case 97...122: guard padding == 0 else { return nil }; values.append(byte - 71)
            case 48...57: guard padding == 0 else { return nil }; values.append(byte + 4)
            case UInt8(ascii: "+"): guard padding == 0 else { return nil }; values.append(62)
            case UInt8(ascii: "/"): guard padding == 0 else { return nil }; values.append(63)
            case UInt8(ascii: "="): padding += 1
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: return nil
            }
        }
        guard (values.count + padding) % 4 == 0, padding <= 2 else { return nil }
        if values.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 3 / 4)
        var i = 0
        while i < values.count {
            let chunk = values[i..<min(i + 4, values.count)]
            var n: UInt32 = 0
            for (k, v) in chunk.enumerated() { n |= UInt32(v) << UInt32(18 - 6 * k) }
            out.append(UInt8(truncatingIfNeeded: n >> 16))
            if chunk.count > 2 { out.append(UInt8(truncatingIfNeeded: n >> 8)) }
            if chunk.count > 3 { out.append(UInt8(truncatingIfNeeded: n)) }
            i += 4
        }
        return out
    }
}
