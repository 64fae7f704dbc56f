/// A server-sent event: its `event:` name (nil when absent) and its `data:` lines joined
/// by newlines.
struct ServerSentEvent: Sendable, Equatable {
    var name: String?
    var data: String
}

/// Splits an SSE body into events (the WHATWG event-stream rules we need: `event:` and
/// `data:` fields, `:` comments, blank line ends an event, CRLF or LF line ends). A last
/// event without its terminating blank line is still returned: whether the stream was
/// complete is judged by its content (the final event), not by the framing.
enum ServerSentEvents {
    static func parse(_ bytes: [UInt8]) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        var name: String?
        var data: [String] = []
        var hasData = false
        let text = String(decoding: bytes, as: UTF8.self)
        // "\r\n" is one Character in Swift, so split on either form explicitly.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { line -> Substring in line.last == "\r" ? line.dropLast() : line }
        if lines.last == "" { lines.removeLast() }
        func flush() {
            if hasData { events.append(ServerSentEvent(name: name, data: data.joined(separator: "\n"))) }
            name = nil; data = []; hasData = false
        }
        for line in lines {
            if line.isEmpty { flush(); continue }
            if line.first == ":" { continue }
            let field: Substring, value: Substring
            if let colon = line.firstIndex(of: ":") {
                field = line[..<colon]
                var v = line[line.index(after: colon)...]
                if v.first == " " { v = v.dropFirst() }
                value = v
            } else {
                field = line; value = ""
            }
            switch field {
            case "event": name = String(value)
            case "data": data.append(String(value)); hasData = true
            default: break
            }
        }
        flush()
        return events
    }
}
