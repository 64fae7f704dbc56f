// Byte-level MIME decoding: charsets, base64, quoted-printable and RFC 2047 encoded words.

enum EMLCharset {
    /// Decodes `bytes` in `charset`. utf-8 and us-ascii (and anything unknown) decode as
    /// lossy UTF-8; iso-8859-1, iso-8859-15 and windows-1252 are mapped byte by byte.
    static func decode<C: Collection>(_ bytes: C, charset: String?) -> String where C.Element == UInt8 {
        switch canonicalName(charset) {
        case "iso-8859-1":
            return fromScalars(bytes) { Unicode.Scalar($0) }
        case "iso-8859-15":
            return fromScalars(bytes) { byte in
                if let mapped = latin9[byte], let scalar = Unicode.Scalar(mapped) { return scalar }
                return Unicode.Scalar(byte)
            }
        case "windows-1252":
            return fromScalars(bytes) { byte in
                guard byte >= 0x80, byte <= 0x9F else { return Unicode.Scalar(byte) }
                return Unicode.Scalar(cp1252High[Int(byte - 0x80)]) ?? "\u{FFFD}"
            }
        default:
            var text = String(decoding: bytes, as: UTF8.self)
            if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
            return text
        }
    }

    /// Header bytes: UTF-8 when valid (RFC 6532), otherwise ISO-8859-1.
    static func decodeHeaderBytes(_ bytes: [UInt8]) -> String {
        return isValidUTF8(bytes) ? String(decoding: bytes, as: UTF8.self) : fromScalars(bytes) { Unicode.Scalar($0) }
    }

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    static func canonicalName(_ charset: String?) -> String {
        guard var name = charset?.lowercased() else { return "us-ascii" }
        name = name.filter { $0 != "\"" && $0 != " " && $0 != "\t" }
        if let star = name.firstIndex(of: "*") { name = String(name[..<star]) }   // RFC 2231 language
        switch name {
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "latin1", "latin-1", "l1",
             "cp819", "ibm819", "iso-ir-100", "8859-1", "csisolatin1":
            return "iso-8859-1"
        case "iso-8859-15", "iso8859-15", "iso_8859-15", "latin9", "latin-9", "l9", "csisolatin9":
            return "iso-8859-15"
        case "windows-1252", "cp1252", "x-cp1252", "win-1252", "ms-ansi":
            return "windows-1252"
        case "utf-8", "utf8", "unicode-1-1-utf-8":
            return "utf-8"
        case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "csascii", "":
            return "us-ascii"
        default:
            return name
        }
    }

    private static func fromScalars<C: Collection>(_ bytes: C, _ map: (UInt8) -> Unicode.Scalar) -> String
    where C.Element == UInt8 {
        var view = String.UnicodeScalarView()
        for byte in bytes { view.append(map(byte)) }
        return String(view)
    }

    /// windows-1252 0x80...0x9F; the five undefined bytes become U+FFFD.
    private static let cp1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    /// The eight places where ISO-8859-15 differs from ISO-8859-1.
    private static let latin9: [UInt8: UInt32] = [
        0xA4: 0x20AC, 0xA6: 0x0160, 0xA8: 0x0161, 0xB4: 0x017D,
        0xB8: 0x017E, 0xBC: 0x0152, 0xBD: 0x0153, 0xBE: 0x0178,
    ]
}

enum EMLTransferDecoding {
    struct Base64Failure: Error {
        /// Index into the decoded collection of the offending byte.
        var index: Int
        var message: String
    }

    private static let base64Values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = UInt8(value) }
        return table
    }()

    /// Strict base64: whitespace and line breaks are skipped, anything outside the alphabet is an
    /// error, and so is data after padding. Missing trailing padding is tolerated.
    static func decodeBase64(_ input: ArraySlice<UInt8>) throws(Base64Failure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3)
        var accumulator: UInt32 = 0
        var count = 0
        var padding = 0
        var lastDataIndex = input.startIndex
        for index in input.indices {
            let byte = input[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { continue }
            if byte == UInt8(ascii: "=") {
                if padding == 0 && count < 2 {
                    throw Base64Failure(index: index, message: "unexpected '=' padding in base64 data")
                }
                padding += 1
                if padding > 2 { throw Base64Failure(index: index, message: "too much '=' padding in base64 data") }
                continue
            }
            if padding > 0 { throw Base64Failure(index: index, message: "base64 data continues after '=' padding") }
            let value = base64Values[Int(byte)]
            if value == 0xFF {
                throw Base64Failure(index: index, message: "invalid base64 character \(describe(byte))")
            }
            lastDataIndex = index
            accumulator = accumulator << 6 | UInt32(value)
            count += 1
            if count == 4 {
                out.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                out.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                out.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator = 0
                count = 0
            }
        }
        switch count {
        case 1:
            throw Base64Failure(index: lastDataIndex, message: "truncated base64 data (a lone final character)")
        case 2:
            out.append(UInt8(truncatingIfNeeded: accumulator >> 4))
        case 3:
            out.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            out.append(UInt8(truncatingIfNeeded: accumulator >> 2))
        default:
            break
        }
        return out
    }

    /// Quoted-printable (RFC 2045 §6.7): trailing whitespace on a line is dropped, `=` at the end
    /// of a line is a soft break, `=XX` is a byte; malformed `=` sequences are kept literally.
    /// Hard line breaks keep their original form (CRLF or LF).
    static func decodeQuotedPrintable(_ input: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var lineStart = input.startIndex
        while lineStart < input.endIndex {
            let newline = input[lineStart...].firstIndex(of: 0x0A)
            var end = newline ?? input.endIndex
            let crlf = newline != nil && end > lineStart && input[end - 1] == 0x0D
            if crlf { end -= 1 }
            while end > lineStart && (input[end - 1] == 0x20 || input[end - 1] == 0x09) { end -= 1 }
            var soft = false
            if end > lineStart && input[end - 1] == UInt8(ascii: "=") {
                soft = true
                end -= 1
            }
            var index = lineStart
            while index < end {
                let byte = input[index]
                if byte == UInt8(ascii: "="), index + 2 < end,
                   let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                    out.append(high << 4 | low)
                    index += 3
                } else {
                    out.append(byte)
                    index += 1
                }
            }
            guard let newline else { break }
            if !soft { out.append(contentsOf: crlf ? [0x0D, 0x0A] : [0x0A]) }
            lineStart = newline + 1
        }
        return out
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}

