import Foundation
import NASArchitecture
import NASSupport

/// Error figures of predictions against measurements, on the metric's own scale (not the log scale).
public struct Scores: Hashable, Sendable {
    public var count: Int
    /// Coefficient of determination 1 − SS_res / SS_tot.
    public var r2: Double
    /// Mean absolute error, in the metric's unit.
    public var mae: Double
    /// Median absolute error, in the metric's unit.
    public var medianAE: Double
    /// Mean absolute percentage error, in percent.
    public var mape: Double
    /// Median absolute percentage error, in percent.
    public var medianAPE: Double
    /// Largest absolute error, in the metric's unit.
    public var maxAE: Double
    /// Largest absolute percentage error, in percent.
    public var maxAPE: Double
    /// Share of predictions within ±10 % of the measurement, in percent (nn-Meter's headline figure).
    public var within10: Double

    public init(count: Int, r2: Double, mae: Double, medianAE: Double, mape: Double, medianAPE: Double,
                maxAE: Double, maxAPE: Double, within10: Double) {
        self.count = count; self.r2 = r2; self.mae = mae; self.medianAE = medianAE; self.mape = mape
        self.medianAPE = medianAPE; self.maxAE = maxAE; self.maxAPE = maxAPE; self.within10 = within10
    }

    /// Scores of `predicted` against `actual` (same order, all actual values positive).
    public init(actual: [Double], predicted: [Double]) {
        precondition(actual.count == predicted.count && !actual.isEmpty)
        let n = Double(actual.count)
        let errors = zip(actual, predicted).map { abs($1 - $0) }
        let percent = zip(actual, errors).map { 100 * $1 / abs($0) }
        let mean = actual.reduce(0, +) / n
        let ssTot = actual.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let ssRes = errors.reduce(0) { $0 + $1 * $1 }
        func median(_ v: [Double]) -> Double {
            let s = v.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        self.init(count: actual.count,
                  r2: ssTot > 0 ? 1 - ssRes / ssTot : (ssRes == 0 ? 1 : 0),
                  mae: errors.reduce(0, +) / n, medianAE: median(errors),
                  mape: percent.reduce(0, +) / n, medianAPE: median(percent),
                  maxAE: errors.max()!, maxAPE: percent.max()!,
                  within10: 100 * Double(percent.filter { $0 <= 10 }.count) / n)
    }

    /// Rounded to four significant digits, as stored in manifests (so they read well and stay stable).
    static func round4(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        return Double(String(format: "%.4g", x))!
    }

    public var rounded: Scores {
        let r = Scores.round4
        return Scores(count: count, r2: r(r2), mae: r(mae), medianAE: r(medianAE), mape: r(mape), medianAPE: r(medianAPE),
                      maxAE: r(maxAE), maxAPE: r(maxAPE), within10: r(within10))
    }

    var json: JSONValue {
        .object(["n": JSONValue(count), "r2": .number(r2), "mae": .number(mae), "median_ae": .number(medianAE),
                 "mape": .number(mape), "median_ape": .number(medianAPE), "max_ae": .number(maxAE),
                 "max_ape": .number(maxAPE), "within_10pct": .number(within10)])
    }

    init(json: JSONValue, file: String) throws {
        func n(_ key: String) throws -> Double {
            guard let v = json[key] else { throw PredictorError(file: file, "corrupt manifest: scores lack '\(key)'") }
            if case .null = v { return .nan }
            guard let d = v.doubleValue else { throw PredictorError(file: file, "corrupt manifest: score '\(key)' is not a number") }
            return d
        }
        guard let count = json["n"]?.intValue else { throw PredictorError(file: file, "corrupt manifest: scores lack 'n'") }
        self.init(count: count, r2: try n("r2"), mae: try n("mae"), medianAE: try n("median_ae"), mape: try n("mape"),
                  medianAPE: try n("median_ape"), maxAE: try n("max_ae"), maxAPE: try n("max_ape"),
                  within10: try n("within_10pct"))
    }
}

/// Seeded k-fold cross-validation on log targets.
public enum CrossValidation {
    public static let folds = 5
    public static let seed: UInt64 = 42
    /// Fewer samples than this and a (workload, metric) gets no model.
    public static let minimumSamples = 3

    /// Splits 0..<n into `k` folds (k = min(folds, n)) after a seeded Fisher–Yates shuffle; fold i takes
    /// every k-th shuffled index starting at i.
    public static func foldAssignment(n: Int, folds: Int = CrossValidation.folds, seed: UInt64 = CrossValidation.seed) -> [[Int]] {
        var order = Array(0..<n)
        var rng = SplitMix64(seed: seed)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) {
                let j = rng.int(i + 1)
                order.swapAt(i, j)
            }
        }
        let k = min(folds, n)
        return (0..<k).map { f in stride(from: f, to: n, by: k).map { order[$0] }.sorted() }
    }

    /// Out-of-fold predictions (log space) of `family` for every row. Throws if any fold cannot be fitted.
    public static func outOfFold(_ family: RegressorFamily, X: [[Double]], y: [Double], metric: Metric, folds: [[Int]]) throws -> [Double] {
        var predictions = [Double](repeating: .nan, count: y.count)
        for (f, test) in folds.enumerated() {
            let testSet = Set(test)
            let train = (0..<y.count).filter { !testSet.contains($0) }
            guard !train.isEmpty else { throw FitError("fold \(f) has no training rows") }
            let model = try family.type.fit(X: train.map { X[$0] }, y: train.map { y[$0] }, metric: metric, seed: seed &+ UInt64(f))
            for i in test { predictions[i] = model.predict(X[i]) }
        }
        return predictions
    }
}
