@preconcurrency import CGSL

/// The three quartiles of a sample: the box of a box plot and the centre of a latency report.
public struct Quartiles: Equatable, Sendable, Codable {
    public var q1: Double
    public var median: Double
    public var q3: Double

    public init(q1: Double, median: Double, q3: Double) {
        self.q1 = q1
        self.median = median
        self.q3 = q3
    }

    /// q3 − q1: a spread measure that, unlike the standard deviation, ignores the occasional
    /// scheduler hiccup in a timing series.
    public var interquartileRange: Double { q3 - q1 }
}

/// Order statistics, using GSL's `gsl_stats_quantile_from_sorted_data` convention: the p-quantile sits
/// at position p·(n − 1) of the sorted sample and is linearly interpolated between its neighbours. That
/// is numpy's default (`method="linear"`) and R's type 7, so numbers agree with the usual Python tooling.
extension Descriptive {
    /// The p-quantile for p in [0, 1] (0 gives the minimum, 1 the maximum).
    public static func quantile(_ values: [Double], _ p: Double) throws -> Double {
        try quantiles(values, at: [p], context: "quantile")[0]
    }

    /// Several quantiles at once, sorting the sample only once.
    public static func quantiles(_ values: [Double], at levels: [Double]) throws -> [Double] {
        try quantiles(values, at: levels, context: "quantiles")
    }

    /// The middle value, or the mean of the two middle values for an even count.
    public static func median(_ values: [Double]) throws -> Double {
        GSL.disableAbortingErrorHandler()
        try Validate.finite(values, context: "median")
        let sorted = values.sorted()
        return gsl_stats_median_from_sorted_data(sorted, 1, sorted.count)
    }

    /// The 0.25, 0.5 and 0.75 quantiles.
    public static func quartiles(_ values: [Double]) throws -> Quartiles {
        let q = try quantiles(values, at: [0.25, 0.5, 0.75], context: "quartiles")
        return Quartiles(q1: q[0], median: q[1], q3: q[2])
    }

    /// Quantiles of data the caller has already sorted ascending and validated; used by the bootstrap,
    /// which sorts its replicates once. Not public because an unsorted argument would give silent nonsense.
    static func quantileOfSorted(_ sorted: [Double], _ p: Double) -> Double {
        gsl_stats_quantile_from_sorted_data(sorted, 1, sorted.count, p)
    }

    private static func quantiles(_ values: [Double], at levels: [Double], context: String) throws -> [Double] {
        GSL.disableAbortingErrorHandler()
        try Validate.finite(values, context: context)
        for p in levels {
            try Validate.unitInterval(p, context: context, name: "quantile level")
        }
        let sorted = values.sorted()
        return levels.map { quantileOfSorted(sorted, $0) }
    }
}
