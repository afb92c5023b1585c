@preconcurrency import CGSL

/// An exact (Clopper–Pearson) confidence interval for a binomial proportion: k events in n trials.
///
/// Exact rather than Wilson because the counts a verification has are small (tens) and the question it answers
/// ("is the false-feasible rate above its nominal level?") needs an interval that never undercovers.
public struct BinomialInterval: Sendable, Equatable {
    public var events: Int
    public var trials: Int
    public var lower: Double
    public var upper: Double
    public var level: Double

    public var proportion: Double { Double(events) / Double(trials) }

    public init(events k: Int, trials n: Int, level: Double = 0.95) throws {
        guard n > 0, k >= 0, k <= n else {
            throw StatisticsError(.invalidArgument, context: "binomial interval", message: "needs 0 ≤ events ≤ trials and trials > 0, got \(k) of \(n)")
        }
        guard level > 0, level < 1 else {
            throw StatisticsError(.invalidArgument, context: "binomial interval", message: "level must be in (0, 1), got \(level)")
        }
        GSL.disableAbortingErrorHandler()
        let alpha = 1 - level
        events = k; trials = n; self.level = level
        lower = k == 0 ? 0 : gsl_cdf_beta_Pinv(alpha / 2, Double(k), Double(n - k + 1))
        upper = k == n ? 1 : gsl_cdf_beta_Pinv(1 - alpha / 2, Double(k + 1), Double(n - k))
    }
}