/// RFC 2047 encoded words (`=?charset?B|Q?text?=`), decoded anywhere in a header value.
/// Whitespace between two adjacent encoded words is dropped, and adjacent words in the same
/// charset are decoded together so a character split across words survives.
enum EMLEncodedWords {
    static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var pendingBytes: [UInt8] = []
        var pendingCharset: String?
        var pendingSpace = String.UnicodeScalarView()   // whitespace after the last encoded word
        func flush() {
            if let charset = pendingCharset {
                result.append(contentsOf: EMLCharset.decode(pendingBytes, charset: charset).unicodeScalars)
            }
            pendingBytes = []
            pendingCharset = nil
        }
        var index = 0
        while index < scalars.count {
            if let word = encodedWord(scalars, at: index) {
                let canonical = EMLCharset.canonicalName(word.charset)
                if pendingCharset != nil && pendingCharset != canonical { flush() }
                pendingCharset = canonical
                pendingBytes.append(contentsOf: word.bytes)
                pendingSpace = String.UnicodeScalarView()
                index = word.end
                continue
            }
            let scalar = scalars[index]
            if pendingCharset != nil && (scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n") {
                pendingSpace.append(scalar)
            } else {
                flush()
                result.append(contentsOf: pendingSpace)
                pendingSpace = String.UnicodeScalarView()
                result.append(scalar)
            }
            index += 1
        }
        flush()
        result.append(contentsOf: pendingSpace)
        return String(result)
    }

    private struct Word {
        var charset: String
        var bytes: [UInt8]
        var end: Int
    }

    private static func encodedWord(_ s: [Unicode.Scalar], at start: Int) -> Word? {
        guard start + 1 < s.count, s[start] == "=", s[start + 1] == "?" else { return nil }
        var index = start + 2
        var charset = String.UnicodeScalarView()
        while index < s.count, s[index] != "?" {
            if !isTokenScalar(s[index]) { return nil }
            charset.append(s[index])
            index += 1
        }
        guard !charset.isEmpty, index + 2 < s.count, s[index + 2] == "?" else { return nil }
        let encoding = s[index + 1]
        index += 3
        var payload: [UInt8] = []
        while index + 1 < s.count, !(s[index] == "?" && s[index + 1] == "=") {
            let scalar = s[index]
            guard scalar.value > 0x20, scalar.value < 0x7F, scalar != "?" else { return nil }
            payload.append(UInt8(scalar.value))
            index += 1
        }
        guard index + 1 < s.count else { return nil }
        let bytes: [UInt8]
        switch encoding {
        case "B", "b":
            guard let decoded = try? EMLTransferDecoding.decodeBase64(payload[...]) else { return nil }
            bytes = decoded
        case "Q", "q":
            bytes = decodeQ(payload)
        default:
            return nil
        }
        return Word(charset: String(charset), bytes: bytes, end: index + 2)
    }

    private static func decodeQ(_ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < payload.count {
            let byte = payload[index]
            if byte == UInt8(ascii: "_") {
                out.append(0x20)
            } else if byte == UInt8(ascii: "="), index + 2 < payload.count,
                      let high = EMLTransferDecoding.hexValue(payload[index + 1]),
                      let low = EMLTransferDecoding.hexValue(payload[index + 2]) {
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    private static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        // RFC 2047 forbids '.', but real charset names such as ANSI_X3.4-1968 contain it.
        scalar.value > 0x20 && scalar.value < 0x7F && !"()<>@,;:\"/[]?=".unicodeScalars.contains(scalar)
    }
}
