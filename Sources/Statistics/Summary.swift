/// The figures a benchmark report prints for one series of repeated measurements.
///
/// Computed in one go so that every report states the same set of numbers with the same conventions
/// (sample standard deviation, numpy-style linear quantiles).
public struct Summary: Equatable, Sendable, Codable {
    public var count: Int
    public var mean: Double
    /// Sample standard deviation (n − 1). Nil for a single observation: one value says nothing about
    /// spread, and a nil forces the report to say so rather than print a misleading 0 or NaN.
    public var sd: Double?
    public var min: Double
    public var q1: Double
    public var median: Double
    public var q3: Double
    public var max: Double

    /// Summarises a non-empty sample of finite values; throws `StatisticsError` otherwise.
    public init(_ values: [Double]) throws {
        try Validate.finite(values, context: "Summary")
        let q = try Descriptive.quartiles(values)
        let extremes = try Descriptive.minMax(values)
        count = values.count
        mean = try Descriptive.mean(values)
        sd = values.count >= 2 ? try Descriptive.standardDeviation(values) : nil
        min = extremes.min
        q1 = q.q1
        median = q.median
        q3 = q.q3
        max = extremes.max
    }

    /// Coefficient of variation (sd / mean): the relative noise of a timing series, comparable across
    /// layers of very different cost. Nil when sd is unknown or the mean is zero.
    public var coefficientOfVariation: Double? {
        guard let sd, mean != 0 else { return nil }
        return sd / abs(mean)
    }
}
