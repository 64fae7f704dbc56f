import TerrariumBase

/// A request for a new episode (or a group of them), read from a JSON body.
public struct CreateRequest: Sendable, Equatable {
    public var scenario: String
    public var seed: UInt64
    public var idempotencyKey: String?
    public var count: Int
    /// A condition of the scenario's grid, and variable values applied after it (as
    /// `terrarium run --condition ID --var NAME=VALUE`).
    public var condition: String?
    public var variables: [String: String] = [:]

    public init(scenario: String, seed: UInt64 = 0, idempotencyKey: String? = nil, count: Int = 1,
                condition: String? = nil, variables: [String: String] = [:]) {
        self.scenario = scenario; self.seed = seed; self.idempotencyKey = idempotencyKey; self.count = count
        self.condition = condition; self.variables = variables
    }

    public static let maxGroup = 256

    /// Reads `{"scenario": NAME, "seed": N, "idempotencyKey": KEY, "condition": ID,
    /// "variables": {NAME: VALUE}, "count": N}`; `count`
    /// only when `group` is true. Unknown fields are refused so a typo is not ignored.
    public static func parse(_ body: JSON, group: Bool) throws(HostError) -> CreateRequest {
        guard case .object(let fields) = body else {
            throw .badRequest("the body must be a JSON object, got \(body.typeName)")
        }
        var known: Set<String> = ["scenario", "seed", "idempotencyKey", "condition", "variables"]
        if group { known.insert("count") }
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
        if let condition = fields["condition"] {
            guard case .string(let c) = condition, !c.isEmpty else {
                throw .badRequest("field \"condition\" must be a condition id such as explicit.america.replacement")
            }
            request.condition = c
        }
        if let variables = fields["variables"] {
            guard case .object(let values) = variables else {
                throw .badRequest("field \"variables\" must be an object of NAME: VALUE, got \(variables.typeName)")
            }
            for (name, value) in values {
                switch value {
                case .string(let s): request.variables[name] = s
                case .int, .bool, .double: request.variables[name] = value.canonicalString()
                default: throw .badRequest("variable \"\(name)\" must be a string, number or boolean, got \(value.typeName)")
                }
            }
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
