// Reads one RFC 5322 message (an `.eml` file exported by a mail client) into an `EMLMessage`.
//
// The file is split into lines once (LF or CRLF); every MIME entity is a range of those lines,
// so any problem can be reported with the 1-based line where it is. The MIME tree is walked
// depth first: the first text/plain leaf that is not an attachment is the body (else the first
// text/html leaf, converted crudely to text); leaves with Content-Disposition: attachment or a
// filename/name parameter, message/rfc822 parts and nameless non-text leaves are attachments.

public enum EMLParser {
    public static func parse(_ bytes: [UInt8]) throws(EMLError) -> EMLMessage {
        let source = EMLSource(bytes)
        var firstLine = 0
        if source.lineCount > 0, source.isMboxFromLine(0) { firstLine = 1 }   // "From - Thu Mar 12 ..." mbox line
        let top = try source.entity(lines: firstLine..<source.lineCount, end: bytes.count)

        guard let fromHeader = top.header("from") else {
            throw EMLError(line: firstLine + 1, field: "From", message: "missing From header")
        }
        let fromList = try addresses(fromHeader, field: "From")
        guard let from = fromList.first else {
            throw EMLError(line: fromHeader.line, field: "From", message: "From header has no mailbox")
        }
        var message = EMLMessage(from: from)
        for header in top.headers {
            switch header.name {
            case "to": message.to += try addresses(header, field: "To")
            case "cc": message.cc += try addresses(header, field: "Cc")
            case "bcc": message.bcc += try addresses(header, field: "Bcc")
            default: break
            }
        }
        message.subject = top.header("subject").map { EMLText.trim(EMLEncodedWords.decode($0.value)) } ?? ""
        if let dateHeader = top.header("date") {
            do throws(EMLDateParser.Failure) {
                message.date = try EMLDateParser.parse(dateHeader.value)
            } catch {
                throw EMLError(line: dateHeader.line, field: "Date",
                               message: "cannot read date \"\(EMLText.excerpt(dateHeader.value))\": \(error.message)")
            }
        }
        message.messageID = top.header("message-id").flatMap { EMLAddressParser.messageIDs($0.value).first }
        message.inReplyTo = top.header("in-reply-to").flatMap { EMLAddressParser.messageIDs($0.value).first }
        message.references = top.header("references").map { EMLAddressParser.messageIDs($0.value) } ?? []

        var walker = EMLMIMEWalker(source: source)
        try walker.walk(top, defaultType: "text/plain", depth: 0)
        message.body = walker.body()
        message.attachments = walker.attachments
        return message
    }

    private static func addresses(_ header: EMLHeaderField, field: String) throws(EMLError) -> [EMLAddress] {
        do throws(EMLAddressParser.Failure) {
            return try EMLAddressParser.parseList(header.value)
        } catch {
            throw EMLError(line: header.line, field: field,
                           message: "cannot read \"\(EMLText.excerpt(header.value))\": \(error.message)")
        }
    }
}

struct EMLHeaderField {
    /// Lowercased field name.
    var name: String
    /// Unfolded (line breaks removed, whitespace kept) and trimmed.
    var value: String
    /// 1-based line of the field name.
    var line: Int
}

struct EMLEntity {
    var headers: [EMLHeaderField]
    /// Line indices (0-based) of the body.
    var bodyLines: Range<Int>
    /// Byte offsets of the body content.
    var bodyBytes: Range<Int>
    /// 1-based line where the entity starts.
    var firstLine: Int

    func header(_ name: String) -> EMLHeaderField? { headers.first { $0.name == name } }
}

