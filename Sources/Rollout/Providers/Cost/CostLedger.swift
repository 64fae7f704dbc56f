/// Token and dollar totals of a run, per model. Every model call that succeeded is
/// recorded once (the provider does it when given the ledger). A model with no known price
/// keeps its token counts and has cost `nil` ("unknown"), never 0.
public actor CostLedger {
    public struct Line: Sendable, Equatable {
        public var model: String
        public var calls: Int
        public var usage: TokenUsage
        /// Dollars; nil when the model's price is unknown.
        public var cost: Double?
    }

    private let override: ModelPrice?
    private let table: @Sendable (String) -> ModelPrice?
    private var lines: [String: Line] = [:]
    private var order: [String] = []

    /// `priceOverride` (`--price`) prices every model of this ledger; otherwise the
    /// built-in `PriceTable`.
    public init(priceOverride: ModelPrice? = nil, table: @escaping @Sendable (String) -> ModelPrice? = PriceTable.price(for:)) {
        self.override = priceOverride
        self.table = table
    }

    public func price(for model: String) -> ModelPrice? { override ?? table(model) }

    public func record(model: String, usage: TokenUsage) {
        if lines[model] == nil {
            order.append(model)
            lines[model] = Line(model: model, calls: 0, usage: TokenUsage(), cost: nil)
        }
        lines[model]!.calls += 1
        lines[model]!.usage = lines[model]!.usage + usage
        lines[model]!.cost = price(for: model)?.cost(of: lines[model]!.usage)
    }

    /// Per model, in the order first seen.
    public var perModel: [Line] { order.compactMap { lines[$0] } }

    public var totalUsage: TokenUsage { perModel.reduce(TokenUsage()) { $0 + $1.usage } }

    /// Dollars for the whole run; nil as soon as one model used has no known price.
    public var totalCost: Double? {
        var sum = 0.0
        for line in perModel {
            guard let c = line.cost else { return nil }
            sum += c
        }
        return sum
    }

    /// "$0.0123", or "unknown" (tokens were still counted).
    public static func format(_ cost: Double?) -> String {
        guard let cost else { return "unknown" }
        if cost >= 100 { return "$" + String(format2(cost, 2)) }
        return "$" + format2(cost, 4)
    }

    static func format2(_ v: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((v * scale).rounded())
        let whole = scaled / Int64(scale), frac = scaled % Int64(scale)
        var fracText = String(frac)
        while fracText.count < digits { fracText = "0" + fracText }
        return "\(whole).\(fracText)"
    }
}
