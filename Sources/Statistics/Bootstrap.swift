/// A bootstrap confidence interval around a statistic's value on the original sample.
public struct BootstrapInterval: Equatable, Sendable, Codable {
    /// The statistic on the original, unresampled data.
    public var estimate: Double
    public var lower: Double
    public var upper: Double
    /// Nominal coverage, e.g. 0.95.
    public var confidence: Double
    public var resamples: Int

    public init(estimate: Double, lower: Double, upper: Double, confidence: Double, resamples: Int) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
        self.resamples = resamples
    }

    public var width: Double { upper - lower }
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}

/// Percentile bootstrap confidence interval for a statistic of one sample.
///
/// Draws `resamples` samples of size n with replacement, evaluates `statistic` on each, and returns the
/// (1 − confidence)/2 and (1 + confidence)/2 quantiles of those replicates (numpy-style linear
/// quantiles). The percentile method needs no distributional assumption, which suits skewed latency
/// data and rank correlations alike. The draw order is fixed, so the same seed gives the same interval.
///
/// Throws on fewer than two observations, non-finite data, `resamples < 1`, `confidence` outside
/// (0, 1), and when the statistic throws or returns a non-finite value on the sample or any resample.
public func bootstrapCI(
    sample: [Double],
    statistic: ([Double]) throws -> Double,
    resamples: Int = 2000,
    confidence: Double = 0.95,
    seed: UInt
) throws -> BootstrapInterval {
    let context = "bootstrapCI"
    try Validate.finite(sample, context: context, name: "sample", minimumCount: 2)
    return try percentileInterval(
        count: sample.count, resamples: resamples, confidence: confidence, seed: seed, context: context,
        original: { try statistic(sample) },
        replicate: { indices, buffer in
            for (k, i) in indices.enumerated() { buffer[k] = sample[i] }
            return try statistic(buffer)
        })
}

/// Paired percentile bootstrap: resamples (xᵢ, yᵢ) pairs together, keeping each pair intact.
///
/// This is the right resampling for statistics of two aligned samples, such as the Kendall or Spearman
/// correlation between the latencies of the same architectures on two devices: resampling x and y
/// independently would destroy exactly the association being measured. Same seed, same interval.
public func bootstrapCI(
    pairsX x: [Double],
    pairsY y: [Double],
    statistic: ([Double], [Double]) throws -> Double,
    resamples: Int = 2000,
    confidence: Double = 0.95,
    seed: UInt
) throws -> BootstrapInterval {
    let context = "bootstrapCI(pairs)"
    try Validate.pairs(x, y, context: context, minimumCount: 2)
    var bufferY = [Double](repeating: 0, count: y.count)
    return try percentileInterval(
        count: x.count, resamples: resamples, confidence: confidence, seed: seed, context: context,
        original: { try statistic(x, y) },
        replicate: { indices, bufferX in
            for (k, i) in indices.enumerated() {
                bufferX[k] = x[i]
                bufferY[k] = y[i]
            }
            return try statistic(bufferX, bufferY)
        })
}

/// The shared resampling loop. `replicate` receives the drawn indices and a reusable buffer of size n,
/// so a run of thousands of resamples allocates nothing per draw unless the statistic keeps the array.
private func percentileInterval(
    count n: Int,
    resamples: Int,
    confidence: Double,
    seed: UInt,
    context: String,
    original: () throws -> Double,
    replicate: ([Int], inout [Double]) throws -> Double
) throws -> BootstrapInterval {
    guard resamples >= 1 else {
        throw StatisticsError(.invalidArgument, context: context, message: "resamples must be at least 1, got \(resamples)")
    }
    guard confidence.isFinite, confidence > 0, confidence < 1 else {
        throw StatisticsError(.invalidArgument, context: context, message: "confidence must lie in (0, 1), got \(confidence)")
    }
    let estimate = try original()
    guard estimate.isFinite else {
        throw StatisticsError(.degenerateInput, context: context, message: "the statistic is \(estimate) on the original sample")
    }

    let random = GSLRandom(seed: seed)
    var indices = [Int](repeating: 0, count: n)
    var buffer = [Double](repeating: 0, count: n)
    var replicates = [Double]()
    replicates.reserveCapacity(resamples)
    for r in 0..<resamples {
        for k in 0..<n { indices[k] = random.uniformInt(n) }
        let value = try replicate(indices, &buffer)
        guard value.isFinite else {
            throw StatisticsError(
                .degenerateInput, context: context,
                message: "the statistic is \(value) on resample \(r) (e.g. a resample with no variation); "
                    + "make the statistic total or use more observations")
        }
        replicates.append(value)
    }
    replicates.sort()
    let alpha = 1 - confidence
    return BootstrapInterval(
        estimate: estimate,
        lower: Descriptive.quantileOfSorted(replicates, alpha / 2),
        upper: Descriptive.quantileOfSorted(replicates, 1 - alpha / 2),
        confidence: confidence,
        resamples: resamples)
}
