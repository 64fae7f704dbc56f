import TerrariumBase
import Yams

extension YAMLValue {
    /// Writes the value as canonical JSON, byte for byte what `json().canonicalBytes()`
    /// gives, without building the JSON tree first (content hashes read every scalar of
    /// the rendered scenario; the tree and its dictionaries were most of that cost).
    public func writeCanonicalJSON(into out: inout [UInt8]) throws(ScenarioError) {
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
