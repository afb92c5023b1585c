import Foundation
import NASArchitecture
import NASStatistics

/// The analytic roofline itself, fitted to nothing: log y = log max(FLOPs/peak, bytes/bandwidth).
public struct AnalyticRooflineRegressor: Regressor {
    public static let family = RegressorFamily.analyticRoofline

    public static func fit(X: [[Double]], y: [Double], metric: Metric, seed: UInt64) throws -> AnalyticRooflineRegressor {
        AnalyticRooflineRegressor()
    }
    public func predict(_ row: UnsafeBufferPointer<Double>) -> Double { row[Features.rooflineIndex] }
    public func serialized() throws -> Data {
        ModelJSON.encode(Self.family, ["formula": "latency_ms = max(FLOPs/peak, bytes/bandwidth) of the bundle's device spec"])
    }
    public static func load(_ data: Data, file: String, width: Int) throws -> AnalyticRooflineRegressor {
        _ = try ModelJSON.decode(data, family: family, file: file)
        return AnalyticRooflineRegressor()
    }
}

/// Predicts the mean of the (log) training targets.
public struct ConstantRegressor: Regressor {
    public static let family = RegressorFamily.constant
    public var value: Double

    public static func fit(X: [[Double]], y: [Double], metric: Metric, seed: UInt64) throws -> ConstantRegressor {
        guard !y.isEmpty else { throw FitError("no samples") }
        return ConstantRegressor(value: shortFloat(y.reduce(0, +) / Double(y.count)))
    }
    public func predict(_ row: UnsafeBufferPointer<Double>) -> Double { value }
    public func serialized() throws -> Data { ModelJSON.encode(Self.family, ["value": .number(value)]) }
    public static func load(_ data: Data, file: String, width: Int) throws -> ConstantRegressor {
        let o = try ModelJSON.decode(data, family: family, file: file)
        return ConstantRegressor(value: try ModelJSON.double(o, "value", file: file))
    }
}

/// y = t0 + roofline / η: the device's roofline time, slowed by one efficiency factor η, plus a fixed
/// per-layer overhead t0 (kernel launch, runtime dispatch). Fitted by least squares on the *relative*
/// error Σ ((t0 + b·rᵢ − yᵢ) / yᵢ)², which is what MAPE rewards; t0 ≥ 0 and b > 0 are enforced by
/// falling back to the pure scaling fit (t0 = 0) when the unconstrained solution leaves that range.
public struct RooflineRegressor: Regressor {
    public static let family = RegressorFamily.roofline
    /// Milliseconds.
    public var overhead: Double
    /// 1 / η: measured time per roofline time.
    public var slowdown: Double

    public static func fit(X: [[Double]], y: [Double], metric: Metric, seed: UInt64) throws -> RooflineRegressor {
        guard !y.isEmpty else { throw FitError("no samples") }
        let r = X.map { Foundation.exp($0[Features.rooflineIndex]) }
        let t = y.map { Foundation.exp($0) }
        // Weighted normal equations with weights 1/tᵢ².
        var s00 = 0.0, s01 = 0.0, s11 = 0.0, b0 = 0.0, b1 = 0.0
        for i in 0..<t.count {
            let w = 1 / (t[i] * t[i])
            s00 += w; s01 += w * r[i]; s11 += w * r[i] * r[i]; b0 += w * t[i]; b1 += w * t[i] * r[i]
        }
        let det = s00 * s11 - s01 * s01
        if t.count >= 2, abs(det) > 1e-12 * s00 * s11 {
            let t0 = (b0 * s11 - b1 * s01) / det
            let b = (s00 * b1 - s01 * b0) / det
            if t0 >= 0, b > 0 { return RooflineRegressor(overhead: shortFloat(t0), slowdown: shortFloat(b)) }
        }
        guard s11 > 0 else { throw FitError("roofline times are zero") }
        return RooflineRegressor(overhead: 0, slowdown: shortFloat(b1 / s11))
    }
    public func predict(_ row: UnsafeBufferPointer<Double>) -> Double {
        Foundation.log(overhead + slowdown * Foundation.exp(row[Features.rooflineIndex]))
    }
    public func serialized() throws -> Data {
        ModelJSON.encode(Self.family, ["overhead_ms": .number(overhead), "slowdown": .number(slowdown),
                                       "formula": "latency_ms = overhead_ms + slowdown × max(FLOPs/peak, bytes/bandwidth)"])
    }
    public static func load(_ data: Data, file: String, width: Int) throws -> RooflineRegressor {
        let o = try ModelJSON.decode(data, family: family, file: file)
        let t0 = try ModelJSON.double(o, "overhead_ms", file: file), b = try ModelJSON.double(o, "slowdown", file: file)
        guard t0 >= 0, b > 0 else { throw PredictorError(file: file, "corrupt model file: overhead must be ≥ 0 and slowdown > 0") }
        return RooflineRegressor(overhead: t0, slowdown: b)
    }
}

