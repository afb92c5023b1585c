import Foundation
import NASArchitecture
import NASStatistics

/// One model a (kind, metric) may choose: a family, fitted on the device's own samples or on its device
/// group's samples with device descriptors as extra features.
public struct ModelCandidate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var family: RegressorFamily
    public var pooled: Bool

    public init(_ family: RegressorFamily, pooled: Bool = false) { self.family = family; self.pooled = pooled }

    /// `family` or `pooled:family`, as in manifests.
    public var description: String { pooled ? "pooled:\(family.rawValue)" : family.rawValue }

    public init?(name: String) {
        let pooled = name.hasPrefix("pooled:")
        guard let family = RegressorFamily(rawValue: pooled ? String(name.dropFirst(7)) : name) else { return nil }
        self.init(family, pooled: pooled)
    }

    /// Per-device before pooled, then the family's tie-break order (simplest first).
    public static func < (a: ModelCandidate, b: ModelCandidate) -> Bool { (a.pooled ? 1 : 0, a.family) < (b.pooled ? 1 : 0, b.family) }
}

/// The learning problem of one (kind, metric): the device's rows, which are the only ones ever scored,
/// optionally its group's rows for pooled candidates, and the procedure that turns training rows into a
/// model: drop untuned-schedule outliers (latency), pick a candidate by inner cross-validation on MAPE,
/// refit it. `nas train` runs that procedure on all rows for the shipped model, and inside every outer fold
/// of a nested cross-validation to score it honestly.
struct ModelSelection: Sendable {
    typealias Fitter = @Sendable (_ family: RegressorFamily, _ X: [[Double]], _ y: [Double], _ metric: Metric, _ seed: UInt64) throws -> any Regressor

    let metric: Metric
    /// The device's own rows: base features, the same with its descriptor appended (pooled models), log targets.
    let own: [[Double]]
    let ownPooled: [[Double]]
    let y: [Double]
    /// Inliers of the other group members, with their own descriptors: always training data, never scored.
    let group: (X: [[Double]], y: [Double])
    let candidates: [ModelCandidate]
    var fitter: Fitter = { family, X, y, metric, seed in try family.type.fit(X: X, y: y, metric: metric, seed: seed) }

    var actual: [Double] { y.map { Foundation.exp($0) } }

    /// Families that can be pooled: those that read any number of feature columns.
    static func pooledFamilies(for metric: Metric) -> [RegressorFamily] {
        [.relativePowerLaw, .extraTrees, .xgboost] + (metric == .latency ? [.rooflineTrees, .floorTrees] : [])
    }

    init(metric: Metric, device: DeviceSpec, rows: [MeasuredSample], group: (X: [[Double]], y: [Double])?) {
        self.metric = metric
        own = rows.map { Features.vector($0.workload, spec: device) }
        let descriptor = Features.descriptor(device)
        ownPooled = own.map { $0 + descriptor }
        y = rows.map { Foundation.log($0.measurements.value(metric)!) }
        self.group = group ?? ([], [])
        candidates = RegressorFamily.candidates(for: metric).map { ModelCandidate($0) }
            + (self.group.y.isEmpty ? [] : Self.pooledFamilies(for: metric).map { ModelCandidate($0, pooled: true) })
    }

    init(metric: Metric, own: [[Double]], y: [Double], candidates: [ModelCandidate], fitter: @escaping Fitter) {
        self.metric = metric; self.own = own; ownPooled = own; self.y = y; group = ([], [])
        self.candidates = candidates; self.fitter = fitter
    }

    /// What the procedure produced on one set of training rows.
    struct Trained: Sendable {
        var candidate: ModelCandidate
        var model: any Regressor
        /// Training rows flagged as outliers and left out.
        var outliers: [Int]
        /// Every candidate's inner cross-validation result on the inliers.
        var results: [ModelCandidate: CandidateResult]
    }

    func fit(_ c: ModelCandidate, rows: [Int], seed: UInt64) throws -> any Regressor {
        if c.pooled {
            return try fitter(c.family, rows.map { ownPooled[$0] } + group.X, rows.map { y[$0] } + group.y, metric, seed)
        }
        return try fitter(c.family, rows.map { own[$0] }, rows.map { y[$0] }, metric, seed)
    }

    func predict(_ model: any Regressor, _ c: ModelCandidate, row i: Int) -> Double {
        model.predict(c.pooled ? ownPooled[i] : own[i])
    }

