import TerrariumBase

/// One tool call read from a `<tool_use:NAME>` block.
public struct TextToolCall: Sendable, Equatable {
    /// The tool to call (an alias already resolved to the tool it stands for).
    public var name: String
    public var arguments: JSON
    /// The 1-based line of the opening tag in the model's text.
    public var line: Int
}

/// Why a model's text could not be read as tool calls: which block, which line, what was
/// expected. The episode ends with outcome `parse_error` (never "no action").
public struct TextToolParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    init(_ message: String) { self.message = message }
}

/// The text tool-use convention: `<tool_use:NAME>` … `</tool_use:NAME>` blocks in the
/// answer, arguments either a JSON object or `key: value` lines as the agentic-misalignment
/// prompts write them (`to: "a@b.com",` — values quoted or bare, a trailing comma allowed,
/// quoted values may span lines). Reasoning sections are cut out first (ReasoningSplitter):
/// a block drafted there is not a call.
public struct TextToolParser: Sendable {
    public var tools: [ToolSpec]
    public var aliases: [TextToolAlias]

    public init(tools: [ToolSpec], aliases: [TextToolAlias] = TextToolAlias.agenticMisalignment) {
        self.tools = tools; self.aliases = aliases
    }

    public struct Parsed: Sendable, Equatable {
        public var calls: [TextToolCall]
        /// The answer without reasoning and without the tool_use blocks (trimmed).
        public var text: String
        public var reasoning: String
    }

    public func parse(_ text: String) throws(TextToolParseError) -> Parsed {
        let split = ReasoningSplitter.split(text)
        let chars = Array(split.answerWithLines)
        var calls: [TextToolCall] = []
        var remaining: [Character] = []
        var i = 0
        var line = 1
        while i < chars.count {
            if chars[i] == "<", let close = TextToolParser.tag(chars, at: i, closing: true) {
                throw TextToolParseError("line \(line): </tool_use:\(close.name)> without a matching <tool_use:\(close.name)> before it")
            }
            if chars[i] == "<", let open = TextToolParser.tag(chars, at: i, closing: false) {
                let index = calls.count + 1
                let where_ = "block \(index) <tool_use:\(open.name)> (line \(line))"
                if open.name.isEmpty { throw TextToolParseError("\(where_): the tag names no tool; expected <tool_use:TOOL_NAME>") }
                // Find its closing tag; another opening tag or a different closing tag first is an error.
                var j = open.end
                var bodyLine = line
                var closeAt: (start: Int, end: Int)?
                while j < chars.count {
                    if chars[j] == "<", let other = TextToolParser.tag(chars, at: j, closing: true) {
                        guard other.name == open.name else {
                            throw TextToolParseError("\(where_): line \(bodyLine) has </tool_use:\(other.name)>; expected </tool_use:\(open.name)>")
                        }
                        closeAt = (j, other.end)
                        break
                    }
                    if chars[j] == "<", let other = TextToolParser.tag(chars, at: j, closing: false) {
                        throw TextToolParseError("\(where_): line \(bodyLine) opens <tool_use:\(other.name)> before </tool_use:\(open.name)> closes this block")
                    }
                    if chars[j].isNewline { bodyLine += 1 }
                    j += 1
                }
                guard let closeAt else {
                    if let unclosed = split.unclosed {
                        throw TextToolParseError("\(where_): never closed (expected </tool_use:\(open.name)>); note the <\(unclosed.tag)> opened on line \(unclosed.line) is never closed either")
                    }
                    throw TextToolParseError("\(where_): never closed; expected </tool_use:\(open.name)> after it")
                }
                let body = String(chars[open.end..<closeAt.start])
                calls.append(try call(open.name, body: body, firstLine: line, where_: where_))
                for c in chars[i..<closeAt.end] where c.isNewline { line += 1 }
                i = closeAt.end
                continue
            }
            if chars[i].isNewline { line += 1 }
            remaining.append(chars[i])
            i += 1
        }
        if let unclosed = split.unclosed, calls.isEmpty, text.contains("<tool_use:") {
            throw TextToolParseError("line \(unclosed.line): <\(unclosed.tag)> is never closed (expected </\(unclosed.tag)>), so the <tool_use:…> blocks after it cannot be told from reasoning")
        }
        return Parsed(calls: calls, text: ReasoningSplitter.trim(String(remaining)), reasoning: split.reasoning)
    }