/// Ordinary least squares on a few log features (GSL's `gsl_multifit_linear` through NASStatistics).
/// A model linear in selected feature columns, in log space: the storage and the evaluation that
/// `linear_log` and `relative_power_law` share (they differ in how the weights are fitted).
protocol LinearColumnsModel {
    var columns: [Int] { get }
    var intercept: Double { get }
    var weights: [Double] { get }
}

extension LinearColumnsModel {
    func linearPredict(_ row: UnsafeBufferPointer<Double>) -> Double {
        var s = intercept
        for (i, c) in columns.enumerated() { s += weights[i] * row[c] }
        return s
    }

    var linearJSONFields: [String: JSONValue] {
        ["columns": ModelJSON.array(columns), "column_names": .array(columns.map { .string(Features.columnName($0)) }),
         "intercept": .number(intercept), "weights": ModelJSON.array(weights)]
    }
}

public struct LinearLogRegressor: Regressor, LinearColumnsModel {
    public static let family = RegressorFamily.linearLog
    /// Feature indices used (constant columns of the training data are dropped).
    public var columns: [Int]
    public var intercept: Double
    public var weights: [Double]

    public static func fit(X: [[Double]], y: [Double], metric: Metric, seed: UInt64) throws -> LinearLogRegressor {
        // Drop columns that do not vary, and the second of two identical columns (e.g. pooling, where
        // compute and memory time can be proportional): they would make the design rank-deficient.
        var columns: [Int] = []
        // A pooled model's rows carry the device descriptor after the base features: those columns join the fit.
        let subset = metric == .memory || metric == .deviceMemory ? Features.linearMemorySubset : Features.linearCostSubset
        for c in subset + Array(Features.count..<max(Features.count, X.first?.count ?? 0)) {
            let values = X.map { $0[c] }
            guard let lo = values.min(), let hi = values.max(), hi - lo > 1e-9 else { continue }
            columns.append(c)
        }
        while true {
            let design = X.map { row in columns.map { row[$0] } }
            do {
                let fit = try LinearLeastSquares.fit(X: design, y: y, intercept: true)
                return LinearLogRegressor(columns: columns, intercept: shortFloat(fit.intercept),
                                          weights: fit.weights.map(shortFloat))
            } catch let e as StatisticsError {
                if case .degenerateInput = e.kind, columns.count > 0 {
                    columns.removeLast()
                    continue
                }
                throw FitError(e.description)
            }
        }
    }

    public func predict(_ row: UnsafeBufferPointer<Double>) -> Double { linearPredict(row) }

    public func serialized() throws -> Data { ModelJSON.encode(Self.family, linearJSONFields) }

    public static func load(_ data: Data, file: String, width: Int) throws -> LinearLogRegressor {
        let f = try linearFields(try ModelJSON.decode(data, family: family, file: file), file: file, width: width)
        return LinearLogRegressor(columns: f.columns, intercept: f.intercept, weights: f.weights)
    }

    /// The columns, intercept and weights of a linear model file (also `relative_power_law`), checked against `width`.
    static func linearFields(_ o: [String: JSONValue], file: String, width: Int) throws -> (columns: [Int], intercept: Double, weights: [Double]) {
        let columns = try ModelJSON.ints(o, "columns", file: file)
        let weights = try ModelJSON.doubles(o, "weights", file: file)
        guard columns.count == weights.count, columns.allSatisfy({ (0..<width).contains($0) }) else {
            throw PredictorError(file: file, "corrupt model file: 'columns' and 'weights' do not match the \(width) features")
        }
        return (columns, try ModelJSON.double(o, "intercept", file: file), weights)
    }
}