/// The file split into lines, remembering where each line's content ends and the next begins.
struct EMLSource {
    let bytes: [UInt8]
    private(set) var starts: [Int] = []
    /// End of the line's content, before CR LF / LF.
    private(set) var ends: [Int] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0   // UTF-8 byte order mark
        var index = start
        while index < bytes.count {
            if bytes[index] == 0x0A {
                starts.append(start)
                ends.append(index > start && bytes[index - 1] == 0x0D ? index - 1 : index)
                start = index + 1
            }
            index += 1
        }
        if start < bytes.count {
            starts.append(start)
            ends.append(bytes.count)
        }
    }

    var lineCount: Int { starts.count }

    /// 1-based line holding byte `offset`.
    func lineNumber(atOffset offset: Int) -> Int {
        var low = 0
        var high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        return max(low, 1)
    }

    func isMboxFromLine(_ line: Int) -> Bool {
        let content = bytes[starts[line]..<ends[line]]
        guard content.starts(with: Array("From ".utf8)) else { return false }
        return content.dropFirst(5).first(where: { $0 != 0x20 && $0 != 0x09 }) != UInt8(ascii: ":")
    }

    /// Headers up to the first empty line, then the body. `end` is the byte where the entity's
    /// content stops (the CRLF before a boundary belongs to the boundary).
    func entity(lines: Range<Int>, end: Int) throws(EMLError) -> EMLEntity {
        var headers: [EMLHeaderField] = []
        var pending: (name: String, value: [UInt8], line: Int)?
        func flush() {
            guard let header = pending else { return }
            let value = EMLText.trim(EMLCharset.decodeHeaderBytes(header.value))
            headers.append(EMLHeaderField(name: header.name, value: value, line: header.line))
            pending = nil
        }
        var bodyStartLine = lines.upperBound
        for line in lines {
            let start = starts[line]
            let stop = ends[line]
            if start == stop {
                bodyStartLine = line + 1
                break
            }
            let first = bytes[start]
            if first == 0x20 || first == 0x09 {
                guard pending != nil else {
                    throw EMLError(line: line + 1, field: "header",
                                   message: "continuation line without a header before it: \"\(snippet(line))\"")
                }
                pending!.value.append(contentsOf: bytes[start..<stop])
                continue
            }
            guard let colon = bytes[start..<stop].firstIndex(of: UInt8(ascii: ":")) else {
                throw EMLError(line: line + 1, field: "header",
                               message: "malformed header line (no colon): \"\(snippet(line))\"")
            }
            var nameEnd = colon
            while nameEnd > start, bytes[nameEnd - 1] == 0x20 || bytes[nameEnd - 1] == 0x09 { nameEnd -= 1 }
            let name = bytes[start..<nameEnd]
            guard !name.isEmpty, name.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw EMLError(line: line + 1, field: "header",
                               message: "malformed header name: \"\(snippet(line))\"")
            }
            flush()
            pending = (String(decoding: name, as: UTF8.self).lowercased(), Array(bytes[(colon + 1)..<stop]), line + 1)
        }
        flush()
        let bodyStart = bodyStartLine < lines.upperBound ? min(starts[bodyStartLine], end) : end
        return EMLEntity(headers: headers, bodyLines: bodyStartLine..<max(bodyStartLine, lines.upperBound),
                         bodyBytes: bodyStart..<max(bodyStart, end), firstLine: lines.lowerBound + 1)
    }

    private func snippet(_ line: Int) -> String {
        EMLText.excerpt(EMLCharset.decodeHeaderBytes(Array(bytes[starts[line]..<ends[line]])))
    }

    enum Delimiter {
        case part, close
    }

    /// Whether the line is `--boundary` or `--boundary--`, optionally followed by whitespace.
    func delimiter(at line: Int, _ marker: [UInt8]) -> Delimiter? {
        let content = bytes[starts[line]..<ends[line]]
        guard content.starts(with: marker) else { return nil }
        var rest = content.dropFirst(marker.count)
        var kind = Delimiter.part
        if rest.starts(with: [0x2D, 0x2D]) {
            kind = .close
            rest = rest.dropFirst(2)
        }
        return rest.allSatisfy { $0 == 0x20 || $0 == 0x09 } ? kind : nil
    }
}

enum EMLText {
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n"
    }

    static func trim(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// The text, cut to `limit` characters for an error message.
    static func excerpt(_ text: String, limit: Int = 80) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    /// CRLF and lone CR become LF.
    static func normalizeNewlines(_ text: String) -> String {
        guard text.unicodeScalars.contains("\r") else { return text }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                out.append("\n")
                previousCR = true
            } else {
                if !(scalar == "\n" && previousCR) { out.append(scalar) }
                previousCR = false
            }
        }
        return String(out)
    }
}
