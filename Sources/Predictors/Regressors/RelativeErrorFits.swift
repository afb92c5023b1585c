import Foundation
import NASArchitecture
import NASStatistics

/// Fits judged by the figure the bundles are judged by: the mean absolute *relative* error.
///
/// The log-space families minimise squared log error and are then scored by MAPE, so selection and fit
/// optimise different things. These two minimise Σ |ŷᵢ/yᵢ − 1| directly, by iteratively reweighted least
/// squares: each step solves a weighted least-squares problem (GSL) with weights 1 / max(|rᵢ|, δ), a step is
/// kept only if it lowers the objective (halving it up to 20 times), and the loop ends when a step gains
/// less than one part in 10⁹.
enum RelativeErrorFit {
    static let maxIterations = 100
    /// Floor of |rᵢ| in the weights: keeps a point fitted exactly from taking all the weight.
    static let delta = 1e-3

    /// β of ŷ = exp(β · z) minimising the mean absolute relative error, from `start`: Gauss–Newton steps on the
    /// weighted squared relative residual, rᵢ(β + Δ) ≈ rᵢ + (ŷᵢ/yᵢ)·zᵢΔ.
    static func powerLaw(design: [[Double]], actual: [Double], start: [Double]) -> [Double] {
        func predict(_ beta: [Double]) -> [Double] {
            design.map { z in Foundation.exp(zip(z, beta).reduce(0) { $0 + $1.0 * $1.1 }) }
        }
        return minimise(start: start, actual: actual, predict: predict) { beta, w in
            let ratio = zip(predict(beta), actual).map { $0 / $1 }
            let jacobian = zip(design, ratio).map { z, q in z.map { $0 * q } }
            guard let fit = try? LinearLeastSquares.fit(X: jacobian, y: ratio.map { 1 - $0 }, weights: w, intercept: false) else { return nil }
            return zip(beta, fit.coefficients).map { $0 + $1 }
        }
    }

    static func meanAbsoluteRelativeError(_ predicted: [Double], _ actual: [Double]) -> Double {
        zip(predicted, actual).reduce(0) { $0 + abs($1.0 / $1.1 - 1) } / Double(actual.count)
    }

    /// Runs the reweighting loop over parameters θ. `step(θ, weights)` proposes new parameters (nil: no
    /// proposal), `predict(θ)` gives ŷ for every row, `valid(θ)` rejects parameters outside the model's range.
    static func minimise(start: [Double], actual: [Double], predict: ([Double]) -> [Double],
                         valid: ([Double]) -> Bool = { _ in true },
                         step: (_ theta: [Double], _ weights: [Double]) -> [Double]?) -> [Double] {
        var theta = start
        var current = meanAbsoluteRelativeError(predict(theta), actual)
        for _ in 0..<maxIterations {
            let residuals = zip(predict(theta), actual).map { $0 / $1 - 1 }
            guard let proposal = step(theta, residuals.map { 1 / max(abs($0), delta) }) else { break }
            var t = 1.0
            var accepted: [Double]? = nil
            for _ in 0..<20 {
                let candidate = zip(theta, proposal).map { $0 + t * ($1 - $0) }
                if valid(candidate) {
                    let value = meanAbsoluteRelativeError(predict(candidate), actual)
                    if value.isFinite && value < current { accepted = candidate; break }
                }
                t /= 2
            }
            guard let next = accepted else { break }
            let gain = current - meanAbsoluteRelativeError(predict(next), actual)
            theta = next
            current -= gain
            if gain < 1e-9 * max(current, 1e-12) { break }
        }
        return theta
    }
}

/// A power law fitted to relative error: log y = a + Σ bᵢ·xᵢ on the linear-log columns (log compute and
/// memory time for time and power, log tensor sizes for memory), with a, b chosen to minimise the mean
/// absolute relative error of y itself rather than squared log error. Starts from the least-squares fit.
public struct RelativePowerLawRegressor: Regressor, LinearColumnsModel {
    public static let family = RegressorFamily.relativePowerLaw
    public var columns: [Int]
    public var intercept: Double
    public var weights: [Double]

    public static func fit(X: [[Double]], y: [Double], metric: Metric, seed: UInt64) throws -> RelativePowerLawRegressor {
        let start = try LinearLogRegressor.fit(X: X, y: y, metric: metric, seed: seed)
        let columns = start.columns
        let design = X.map { row in [1] + columns.map { row[$0] } }
        let beta = RelativeErrorFit.powerLaw(design: design, actual: y.map { Foundation.exp($0) },
                                             start: [start.intercept] + start.weights)
        return RelativePowerLawRegressor(columns: columns, intercept: shortFloat(beta[0]), weights: beta.dropFirst().map(shortFloat))
    }

    public func predict(_ row: UnsafeBufferPointer<Double>) -> Double { linearPredict(row) }

    public func serialized() throws -> Data {
        var fields = linearJSONFields
        fields["objective"] = "mean absolute relative error of exp(intercept + weights · columns)"
        return ModelJSON.encode(Self.family, fields)
    }

