@preconcurrency import CGSL

/// Association between two paired samples, e.g. the latencies of the same architectures measured on
/// two devices. Pearson measures linear agreement; the rank correlations (Spearman, Kendall) measure
/// whether the devices *order* architectures the same way, which is what a search actually relies on.
///
/// All functions need at least two pairs, equal lengths, finite values, and some variation in each
/// sample (a correlation with a constant is undefined, so it throws `.degenerateInput` rather than NaN).
public enum Correlation {
    /// Pearson's product-moment correlation r, via `gsl_stats_correlation`.
    public static func pearson(_ x: [Double], _ y: [Double]) throws -> Double {
        GSL.disableAbortingErrorHandler()
        try Validate.pairs(x, y, context: "pearson")
        try requireVariation(x, y, context: "pearson")
        return clampToUnit(gsl_stats_correlation(x, 1, y, 1, x.count))
    }

    /// Spearman's rank correlation rho, via `gsl_stats_spearman`: the Pearson correlation of the ranks,
    /// where tied values share the average of the ranks they span (the same as scipy's `spearmanr`).
    public static func spearman(_ x: [Double], _ y: [Double]) throws -> Double {
        GSL.disableAbortingErrorHandler()
        try Validate.pairs(x, y, context: "spearman")
        try requireVariation(x, y, context: "spearman")
        // GSL ranks both samples in a caller-provided scratch buffer of 2n doubles.
        var work = [Double](repeating: 0, count: 2 * x.count)
        return clampToUnit(gsl_stats_spearman(x, 1, y, 1, x.count, &work))
    }

    /// Rounding can push |r| a few ulps past 1; downstream transforms such as Fisher's z would then
    /// return NaN, so the result is clamped to the mathematically possible range.
    static func clampToUnit(_ r: Double) -> Double {
        Swift.min(1, Swift.max(-1, r))
    }

    static func requireVariation(_ x: [Double], _ y: [Double], context: String) throws {
        for (name, values) in [("x", x), ("y", y)] where values.allSatisfy({ $0 == values[0] }) {
            throw StatisticsError(
                .degenerateInput, context: context,
                message: "\(name) is constant, so a correlation is undefined")
        }
    }
}
