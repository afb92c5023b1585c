import NASStatistics

/// One predicted value beside what was measured.
public struct PredictedMeasured: Hashable, Sendable, Codable {
    public var predicted: Double
    public var measured: Double

    public init(predicted: Double, measured: Double) {
        self.predicted = predicted
        self.measured = measured
    }

    /// (predicted − measured) / measured: positive when the prediction is too high.
    public var relativeError: Double { (predicted - measured) / measured }
    public var absolutePercentageError: Double { abs(relativeError) * 100 }
    /// measured / predicted: above 2 flags a layer that runs far slower than its kind usually does.
    public var slowdown: Double { measured / predicted }
}

/// How far predictions are from measurements over a set of networks, for one metric.
public struct ErrorSummary: Sendable {
    public var count: Int
    /// Mean absolute percentage error, with a percentile bootstrap 95% interval.
    public var mape: BootstrapInterval
    public var medianAPE: BootstrapInterval
    public var maxAPE: Double
    /// Share of predictions within ±10% of the measurement (nn-Meter's headline figure), 0…1.
    public var within10Percent: Double
    /// Kendall's τ-b between predicted and measured values: does the prediction rank the networks right?
    /// Nil with fewer than three pairs or constant values.
    public var kendallTau: Double?

    /// Needs at least two pairs with a positive measurement.
    public init(_ pairs: [PredictedMeasured], resamples: Int = 2000, seed: UInt = 1) throws {
        let usable = pairs.filter { $0.measured > 0 && $0.predicted.isFinite }
        guard usable.count >= 2 else {
            throw StatisticsError(.tooFewObservations, context: "error summary",
                                  message: "needs at least 2 predicted/measured pairs, got \(usable.count)")
        }
        count = usable.count
        let apes = usable.map(\.absolutePercentageError)
        mape = try bootstrapCI(sample: apes, statistic: Descriptive.mean, resamples: resamples, seed: seed)
        medianAPE = try bootstrapCI(sample: apes, statistic: Descriptive.median, resamples: resamples, seed: seed)
        maxAPE = apes.max()!
        within10Percent = Double(apes.filter { $0 <= 10 }.count) / Double(apes.count)
        kendallTau = usable.count >= 3 ? try? Correlation.kendallTauB(usable.map(\.predicted), usable.map(\.measured)) : nil
    }
}

/// Budget verdicts that the measurement overturns.
public struct FeasibilityCheck: Sendable, Hashable {
    /// Candidate ids predicted within budget but measured over it.
    public var falseFeasible: [Int]
    /// Candidate ids predicted over budget but measured within it (only among sampled infeasible ones).
    public var falseInfeasible: [Int]
    public var checked: Int

    public init(limit: Double, items: [(id: Int, predicted: Double, measured: Double)]) {
        falseFeasible = items.filter { $0.predicted <= limit && $0.measured > limit }.map(\.id)
        falseInfeasible = items.filter { $0.predicted > limit && $0.measured <= limit }.map(\.id)
        checked = items.count
    }
}