    public static func load(_ data: Data, file: String, width: Int) throws -> RelativePowerLawRegressor {
        let f = try LinearLogRegressor.linearFields(try ModelJSON.decode(data, family: family, file: file), file: file, width: width)
        return RelativePowerLawRegressor(columns: f.columns, intercept: f.intercept, weights: f.weights)
    }
}

/// The latency floor and two bottlenecks: y = t0 + max(a·compute_ms, b·memory_ms), where t0 is the fixed
/// cost of any layer on the device (kernel launch, runtime dispatch, loop set-up), a = peak / effective peak
/// and b = bandwidth / effective bandwidth. Small late layers are then predicted near t0 instead of near
/// zero. Fitted to relative error with t0 ≥ 0 and a, b > 0: each step fixes which bottleneck binds for each
/// row, which makes the model linear in (t0, a, b). Latency only.
public struct LatencyFloorRegressor: Regressor {
    public static let family = RegressorFamily.latencyFloor
    /// Milliseconds.
    public var floor: Double
    public var computeSlowdown: Double
    public var memorySlowdown: Double

    static let computeIndex = Features.names.firstIndex(of: "compute_ms")!
    static let memoryIndex = Features.names.firstIndex(of: "memory_ms")!

    public static func fit(X: [[Double]], y: [Double], metric: Metric, seed: UInt64) throws -> LatencyFloorRegressor {
        let prior = try RooflineRegressor.fit(X: X, y: y, metric: metric, seed: seed)
        let compute = X.map { Foundation.exp($0[computeIndex]) }, memory = X.map { Foundation.exp($0[memoryIndex]) }
        let actual = y.map { Foundation.exp($0) }
        func predict(_ p: [Double]) -> [Double] {
            (0..<actual.count).map { p[0] + max(p[1] * compute[$0], p[2] * memory[$0]) }
        }
        let theta = RelativeErrorFit.minimise(
            start: [prior.overhead, prior.slowdown, prior.slowdown], actual: actual, predict: predict,
            valid: { $0[0] >= 0 && $0[1] > 0 && $0[2] > 0 }
        ) { p, w in
            // Relative residual (t0 + a·cᵢ or t0 + b·mᵢ)/yᵢ − 1: rows scaled by 1/yᵢ, target 1.
            let computeBound = (0..<actual.count).map { p[1] * compute[$0] >= p[2] * memory[$0] }
            var columns: [[Double]] = [actual.map { 1 / $0 }]
            let usesCompute = computeBound.contains(true), usesMemory = computeBound.contains(false)
            if usesCompute { columns.append((0..<actual.count).map { computeBound[$0] ? compute[$0] / actual[$0] : 0 }) }
            if usesMemory { columns.append((0..<actual.count).map { computeBound[$0] ? 0 : memory[$0] / actual[$0] }) }
            func solve(_ cols: [[Double]]) -> [Double]? {
                let rows = (0..<actual.count).map { i in cols.map { $0[i] } }
                return try? LinearLeastSquares.fit(X: rows, y: [Double](repeating: 1, count: actual.count), weights: w, intercept: false).coefficients
            }
            guard var c = solve(columns) else { return nil }
            var t0 = c.removeFirst()
            if t0 < 0 {
                guard let without = solve(Array(columns.dropFirst())) else { return nil }
                t0 = 0; c = without
            }
            let a = usesCompute ? c.removeFirst() : p[1]
            let b = usesMemory ? c.removeFirst() : p[2]
            return [t0, a, b]
        }
        return LatencyFloorRegressor(floor: shortFloat(theta[0]), computeSlowdown: shortFloat(theta[1]), memorySlowdown: shortFloat(theta[2]))
    }

    public func predict(_ row: UnsafeBufferPointer<Double>) -> Double {
        Foundation.log(floor + max(computeSlowdown * Foundation.exp(row[Self.computeIndex]),
                                   memorySlowdown * Foundation.exp(row[Self.memoryIndex])))
    }

    public func serialized() throws -> Data {
        ModelJSON.encode(Self.family, [
            "floor_ms": .number(floor), "compute_slowdown": .number(computeSlowdown), "memory_slowdown": .number(memorySlowdown),
            "formula": "latency_ms = floor_ms + max(compute_slowdown × FLOPs/peak, memory_slowdown × bytes/bandwidth)",
        ])
    }

    public static func load(_ data: Data, file: String, width: Int) throws -> LatencyFloorRegressor {
        let o = try ModelJSON.decode(data, family: family, file: file)
        let t0 = try ModelJSON.double(o, "floor_ms", file: file)
        let a = try ModelJSON.double(o, "compute_slowdown", file: file), b = try ModelJSON.double(o, "memory_slowdown", file: file)
        guard t0 >= 0, a > 0, b > 0, t0.isFinite, a.isFinite, b.isFinite else {
            throw PredictorError(file: file, "corrupt model file: floor must be ≥ 0 and both slowdowns > 0")
        }
        return LatencyFloorRegressor(floor: t0, computeSlowdown: a, memorySlowdown: b)
    }
}
