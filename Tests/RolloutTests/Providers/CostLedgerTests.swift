import Testing
@testable import TerrariumRollout

@Suite struct CostLedgerTests {
    @Test func pricesKnownModelsIncludingCacheReadsAndWrites() async {
        let ledger = CostLedger()
        await ledger.record(model: "claude-sonnet-4-5-20250929", usage: TokenUsage(input: 1_000_000, output: 100_000, cacheRead: 2_000_000, cacheWrite: 400_000))
        await ledger.record(model: "claude-sonnet-4-5-20250929", usage: TokenUsage(input: 0, output: 100_000))
        let line = await ledger.perModel[0]
        #expect(line.calls == 2)
        #expect(line.usage == TokenUsage(input: 1_000_000, output: 200_000, cacheRead: 2_000_000, cacheWrite: 400_000))
        // 1 M × $3 + 0.2 M × $15 + 2 M × $0.30 + 0.4 M × $3.75 = 3 + 3 + 0.6 + 1.5
        #expect(abs((line.cost ?? -1) - 8.1) < 1e-9)
        #expect(CostLedger.format(await ledger.totalCost) == "$8.1000")
    }

    @Test func anUnknownModelCountsTokensAndHasNoCost() async {
        let ledger = CostLedger()
        await ledger.record(model: "gpt-4o-mini", usage: TokenUsage(input: 1000, output: 1000))
        await ledger.record(model: "qwen3-8b", usage: TokenUsage(input: 500, output: 20))
        let lines = await ledger.perModel
        #expect(lines.map(\.model) == ["gpt-4o-mini", "qwen3-8b"])
        #expect(lines[1].cost == nil)
        #expect(lines[1].usage == TokenUsage(input: 500, output: 20))
        #expect(await ledger.totalCost == nil)
        #expect(CostLedger.format(nil) == "unknown")
        #expect(await ledger.totalUsage == TokenUsage(input: 1500, output: 1020))
        // The longest prefix wins: gpt-4o-mini is not priced as gpt-4o.
        #expect(abs((lines[0].cost ?? -1) - 0.00075) < 1e-12)
    }

    @Test func anOverridePricesEveryModel() async {
        let ledger = CostLedger(priceOverride: ModelPrice(input: 0.1, output: 0.2, cacheRead: 0.01, cacheWrite: 0))
        await ledger.record(model: "qwen3-8b", usage: TokenUsage(input: 10_000_000, output: 1_000_000, cacheRead: 1_000_000))
        #expect(CostLedger.format(await ledger.totalCost) == "$1.2100")
    }
}
