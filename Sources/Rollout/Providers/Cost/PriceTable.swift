/// US dollars per million tokens of each kind.
public struct ModelPrice: Sendable, Equatable {
    public var input: Double
    public var output: Double
    public var cacheRead: Double
    public var cacheWrite: Double
    public init(input: Double, output: Double, cacheRead: Double, cacheWrite: Double) {
        self.input = input; self.output = output; self.cacheRead = cacheRead; self.cacheWrite = cacheWrite
    }

    /// The cost of `usage` in dollars.
    public func cost(of usage: TokenUsage) -> Double {
        (Double(usage.input) * input + Double(usage.output) * output
            + Double(usage.cacheRead) * cacheRead + Double(usage.cacheWrite) * cacheWrite) / 1_000_000
    }

    /// `--price in,out,cacheRead,cacheWrite` (dollars per million tokens; the cache prices
    /// may be left off and then count as 0).
    public static func parse(_ text: String) throws(ProviderError) -> ModelPrice {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        guard (2...4).contains(parts.count) else {
            throw .configuration("--price \"\(text)\": expected IN,OUT[,CACHE_READ[,CACHE_WRITE]] in dollars per million tokens")
        }
        var values: [Double] = []
        let names = ["input", "output", "cache read", "cache write"]
        for (index, part) in parts.enumerated() {
            guard let v = Double(part), v.isFinite, v >= 0 else {
                throw .configuration("--price \"\(text)\": the \(names[index]) price \"\(part)\" is not a non-negative number")
            }
            values.append(v)
        }
        while values.count < 4 { values.append(0) }
        return ModelPrice(input: values[0], output: values[1], cacheRead: values[2], cacheWrite: values[3])
    }
}

/// The built-in prices, by model-name prefix (longest prefix wins, so dated snapshots such
/// as `claude-sonnet-4-5-20250929` find their family). Read on 2026-11-29 from the
/// providers' published pricing pages (Anthropic: platform.claude.com "Pricing", cache
/// write = the 5-minute write price; OpenAI: platform.openai.com "Pricing", cached input
/// as cache read, no cache-write charge). Prices change: this table is a convenience, edit
/// it here or override per run with `--price`. A model not listed has cost "unknown".
public enum PriceTable {
    public static let builtIn: [(prefix: String, price: ModelPrice)] = [
        ("claude-opus-4-5", ModelPrice(input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25)),
        ("claude-opus-4-6", ModelPrice(input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25)),
        ("claude-opus-4-1", ModelPrice(input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75)),
        ("claude-opus-4-0", ModelPrice(input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75)),
        ("claude-opus-4-2", ModelPrice(input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75)),
        ("claude-sonnet-4", ModelPrice(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75)),
        ("claude-3-7-sonnet", ModelPrice(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75)),
        ("claude-haiku-4-5", ModelPrice(input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25)),
        ("claude-3-5-haiku", ModelPrice(input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1)),
        ("claude-3-haiku", ModelPrice(input: 0.25, output: 1.25, cacheRead: 0.03, cacheWrite: 0.3)),
        ("gpt-4.1", ModelPrice(input: 2, output: 8, cacheRead: 0.5, cacheWrite: 0)),
        ("gpt-4.1-mini", ModelPrice(input: 0.4, output: 1.6, cacheRead: 0.1, cacheWrite: 0)),
        ("gpt-4.1-nano", ModelPrice(input: 0.1, output: 0.4, cacheRead: 0.025, cacheWrite: 0)),
        ("gpt-4o", ModelPrice(input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 0)),
        ("gpt-4o-mini", ModelPrice(input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: 0)),
    ]

    /// The price of `model` from the table, nil when no prefix matches.
    public static func price(for model: String) -> ModelPrice? {
        // "gpt-4o-mini" must not be priced as "gpt-4o": the longest prefix wins.
        builtIn.filter { model.hasPrefix($0.prefix) }.max { $0.prefix.count < $1.prefix.count }?.price
    }
}
