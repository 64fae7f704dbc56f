/// The `${name}` syntax, shared by every rendered text: YAML strings, `.eml` files, copied
/// files and attachments, scripted agents.
///
/// `${name}` is replaced by the value of a variable or block; `$${` writes a literal `${`;
/// a `$` not followed by `{` is literal. `${args.NAME}` belongs to scenario tools: it is
/// left as it is, for the tool call to fill. Anything else — an unknown name, an unclosed or
/// empty placeholder — is an error that says where, because a silently unfilled
/// placeholder would put `${goal}` in front of the agent and spoil the run.
public enum Template {
    /// A problem at a position of the text: `offset` counts UTF-8 bytes from its start;
    /// `token` is the text of the offending placeholder as written (used to find it again in
    /// the YAML source, whose quoting may differ from the value's).
    public struct Failure: Error, Sendable, Equatable {
        public var offset: Int
        public var token: String
        public var message: String
    }

    /// Whether `text` needs rendering at all (the common case of no `$` costs one scan).
    @inline(__always)
    public static func mayContainPlaceholder(_ text: String) -> Bool {
        text.utf8.contains(UInt8(ascii: "$"))
    }

    /// Replaces every placeholder of `text` by `lookup(name)`; a nil lookup is an unknown name.
    public static func render(_ text: String, unknown: (String) -> String,
                              lookup: (String) -> String?) throws(Failure) -> String {
        guard mayContainPlaceholder(text) else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            guard b == UInt8(ascii: "$") else { out.append(b); i += 1; continue }
            let next = i + 1 < bytes.count ? bytes[i + 1] : 0
            if next == UInt8(ascii: "$"), i + 2 < bytes.count, bytes[i + 2] == UInt8(ascii: "{") {
                out.append(contentsOf: [UInt8(ascii: "$"), UInt8(ascii: "{")])   // $${ → ${
                i += 3
                continue
            }
            guard next == UInt8(ascii: "{") else { out.append(b); i += 1; continue }
            // A placeholder ends at the first `}` on its line.
            var end = i + 2
            while end < bytes.count, bytes[end] != UInt8(ascii: "}"), bytes[end] != 0x0A { end += 1 }
            guard end < bytes.count, bytes[end] == UInt8(ascii: "}") else {
                throw Failure(offset: i, token: "${",
                              message: "unclosed \"${\" (a placeholder is ${name} on one line; write $${ for a literal ${)")
            }
            let name = String(decoding: bytes[(i + 2)..<end], as: UTF8.self)
            let token = "${" + name + "}"
            if name.isEmpty {
                throw Failure(offset: i, token: token, message: "empty \"${}\" (write $${ for a literal ${)")
            }
            if name.hasPrefix("args."), isName(name.dropFirst(5)) {
                out.append(contentsOf: bytes[i...end])   // a scenario tool's argument, filled per call
            } else if !isName(name[...]) {
                throw Failure(offset: i, token: token,
                              message: "\"\(token)\" is not a variable name (names are [a-z][a-z0-9_]*)")
            } else if let value = lookup(name) {
                out.append(contentsOf: value.utf8)
            } else {
                throw Failure(offset: i, token: token, message: unknown(name))
            }
            i = end + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The names `text` refers to (not `args.*`), in order; errors as for `render`.
    public static func names(in text: String) throws(Failure) -> [String] {
        var found: [String] = []
        _ = try render(text, unknown: { _ in "" }) { name in found.append(name); return "" }
        return found
    }

    /// `[a-z][a-z0-9_]*`: the names of variables, blocks and tool arguments.
    public static func isName(_ s: Substring) -> Bool {
        guard let first = s.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return false }
        return s.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }

    /// `unknown variable "x" (did you mean "y"?)`, or the list of names when none is close.
    public static func unknownMessage(_ name: String, known: [String]) -> String {
        if let hint = nearest(name, in: known) { return "unknown variable \"\(name)\" (did you mean \"\(hint)\"?)" }
        if known.isEmpty { return "unknown variable \"\(name)\" (this scenario declares no variables; write $${ for a literal ${)" }
        return "unknown variable \"\(name)\"; variables and blocks: \(known.sorted().joined(separator: ", "))"
    }

    /// The known name closest to `name`, if it is close enough to be a likely typo.
    public static func nearest(_ name: String, in known: [String]) -> String? {
        var best: (String, Int)?
        for k in known.sorted() {
            let d = editDistance(k, name)
            if d <= max(2, name.count / 4), d < (best?.1 ?? Int.max) { best = (k, d) }
        }
        return best?.0
    }

    /// 1-based line and column (in characters) of a UTF-8 byte offset of `text`.
    public static func lineAndColumn(of offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = text.utf8.startIndex
        let target = text.utf8.index(text.utf8.startIndex, offsetBy: min(offset, text.utf8.count))
        var i = text.utf8.startIndex
        while i < target {
            if text.utf8[i] == 0x0A { line += 1; lineStart = text.utf8.index(after: i) }
            i = text.utf8.index(after: i)
        }
        return (line, text[lineStart..<target].count + 1)
    }
}