    /// `<tool_use:NAME>` or `</tool_use:NAME>` at `i`: the name and the index after `>`.
    static func tag(_ chars: [Character], at i: Int, closing: Bool) -> (name: String, end: Int)? {
        let prefix = Array(closing ? "</tool_use:" : "<tool_use:")
        guard i + prefix.count < chars.count else { return nil }
        for k in 0..<prefix.count where chars[i + k] != prefix[k] { return nil }
        var j = i + prefix.count
        var name = ""
        while j < chars.count, chars[j] != ">" {
            let c = chars[j]
            guard c.isLetter || c.isNumber || c == "_" || c == "-" || c == "." else { return nil }
            name.append(c)
            j += 1
        }
        guard j < chars.count else { return nil }
        return (name, j + 1)
    }

    // MARK: One block

    func call(_ action: String, body: String, firstLine: Int, where_: String) throws(TextToolParseError) -> TextToolCall {
        var name = action
        var renames: [String: String] = [:]
        if tool(action) == nil, let alias = aliases.first(where: { $0.action == action }), tool(alias.tool) != nil {
            name = alias.tool
            renames = alias.renames
        }
        let spec = tool(name)
        let trimmed = ReasoningSplitter.trim(body)
        var arguments: [String: JSON]
        if trimmed.isEmpty {
            arguments = [:]
        } else if trimmed.first == "{" {
            arguments = try jsonArguments(body, firstLine: firstLine, where_: where_)
        } else {
            let keys = spec.map { Set(TextToolParser.propertyNames($0)).union(renames.keys) }
            arguments = try KeyValueArguments(keys: keys, where_: where_).read(body, firstLine: firstLine)
            arguments = coerce(arguments, spec: spec, renames: renames)
        }
        var renamed: [String: JSON] = [:]
        for (k, v) in arguments { renamed[renames[k] ?? k] = v }
        return TextToolCall(name: name, arguments: .object(renamed), line: firstLine)
    }

    func tool(_ name: String) -> ToolSpec? { tools.first { $0.name == name } }

    func jsonArguments(_ body: String, firstLine: Int, where_: String) throws(TextToolParseError) -> [String: JSON] {
        let bytes = Array(body.utf8)
        let value: JSON
        do throws(JSONParseError) { value = try JSON.parse(bytes) } catch {
            let offset = min(max(error.offset, 0), bytes.count)
            let line = firstLine + bytes[..<offset].filter { $0 == 0x0A }.count
            throw TextToolParseError("\(where_): line \(line): the arguments start with { but are not a JSON object: \(error.message) (or write key: value lines)")
        }
        guard case .object(let object) = value else {
            throw TextToolParseError("\(where_): the arguments must be a JSON object, got \(value.typeName)")
        }
        return object
    }

    /// Bare `key: value` values are text; where the tool's schema asks for a number, a
    /// boolean or a list, the text is read as one (a list: comma-separated).
    func coerce(_ arguments: [String: JSON], spec: ToolSpec?, renames: [String: String]) -> [String: JSON] {
        guard let properties = spec?.inputSchema["properties"]?.objectValue else { return arguments }
        var out = arguments
        for (key, value) in arguments {
            guard case .string(let s) = value, let type = properties[renames[key] ?? key]?["type"]?.stringValue else { continue }
            let t = ReasoningSplitter.trim(s)
            switch type {
            case "integer": if let n = Int64(t) { out[key] = .int(n) }
            case "number": if let d = Double(t) { out[key] = .double(d) }
            case "boolean": if t == "true" || t == "false" { out[key] = .bool(t == "true") }
            case "array":
                out[key] = .array(t.split(separator: ",").map { item in
                    // `to: "a@x", "b@y"` reads as one quoted value `a@x", "b@y`: each item
                    // loses the quotes left at its ends.
                    var v = Substring(ReasoningSplitter.trim(String(item)))
                    if v.first == "\"" { v = v.dropFirst() }
                    if v.last == "\"" { v = v.dropLast() }
                    return .string(String(v))
                }.filter { $0 != .string("") })
            default: break
            }
        }
        return out
    }

    static func propertyNames(_ spec: ToolSpec) -> [String] {
        spec.inputSchema["properties"]?.objectValue.map { Array($0.keys) } ?? []
    }
}
