// Walks the MIME tree of a message: splits multiparts on their boundaries, decodes every leaf
// (so bad base64 anywhere is reported), and sorts leaves into body candidates and attachments.

struct EMLMIMEWalker {
    let source: EMLSource
    private(set) var attachments: [EMLAttachment] = []
    /// Text leaves that are not attachments, in depth-first order.
    private var texts: [(mediaType: String, text: String)] = []

    private static let maximumDepth = 40

    init(source: EMLSource) {
        self.source = source
    }

    mutating func walk(_ entity: EMLEntity, defaultType: String, depth: Int) throws(EMLError) {
        let typeHeader = entity.header("content-type")
        let contentType = typeHeader.map { EMLHeaderParameters($0.value) }
        var mediaType = contentType?.value ?? defaultType
        if !Self.isMediaType(mediaType) { mediaType = "text/plain" }   // RFC 2045 §5.2
        let parameters = contentType?.parameters ?? [:]

        if mediaType.hasPrefix("multipart/") {
            let line = typeHeader?.line ?? entity.firstLine
            guard let boundary = parameters["boundary"], !boundary.isEmpty else {
                throw EMLError(line: line, field: "Content-Type", message: "\(mediaType) without a boundary parameter")
            }
            guard depth < Self.maximumDepth else {
                throw EMLError(line: line, field: "Content-Type", message: "multiparts nested too deeply")
            }
            let childDefault = mediaType == "multipart/digest" ? "message/rfc822" : "text/plain"
            for part in try split(entity, boundary: boundary, typeLine: line) {
                try walk(part, defaultType: childDefault, depth: depth + 1)
            }
            return
        }

        let bytes = try decodeTransfer(entity)
        let disposition = entity.header("content-disposition").map { EMLHeaderParameters($0.value) }
        let filename = Self.nonEmpty(disposition?.parameters["filename"]) ?? Self.nonEmpty(parameters["name"])
        let isText = mediaType == "text/plain" || mediaType == "text/html"
        if disposition?.value == "attachment" || filename != nil || mediaType == "message/rfc822" {
            let name = filename ?? (mediaType == "message/rfc822"
                ? "forwarded.eml" : "untitled-\(attachments.count + 1).\(Self.fileExtension(mediaType))")
            attachments.append(EMLAttachment(filename: name, contentType: mediaType, bytes: bytes))
        } else if isText {
            let text = EMLText.normalizeNewlines(EMLCharset.decode(bytes, charset: parameters["charset"]))
            texts.append((mediaType, text))
        } else if !mediaType.hasPrefix("text/") {
            let name = "untitled-\(attachments.count + 1).\(Self.fileExtension(mediaType))"
            attachments.append(EMLAttachment(filename: name, contentType: mediaType, bytes: bytes))
        }
        // Other nameless inline text (text/calendar alternatives, text/enriched...) is dropped.
    }

    /// The first plain text leaf, else the first HTML leaf as crude text, else "".
    func body() -> String {
        if let plain = texts.first(where: { $0.mediaType == "text/plain" }) { return plain.text }
        if let html = texts.first(where: { $0.mediaType == "text/html" }) {
            return EMLHTMLText.plainText(fromHTML: html.text)
        }
        return ""
    }

    /// The parts between `--boundary` lines; preamble and epilogue are ignored.
    private func split(_ entity: EMLEntity, boundary: String, typeLine: Int) throws(EMLError) -> [EMLEntity] {
        let marker = Array(("--" + boundary).utf8)
        var parts: [EMLEntity] = []
        var partStart: Int?
        for line in entity.bodyLines {
            guard let kind = source.delimiter(at: line, marker) else { continue }
            if let start = partStart {
                let end = line > start ? source.ends[line - 1] : source.starts[line]
                parts.append(try source.entity(lines: start..<line, end: end))
            }
            if case .close = kind { return parts }
            partStart = line + 1
        }
        let last = entity.bodyLines.isEmpty ? typeLine : entity.bodyLines.upperBound
        let problem = partStart == nil ? "no line --\(boundary) starts a part" : "the closing --\(boundary)-- never appears"
        throw EMLError(line: last, field: "body",
                       message: "multipart declared at line \(typeLine) is not closed: \(problem)")
    }

    private func decodeTransfer(_ entity: EMLEntity) throws(EMLError) -> [UInt8] {
        let raw = source.bytes[entity.bodyBytes]
        guard let header = entity.header("content-transfer-encoding") else { return Array(raw) }
        switch EMLText.trim(EMLHeaderParameters.stripComments(header.value)).lowercased() {
        case "base64":
            do throws(EMLTransferDecoding.Base64Failure) {
                return try EMLTransferDecoding.decodeBase64(raw)
            } catch {
                throw EMLError(line: source.lineNumber(atOffset: error.index), field: "Content-Transfer-Encoding",
                               message: "\(error.message) (base64 part declared at line \(header.line))")
            }
        case "quoted-printable":
            return EMLTransferDecoding.decodeQuotedPrintable(raw)
        default:   // 7bit, 8bit, binary and unknown encodings pass through
            return Array(raw)
        }
    }

    private static func isMediaType(_ value: String) -> Bool {
        let pieces = value.split(separator: "/", omittingEmptySubsequences: false)
        return pieces.count == 2 && pieces.allSatisfy { piece in
            !piece.isEmpty && piece.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
        }
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = EMLText.trim(value)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func fileExtension(_ mediaType: String) -> String {
        let known = [
            "text/plain": "txt", "text/html": "html", "text/calendar": "ics", "text/csv": "csv",
            "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "application/pdf": "pdf",
            "application/zip": "zip", "application/json": "json",
        ]
        return known[mediaType] ?? "bin"
    }
}
