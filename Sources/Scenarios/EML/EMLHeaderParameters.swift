// RFC 2045 header parameters with RFC 2231 continuations and charsets (Content-Type,
// Content-Disposition), and comment stripping for structured header values.

/// `value; name=token; name="quoted"; name*=utf-8''%E2%82%AC; name*0*=...; name*1=...`
struct EMLHeaderParameters {
    /// The part before the first ';', trimmed and lowercased.
    var value: String
    /// Parameter names lowercased; RFC 2231 continuations and charsets resolved; RFC 2047
    /// encoded words (common in filenames) decoded.
    var parameters: [String: String]

    init(_ header: String) {
        let scalars = Array(EMLHeaderParameters.stripComments(header).unicodeScalars)
        var index = 0
        var head = String.UnicodeScalarView()
        while index < scalars.count, scalars[index] != ";" {
            head.append(scalars[index])
            index += 1
        }
        value = EMLText.trim(String(head)).lowercased()

        var plain: [String: String] = [:]
        var extended: [String: [(section: Int, encoded: Bool, text: String)]] = [:]
        while index < scalars.count {
            while index < scalars.count, scalars[index] == ";" || EMLText.isSpace(scalars[index]) { index += 1 }
            var name = String.UnicodeScalarView()
            while index < scalars.count, scalars[index] != "=", scalars[index] != ";" {
                name.append(scalars[index])
                index += 1
            }
            guard index < scalars.count, scalars[index] == "=" else { continue }
            index += 1
            while index < scalars.count, EMLText.isSpace(scalars[index]) { index += 1 }
            var text = String.UnicodeScalarView()
            if index < scalars.count, scalars[index] == "\"" {
                index += 1
                while index < scalars.count, scalars[index] != "\"" {
                    if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                    text.append(scalars[index])
                    index += 1
                }
                index += 1
            } else {
                while index < scalars.count, scalars[index] != ";" {
                    text.append(scalars[index])
                    index += 1
                }
                text = EMLText.trim(String(text)).unicodeScalars
            }
            let key = EMLText.trim(String(name)).lowercased()
            guard !key.isEmpty else { continue }
            if let star = key.firstIndex(of: "*") {
                let base = String(key[..<star])
                var rest = key[key.index(after: star)...]
                var encoded = false
                if rest.hasSuffix("*") {
                    encoded = true
                    rest = rest.dropLast()
                }
                let section: Int
                if rest.isEmpty {
                    section = 0
                    encoded = true   // `name*=` is always charset'language'value
                } else if let number = Int(rest) {
                    section = number
                } else {
                    continue
                }
                extended[base, default: []].append((section, encoded, String(text)))
            } else if plain[key] == nil {
                plain[key] = String(text)
            }
        }
        for (base, sections) in extended {
            var charset: String?
            var bytes: [UInt8] = []
            for part in sections.sorted(by: { $0.section < $1.section }) {
                guard part.encoded else {
                    bytes.append(contentsOf: part.text.utf8)
                    continue
                }
                var text = Substring(part.text)
                if part.section == 0 {
                    let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if pieces.count == 3 {
                        charset = pieces[0].isEmpty ? nil : String(pieces[0])
                        text = pieces[2]
                    }
                }
                bytes.append(contentsOf: EMLHeaderParameters.percentDecode(text))
            }
            plain[base] = EMLCharset.decode(bytes, charset: charset ?? "utf-8")
        }
        parameters = plain.mapValues { EMLEncodedWords.decode($0) }
    }

    private static func percentDecode(_ text: Substring) -> [UInt8] {
        let utf8 = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
               let high = EMLTransferDecoding.hexValue(utf8[index + 1]),
               let low = EMLTransferDecoding.hexValue(utf8[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(utf8[index])
                index += 1
            }
        }
        return out
    }

    /// Drops (comments) outside quoted strings.
    static func stripComments(_ text: String) -> String {
        guard text.contains("(") else { return text }
        var out = String.UnicodeScalarView()
        var depth = 0
        var quoted = false
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                if depth == 0 { out.append(scalar) }
                escaped = false
            } else if scalar == "\\" && (quoted || depth > 0) {
                escaped = true
                if depth == 0 { out.append(scalar) }
            } else if depth == 0 && scalar == "\"" {
                quoted.toggle()
                out.append(scalar)
            } else if !quoted && scalar == "(" {
                depth += 1
            } else if !quoted && depth > 0 && scalar == ")" {
                depth -= 1
                if depth == 0 { out.append(" ") }
            } else if depth == 0 {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
