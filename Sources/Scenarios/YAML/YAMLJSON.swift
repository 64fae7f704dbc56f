import TerrariumBase
import Yams

extension YAMLValue {
    /// The value as JSON, with YAML's own typing of plain scalars: `10` is a number,
    /// `true` a boolean, `~` null, and anything quoted a string.
    public func json() throws(ScenarioError) -> JSON {
        switch node {
        case .scalar(let s):
            if s.style != .plain { return .string(try renderedScalar(s.string)) }
            if context != nil, Template.mayContainPlaceholder(s.string) { return .string(try renderedScalar(s.string)) }
            // Untagged: typed by hand, as Yams' default resolver would (PlainScalar.swift).
            if s.tag.description == Tag.Name.implicit.rawValue { return PlainScalar.json(s.string) }
            switch Resolver.default.resolveTag(of: node) {
            case .null: return .null
            case .bool: if let b = node.bool { return .bool(b) }
            case .int: if let i = node.int { return .int(Int64(i)) }
            case .float: if let d = node.float { return .double(d) }
            default: break
            }
            return .string(try renderedScalar(s.string))
        case .sequence:
            var items: [JSON] = []
            for item in try list() { items.append(try item.json()) }
            return .array(items)
        case .mapping:
            var members: [String: JSON] = [:]
            for (key, value) in try mapping() { members[key] = try value.json() }
            return .object(members)
        case .alias:
            throw error("YAML aliases are not supported here; write the value out")
        }
    }
}
