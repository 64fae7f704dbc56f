import TerrariumBase
import Yams

extension YAMLValue {
    /// Writes the value as canonical JSON, byte for byte what `json().canonicalBytes()`
    /// gives, without building the JSON tree first (content hashes read every scalar of
    /// the rendered scenario; the tree and its dictionaries were most of that cost).
    public func writeCanonicalJSON(into out: inout [UInt8]) throws(ScenarioError) {
        // Walk the Yams nodes without a located child value (and its path text) per member:
        // that was most of a content hash. Anything unusual (a key that is not text or is
        // repeated, an alias, an explicit tag, a placeholder that fails) is left to the
        // located walk, which reports it exactly as before.
        let start = out.count
        if YAMLValue.writeUnlocated(node, context, into: &out) { return }
        out.removeSubrange(start...)
        try writeLocated(into: &out)
    }

    /// False when the value needs the located walk (`out` then holds a partial write).
    static func writeUnlocated(_ node: Node, _ context: RenderContext?, into out: inout [UInt8]) -> Bool {
        switch node {
        case .scalar(let s):
            if s.style != .plain || (context != nil && Template.mayContainPlaceholder(s.string)) {
                guard let context, Template.mayContainPlaceholder(s.string) else {
                    JSON.writeString(s.string, into: &out)
                    return true
                }
                guard let text = try? context.render(s.string) else { return false }
                JSON.writeString(text, into: &out)
                return true
            }
            guard s.tag.description == Tag.Name.implicit.rawValue else { return false }
            PlainScalar.json(s.string).write(into: &out, pretty: false, indent: 0)
            return true
        case .sequence(let seq):
            out.append(UInt8(ascii: "["))
            for (index, item) in seq.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard writeUnlocated(item, context, into: &out) else { return false }
            }
            out.append(UInt8(ascii: "]"))
            return true
        case .mapping(let m):
            var members: [(key: String, value: Node)] = []
            members.reserveCapacity(m.count)
            var index = m.startIndex
            while index < m.endIndex {
                let pair = m[index]
                guard case .scalar(let key) = pair.key else { return false }
                members.append((key.string, pair.value))
                index = m.index(after: index)
            }
            members.sort { JSON.utf8Less($0.key, $1.key) }
            out.append(UInt8(ascii: "{"))
            for (n, member) in members.enumerated() {
                if n > 0 {
                    guard member.key != members[n - 1].key else { return false }
                    out.append(UInt8(ascii: ","))
                }
                JSON.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                guard writeUnlocated(member.value, context, into: &out) else { return false }
            }
            out.append(UInt8(ascii: "}"))
            return true
        case .alias:
            return false
        }
    }

    /// The walk through located values, whose errors name file, line and field.
    func writeLocated(into out: inout [UInt8]) throws(ScenarioError) {
        switch node {
        case .scalar:
            try json().write(into: &out, pretty: false, indent: 0)
        case .sequence:
            out.append(UInt8(ascii: "["))
            for (index, item) in try list().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try item.writeCanonicalJSON(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .mapping:
            // `mapping()` refuses duplicate keys, so sorting the pairs is sorting the keys.
            let members = try mapping().sorted { JSON.utf8Less($0.key, $1.key) }
            try YAMLValue.writeObject(members, into: &out)
        case .alias:
            throw error("YAML aliases are not supported here; write the value out")
        }
    }

    /// `{"key":value,...}` for members already in canonical key order.
    static func writeObject(_ members: [(key: String, value: YAMLValue)], into out: inout [UInt8]) throws(ScenarioError) {
        out.append(UInt8(ascii: "{"))
        for (index, member) in members.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSON.writeString(member.key, into: &out)
            out.append(UInt8(ascii: ":"))
            try member.value.writeCanonicalJSON(into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
