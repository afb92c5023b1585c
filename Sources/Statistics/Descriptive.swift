@preconcurrency import CGSL

/// Moments and extremes of one sample, computed by GSL.
///
/// A namespace rather than free functions so that `mean` and friends never collide with helpers of the
/// same name in other modules. Every function throws on an empty sample or on NaN/infinite values
/// instead of returning NaN.
public enum Descriptive {
    /// Arithmetic mean. GSL uses a running-mean recurrence, which stays accurate for long timing series.
    public static func mean(_ values: [Double]) throws -> Double {
        GSL.disableAbortingErrorHandler()
        try Validate.finite(values, context: "mean")
        return gsl_stats_mean(values, 1, values.count)
    }

    /// Sample variance with the n − 1 (Bessel) denominator, because the values are always a sample of
    /// repeated measurements, never the whole population. Needs at least two values.
    public static func variance(_ values: [Double]) throws -> Double {
        GSL.disableAbortingErrorHandler()
        try Validate.finite(values, context: "variance", minimumCount: 2)
        return gsl_stats_variance(values, 1, values.count)
    }

    /// Sample standard deviation, the square root of `variance` (n − 1 denominator). Needs at least two values.
    public static func standardDeviation(_ values: [Double]) throws -> Double {
        GSL.disableAbortingErrorHandler()
        try Validate.finite(values, context: "standardDeviation", minimumCount: 2)
        return gsl_stats_sd(values, 1, values.count)
    }

    /// Smallest value.
    public static func minimum(_ values: [Double]) throws -> Double {
        try minMax(values, context: "minimum").min
    }

    /// Largest value.
    public static func maximum(_ values: [Double]) throws -> Double {
        try minMax(values, context: "maximum").max
    }

    /// Smallest and largest value in one pass.
    public static func minMax(_ values: [Double]) throws -> (min: Double, max: Double) {
        try minMax(values, context: "minMax")
    }

    private static func minMax(_ values: [Double], context: String) throws -> (min: Double, max: Double) {
        GSL.disableAbortingErrorHandler()
        try Validate.finite(values, context: context)
        var lo = 0.0, hi = 0.0
        gsl_stats_minmax(&lo, &hi, values, 1, values.count)
        return (lo, hi)
    }
}
