import NASSearch
import NASStatistics

/// Whether devices rank architectures alike: can one search on device A and deploy on device B?
public struct DeviceAgreement: Sendable {
    public struct Pair: Sendable {
        public var a: String
        public var b: String
        public var metric: CostMetric
        /// Architectures with the metric known on both devices.
        public var count: Int
        public var spearman: BootstrapInterval?
        public var kendall: BootstrapInterval?
        /// Why no figure could be computed (too few architectures, constant values…).
        public var problem: String?
    }

    public var pairs: [Pair]
    public var resamples: Int
    public var seed: UInt

    /// Rank correlations of predicted `metrics` between every pair of `devices`, over distinct architectures,
    /// with percentile bootstrap 95% intervals (GSL mt19937, seeded).
    public init(candidates: [Candidate], devices: [String], metrics: [CostMetric] = [.latency, .energy],
                resamples: Int = 1000, seed: UInt = 1) {
        self.resamples = resamples
        self.seed = seed
        var seen = Set<Genotype>()
        let distinct = candidates.filter { seen.insert($0.genotype).inserted }
        var pairs: [Pair] = []
        for metric in metrics {
            for i in devices.indices {
                for j in devices.indices where j > i {
                    let (a, b) = (devices[i], devices[j])
                    var xs: [Double] = [], ys: [Double] = []
                    for c in distinct {
                        if let x = c.evaluation.costs[a]?[metric], let y = c.evaluation.costs[b]?[metric] {
                            xs.append(x); ys.append(y)
                        }
                    }
                    var pair = Pair(a: a, b: b, metric: metric, count: xs.count)
                    if xs.count < 3 {
                        let reason = distinct.lazy.compactMap { c in
                            c.evaluation.costs[a]?.unavailable[metric.rawValue].map { "\(a): \($0)" }
                                ?? c.evaluation.costs[b]?.unavailable[metric.rawValue].map { "\(b): \($0)" }
                        }.first
                        pair.problem = reason.map { "not comparable, \($0)" } ?? "\(xs.count) architectures with \(metric.rawValue) known on both"
                    } else {
                        do {
                            pair.spearman = try bootstrapCI(pairsX: xs, pairsY: ys, statistic: Correlation.spearman,
                                                            resamples: resamples, seed: seed)
                            pair.kendall = try bootstrapCI(pairsX: xs, pairsY: ys, statistic: Correlation.kendallTauB,
                                                           resamples: resamples, seed: seed)
                        } catch {
                            pair.problem = "\(error)"
                        }
                    }
                    pairs.append(pair)
                }
            }
        }
        self.pairs = pairs
    }
}
