import TerrariumBase

/// A request for a new episode (or a group of them), read from a JSON body.
public struct CreateRequest: Sendable, Equatable {
    public var scenario: String
    public var seed: UInt64
    public var idempotencyKey: String?
    public var count: Int

    public init(scenario: String, seed: UInt64 = 0, idempotencyKey: String? = nil, count: Int = 1) {
        self.scenario = scenario; self.seed = seed; self.idempotencyKey = idempotencyKey; self.count = count
    }

    public static let maxGroup = 256

    /// Reads `{"scenario": NAME, "seed": N, "idempotencyKey": KEY, "count": N}`; `count`
    /// only when `group` is true. Unknown fields are refused so a typo is not ignored.
    public static func parse(_ body: JSON, group: Bool) throws(HostError) -> CreateRequest {
        guard case .object(let fields) = body else {
            throw .badRequest("the body must be a JSON object, got \(body.typeName)")
        }
        var known: Set<String> = ["scenario", "seed", "idempotencyKey"]
        if group { known.insert("count") }
        if fields["variables"] != nil || fields["condition"] != nil {
            throw .notImplemented("\"variables\" and \"condition\" are not supported yet (scenario templating is being built on another branch)")
        }
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw .badRequest("unknown field \"\(unknown)\"; expected: \(known.sorted().joined(separator: ", "))")
        }
        guard let scenarioValue = fields["scenario"] else { throw .badRequest("missing field \"scenario\" (a scenario folder name)") }
        guard case .string(let scenario) = scenarioValue else {
            throw .badRequest("field \"scenario\" must be a string, got \(scenarioValue.typeName)")
        }
        var request = CreateRequest(scenario: scenario)
        if let seed = fields["seed"] {
            switch seed {
            case .int(let i) where i >= 0: request.seed = UInt64(i)
            case .string(let s):
                guard let v = UInt64(s) else { throw .badRequest("field \"seed\" must be a non-negative integer, got \"\(s)\"") }
                request.seed = v
            default: throw .badRequest("field \"seed\" must be a non-negative integer, got \(seed.canonicalString())")
            }
        }
        if let key = fields["idempotencyKey"] {
            guard case .string(let k) = key, !k.isEmpty, k.utf8.count <= 200 else {
                throw .badRequest("field \"idempotencyKey\" must be a string of 1 to 200 bytes")
            }
            request.idempotencyKey = k
        }
        if group {
            guard let count = fields["count"]?.intValue, count >= 1, count <= Int64(maxGroup) else {
                throw .badRequest("field \"count\" must be an integer from 1 to \(maxGroup)")
            }
            request.count = Int(count)
        }
        return request
    }
}
