import TerrariumBase

/// A small YAML tree and its writer. Strings are written so that any YAML 1.2 reader reads
/// back exactly the same characters: plain only when unmistakable, a literal block for
/// multi-line text that a block can hold exactly, double quotes (with escapes) otherwise.
public indirect enum YAMLNode: Sendable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case list([YAMLNode])
    case map([(String, YAMLNode)])
}

public enum YAMLWriter {
    public static func write(_ node: YAMLNode) -> String {
        var out = ""
        emit(node, indent: 0, into: &out, inline: false)
        return out
    }

    /// Writes `node` as the value after "key:" (or a "- ") at `indent`.
    static func emit(_ node: YAMLNode, indent: Int, into out: inout String, inline: Bool) {
        let pad = String(repeating: " ", count: indent)
        switch node {
        case .map(let pairs):
            if pairs.isEmpty { out += inline ? " {}\n" : "{}\n"; return }
            if inline { out += "\n" }
            for (key, value) in pairs {
                out += pad + scalar(key) + ":"
                emitValue(value, indent: indent, into: &out)
            }
        case .list(let items):
            if items.isEmpty { out += inline ? " []\n" : "[]\n"; return }
            if items.allSatisfy({ if case .string(let s) = $0 { !s.contains("\n") } else { false } }), inline {
                out += " [" + items.map { if case .string(let s) = $0 { scalar(s) } else { "" } }.joined(separator: ", ") + "]\n"
                return
            }
            if inline { out += "\n" }
            for item in items {
                out += pad + "-"
                if case .map(let pairs) = item, !pairs.isEmpty {
                    // "- key: value" with the following keys aligned under the first.
                    var first = true
                    for (key, value) in pairs {
                        out += (first ? " " : pad + "  ") + scalar(key) + ":"
                        emitValue(value, indent: indent + 2, into: &out)
                        first = false
                    }
                } else {
                    emitValue(item, indent: indent, into: &out)
                }
            }
        default:
            emitValue(node, indent: indent, into: &out)
        }
    }

    static func emitValue(_ value: YAMLNode, indent: Int, into out: inout String) {
        switch value {
        case .string(let s): out += string(s, indent: indent + 2) + "\n"
        case .bool(let b): out += b ? " true\n" : " false\n"
        case .int(let i): out += " \(i)\n"
        case .map, .list: emit(value, indent: indent + 2, into: &out, inline: true)
        }
    }

    /// " value" for after a colon or dash.
    static func string(_ s: String, indent: Int) -> String {
        if s.contains("\n"), let block = literalBlock(s, indent: indent) { return " " + block }
        return " " + scalar(s)
    }

    static func scalar(_ s: String) -> String {
        isPlainSafe(s) ? s : quoted(s)
    }

    static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]

    static func isPlainSafe(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, !reserved.contains(s.lowercased()) else { return false }
        guard first.properties.isAlphabetic && first.isASCII else { return false }
        return s.unicodeScalars.allSatisfy { c in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "_-./@".unicodeScalars.contains(c))
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if needsEscape(c) {
                    out += "\\u" + ISO8601.hex4(c.value)
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }

    static func needsEscape(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x20 || c.value == 0x7F || (0x80...0x9F).contains(c.value) || c.value == 0x2028 || c.value == 0x2029
            || c.value == 0xFEFF
    }

    /// `|`, `|-` or `|+` with the text indented, when that reads back exactly.
    static func literalBlock(_ s: String, indent: Int) -> String? {
        var body = Substring(s)
        var trailing = 0
        while body.hasSuffix("\n") { body = body.dropLast(); trailing += 1 }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, !first.isEmpty, first.first != " " else { return nil }
        for line in lines {
            if line.hasSuffix(" ") || line.contains("\t") || line.contains("\r") { return nil }
            if line.unicodeScalars.contains(where: needsEscape) { return nil }
        }
        let pad = String(repeating: " ", count: indent)
        let chomp = trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+"
        var out = chomp + "\n"
        for (i, line) in lines.enumerated() {
            out += line.isEmpty ? "" : pad + line
            if i < lines.count - 1 { out += "\n" }
        }
        for _ in 0..<max(0, trailing - 1) { out += "\n" }
        return out
    }
}

extension ISO8601 {
    static func hex4(_ v: UInt32) -> String {
        let digits = Array("0123456789ABCDEF")
        return String((0..<4).reversed().map { digits[Int((v >> (UInt32($0) * 4)) & 0xF)] })
    }
}