    /// The whole procedure on `rows`.
    func train(rows: [Int]) throws -> Trained {
        let outliers = metric == .latency ? OutlierRule.flag(rows: rows, X: own, y: y).map(\.row) : []
        let excluded = Set(outliers)
        let inliers = rows.filter { !excluded.contains($0) }
        let folds = CrossValidation.foldAssignment(n: inliers.count).map { $0.map { inliers[$0] } }
        var results: [ModelCandidate: CandidateResult] = [:]
        var best: (ModelCandidate, Double)? = nil
        for c in candidates {
            do {
                let oof = try outOfFold(c, folds: folds)
                let scores = Scores(actual: inliers.map { Foundation.exp(y[$0]) }, predicted: inliers.map { Foundation.exp(oof[$0]!) })
                results[c] = .scores(scores)
                if best == nil || scores.mape < best!.1 { best = (c, scores.mape) }
            } catch {
                results[c] = .unavailable("\(error)")
            }
        }
        guard let (chosen, _) = best else {
            throw FitError("no candidate model could be fitted to the \(inliers.count) samples")
        }
        return Trained(candidate: chosen, model: try fit(chosen, rows: inliers, seed: CrossValidation.seed),
                       outliers: outliers, results: results)
    }

    /// Out-of-fold log predictions of `c` for the rows in `folds` (by row index).
    func outOfFold(_ c: ModelCandidate, folds: [[Int]]) throws -> [Int: Double] {
        var predictions: [Int: Double] = [:]
        let all = folds.flatMap { $0 }
        for (f, test) in folds.enumerated() {
            let held = Set(test)
            let training = all.filter { !held.contains($0) }
            guard !training.isEmpty else { throw FitError("fold \(f) has no training rows") }
            let model = try fit(c, rows: training, seed: CrossValidation.seed &+ UInt64(f))
            for i in test { predictions[i] = predict(model, c, row: i) }
        }
        return predictions
    }

    /// Nested cross-validation: every outer fold runs the whole procedure on the other folds and predicts its
    /// own rows, which no step of that procedure saw. Returns log predictions of every row and each fold's pick.
    func nested(folds: [[Int]]) throws -> (predictions: [Double], picks: [ModelCandidate]) {
        // The outer folds are independent and each is deterministic, so they run in parallel and give the
        // same bundle on any number of CPUs.
        let outcomes = ParallelFolds.map(folds.count) { f -> Result<Trained, any Error> in
            let held = Set(folds[f])
            return Result { try train(rows: (0..<y.count).filter { !held.contains($0) }) }
        }
        var predictions = [Double](repeating: .nan, count: y.count)
        var picks: [ModelCandidate] = []
        for (test, outcome) in zip(folds, outcomes) {
            let trained = try outcome.get()
            picks.append(trained.candidate)
            for i in test { predictions[i] = predict(trained.model, trained.candidate, row: i) }
        }
        return (predictions, picks)
    }
}

/// Runs independent, deterministic jobs on all CPUs and returns their results in job order.
enum ParallelFolds {
    static func map<T>(_ count: Int, _ job: @Sendable (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            DispatchQueue.concurrentPerform(iterations: count) { i in out[i] = job(i) }
        }
        return results.map { $0! }
    }
}

/// The robust residual rule for untuned-schedule outliers (Sponner et al. removed them with an isolation
/// forest). A latency floor fitted to relative error (an L1 fit, so outliers barely move it) predicts every
/// training row; a row is an outlier when it took more than twice that and its log ratio lies more than
/// three robust standard deviations (1.4826 × MAD) above the median log ratio.
enum OutlierRule {
    static let minimumRows = 20
    static let deviations = 3.0
    static let minimumRatio = 2.0

    /// Outlier rows of `rows`, each with its measured time over the reference.
    static func flag(rows: [Int], X: [[Double]], y: [Double]) -> [(row: Int, ratio: Double)] {
        guard rows.count >= minimumRows,
              let reference = try? LatencyFloorRegressor.fit(X: rows.map { X[$0] }, y: rows.map { y[$0] }, metric: .latency, seed: 0) else {
            return []
        }
        let ratios = rows.map { y[$0] - reference.predict(X[$0]) }
        guard let median = try? Descriptive.median(ratios),
              let mad = try? Descriptive.median(ratios.map { abs($0 - median) }) else { return [] }
        let threshold = max(median + deviations * 1.4826 * mad, Foundation.log(minimumRatio))
        return zip(rows, ratios).filter { $0.1 > threshold }.map { ($0.0, Foundation.exp($0.1)) }
    }
}
