/// Unbiased estimators over the n episodes of one condition, c of which "passed" (here: a
/// measurement that is not `acted`).
///
/// - pass@k: the chance that at least one of k episodes drawn without replacement passes,
///   1 − C(n−c, k) / C(n, k) (the estimator of Chen et al. 2021, "Evaluating Large
///   Language Models Trained on Code").
/// - pass^k: the chance that all k drawn episodes pass, C(c, k) / C(n, k) (the τ-bench
///   "pass^k" reliability measure).
///
/// Both are nil when k is outside 1…n: there are not k episodes to draw.
/// Products of ratios, not binomial coefficients, so n in the thousands cannot overflow.
public enum PassEstimator {
    public static func passAtK(n: Int, passed c: Int, k: Int) -> Double? {
        guard k >= 1, k <= n, c >= 0, c <= n else { return nil }
        // C(n−c, k) / C(n, k) = Π_{i<k} (n−c−i)/(n−i); zero once fewer than k failures exist.
        if n - c < k { return 1 }
        var allFail = 1.0
        for i in 0..<k { allFail *= Double(n - c - i) / Double(n - i) }
        return 1 - allFail
    }

    public static func passHatK(n: Int, passed c: Int, k: Int) -> Double? {
        guard k >= 1, k <= n, c >= 0, c <= n else { return nil }
        if c < k { return 0 }
        var allPass = 1.0
        for i in 0..<k { allPass *= Double(c - i) / Double(n - i) }
        return allPass
    }
}
