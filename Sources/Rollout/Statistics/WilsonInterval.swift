import Foundation

/// The Wilson score interval for a binomial proportion: `successes` out of `trials`.
///
/// Chosen over the normal ("Wald") interval because rollout conditions are small (often
/// 10–100 episodes) and rates are often near 0 or 1, where Wald collapses to a zero-width
/// interval at 0/n and n/n; Wilson stays inside [0, 1] and keeps its coverage there.
public struct WilsonInterval: Sendable, Equatable {
    public var lower: Double
    public var upper: Double

    /// z for a two-sided 95% interval (the 0.975 quantile of the standard normal).
    public static let z95 = 1.959963984540054

    /// nil when there are no trials: no interval, rather than a made-up [0, 1].
    public init?(successes: Int, trials: Int, z: Double = WilsonInterval.z95) {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        // At 0/n and n/n the exact bound is 0 (1); rounding must not leave 1e-17 there.
        lower = successes == 0 ? 0 : max(0, centre - half)
        upper = successes == trials ? 1 : min(1, centre + half)
    }

    public init(lower: Double, upper: Double) { self.lower = lower; self.upper = upper }
}