/// k nearest neighbours with uniform weights on standardised features (k = 3, as the paper's best
/// network-level model). Averages the log targets, i.e. predicts the geometric mean of the neighbours.
public struct KNNRegressor: Regressor {
    public static let family = RegressorFamily.knn
    public static let defaultK = 3
    public var k: Int
    /// Standardisation per feature; a scale of 0 marks a feature that is constant in the training set (ignored).
    public var mean: [Double]
    public var scale: [Double]
    /// Standardised training rows, row-major, `Features.count` per row.
    public var points: [Double]
    public var targets: [Double]

    public static func fit(X: [[Double]], y: [Double], metric: Metric, seed: UInt64) throws -> KNNRegressor {
        guard !y.isEmpty else { throw FitError("no samples") }
        let d = Features.count
        var mean = [Double](repeating: 0, count: d), scale = [Double](repeating: 0, count: d)
        for j in 0..<d {
            let column = X.map { $0[j] }
            let m = column.reduce(0, +) / Double(column.count)
            let variance = column.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(column.count)
            mean[j] = shortFloat(m)
            scale[j] = variance > 1e-18 ? shortFloat(1 / variance.squareRoot()) : 0
        }
        var points: [Double] = []
        points.reserveCapacity(X.count * d)
        for row in X { for j in 0..<d { points.append(shortFloat((row[j] - mean[j]) * scale[j])) } }
        return KNNRegressor(k: min(defaultK, y.count), mean: mean, scale: scale, points: points, targets: y.map(shortFloat))
    }

    public func predict(_ row: UnsafeBufferPointer<Double>) -> Double {
        let d = Features.count
        let n = targets.count
        // Keep the k best (distance, index) pairs; ties go to the earlier training row.
        var bestD = (Double.infinity, Double.infinity, Double.infinity)
        var bestI = (-1, -1, -1)
        points.withUnsafeBufferPointer { p in
            for i in 0..<n {
                var dist = 0.0
                let base = i * d
                for j in 0..<d where scale[j] != 0 {
                    let z = (row[j] - mean[j]) * scale[j] - p[base + j]
                    dist += z * z
                }
                if dist < bestD.2 {
                    if dist < bestD.1 {
                        bestD.2 = bestD.1; bestI.2 = bestI.1
                        if dist < bestD.0 {
                            bestD.1 = bestD.0; bestI.1 = bestI.0
                            bestD.0 = dist; bestI.0 = i
                        } else {
                            bestD.1 = dist; bestI.1 = i
                        }
                    } else {
                        bestD.2 = dist; bestI.2 = i
                    }
                }
            }
        }
        var sum = targets[bestI.0]
        if k > 1 { sum += targets[bestI.1] }
        if k > 2 { sum += targets[bestI.2] }
        return sum / Double(k)
    }

    public func serialized() throws -> Data {
        ModelJSON.encode(Self.family, [
            "k": JSONValue(k), "mean": ModelJSON.array(mean), "scale": ModelJSON.array(scale),
            "points": ModelJSON.array(points), "targets": ModelJSON.array(targets),
            "features": .array(Features.names.map { .string($0) }),
        ])
    }

    public static func load(_ data: Data, file: String, width: Int) throws -> KNNRegressor {
        let o = try ModelJSON.decode(data, family: family, file: file)
        guard let k = o["k"]?.intValue, (1...3).contains(k) else {
            throw PredictorError(file: file, "corrupt model file: 'k' must be 1, 2 or 3")
        }
        let mean = try ModelJSON.doubles(o, "mean", file: file), scale = try ModelJSON.doubles(o, "scale", file: file)
        let points = try ModelJSON.doubles(o, "points", file: file), targets = try ModelJSON.doubles(o, "targets", file: file)
        guard mean.count == Features.count, scale.count == Features.count, points.count == targets.count * Features.count,
              targets.count >= k else {
            throw PredictorError(file: file, "corrupt model file: kNN arrays do not match \(Features.count) features")
        }
        return KNNRegressor(k: k, mean: mean, scale: scale, points: points, targets: targets)
    }
}
