import Foundation
import Testing
@testable import NASPredictors
import NASArchitecture
import NASSupport

/// A model that knows the targets of the rows it was fitted on (column 0 holds a row id) and nothing else:
/// it predicts a scored row exactly only if that row leaked into its training set.
private struct Memorizer: Regressor {
    static let family = RegressorFamily.constant
    var seen: [Int: Double]
    var fallback: Double

    static func fit(X: [[Double]], y: [Double], metric: Metric, seed: UInt64) throws -> Memorizer {
        Memorizer(seen: Dictionary(zip(X.map { Int($0[0]) }, y), uniquingKeysWith: { a, _ in a }),
                  fallback: y.reduce(0, +) / Double(y.count))
    }
    func predict(_ row: UnsafeBufferPointer<Double>) -> Double { seen[Int(row[0])] ?? fallback }
    func serialized() throws -> Data { Data() }
    static func load(_ data: Data, file: String, width: Int) throws -> Memorizer { Memorizer(seen: [:], fallback: 0) }
}

private final class FitLog: @unchecked Sendable {
    private let lock = NSLock()
    private var sets: [Set<Int>] = []
    func record(_ rows: Set<Int>) { lock.lock(); sets.append(rows); lock.unlock() }
    var all: [Set<Int>] { lock.lock(); defer { lock.unlock() }; return sets }
}

@Suite struct NestedSelectionTests {
    @Test func nestedCrossValidationNeverSeesTheScoredFold() throws {
        let n = 40
        var rng = SplitMix64(seed: 3)
        let y = (0..<n).map { _ in rng.uniform() * 10 }
        let X = (0..<n).map { i in [Double(i)] + [Double](repeating: 0, count: Features.count - 1) }
        let log = FitLog()
        let selection = ModelSelection(metric: .power, own: X, y: y, candidates: [ModelCandidate(.constant), ModelCandidate(.knn)]) { _, X, y, metric, seed in
            log.record(Set(X.map { Int($0[0]) }))
            return try Memorizer.fit(X: X, y: y, metric: metric, seed: seed)
        }
        let folds = CrossValidation.foldAssignment(n: n)
        let outer = try selection.nested(folds: folds)
        // The planted leak: a memorizer reproduces any row it was fitted on. No scored row is reproduced.
        for i in 0..<n { #expect(outer.predictions[i] != y[i], "row \(i) was scored by a model that saw it") }
        // Every fit (inner folds, selection, refit) stays inside one outer fold's training rows.
        let fits = log.all
        #expect(fits.count == folds.count * (2 * CrossValidation.folds + 1))
        for rows in fits { #expect(folds.contains { rows.isDisjoint(with: $0) }) }
        // The same memorizer fitted on everything would be perfect: the check can fail.
        let leaky = try Memorizer.fit(X: X, y: y, metric: .power, seed: 0)
        #expect((0..<n).allSatisfy { leaky.predict(X[$0]) == y[$0] })
    }

    @Test func relativeErrorFitRecoversAKnownPowerLaw() throws {
        // t = exp(0.3) · compute^0.8 · memory^0.15, with one row in ten 8× slow (an untuned schedule).
        let workloads = SyntheticDevice.workloads(120, seed: 5).filter { $0.kind == .conv2d }
        let X = workloads.map { Features.vector($0, spec: SyntheticDevice.spec) }
        let c = Features.linearCostSubset
        let y = X.enumerated().map { i, row in 0.3 + 0.8 * row[c[0]] + 0.15 * row[c[1]] + (i % 10 == 0 ? Foundation.log(8.0) : 0) }
        let fit = try RelativePowerLawRegressor.fit(X: X, y: y, metric: .latency, seed: 0)
        #expect(fit.columns == c)
        #expect(abs(fit.intercept - 0.3) < 0.02 && abs(fit.weights[0] - 0.8) < 0.01 && abs(fit.weights[1] - 0.15) < 0.01, "\(fit)")
        // Least squares on logs is dragged by the slow rows; the L1 relative fit is not.
        let ols = try LinearLogRegressor.fit(X: X, y: y, metric: .latency, seed: 0)
        #expect(abs(ols.intercept - 0.3) > 0.1)
    }

    @Test func latencyFloorIsRecoveredAndPositive() throws {
        let workloads = SyntheticDevice.workloads(120, seed: 9)
        let X = workloads.map { Features.vector($0, spec: SyntheticDevice.spec) }
        let y = X.map { Foundation.log(0.05 + max(2 * Foundation.exp($0[LatencyFloorRegressor.computeIndex]),
                                                  3 * Foundation.exp($0[LatencyFloorRegressor.memoryIndex]))) }
        let fit = try LatencyFloorRegressor.fit(X: X, y: y, metric: .latency, seed: 0)
        #expect(abs(fit.floor - 0.05) < 1e-3 && abs(fit.computeSlowdown - 2) < 1e-2 && abs(fit.memorySlowdown - 3) < 1e-2, "\(fit)")
    }

    @Test(.enabled(if: Support.sharedData != nil, "needs ../shared/data/sponner"))
    func everyMeasuredDeviceHasAPositiveConvolutionFloor() throws {
        for id in ["a100", "k80", "gtx980ti", "xeon", "i7", "pi4"] {
            let spec = try #require(DeviceSpec.named(id))
            let data = try DatasetReader.read(path: Support.sharedData!.appendingPathComponent("\(id).jsonl").path, device: spec)
            let conv = data.samples.filter { $0.workload.kind == .conv2d && $0.measurements.latencyMs != nil }
            let fit = try LatencyFloorRegressor.fit(X: conv.map { Features.vector($0.workload, spec: spec) },
                                                    y: conv.map { Foundation.log($0.measurements.latencyMs!) }, metric: .latency, seed: 0)
            #expect(fit.floor > 0, "\(id): \(fit)")
        }
    }

    @Test func pooledModelsDegradeToPerDeviceModelsWhenGroupFeaturesAreConstant() throws {
        let workloads = SyntheticDevice.workloads(80, seed: 2).filter { $0.kind == .conv2d }
        let spec = SyntheticDevice.spec
        let X = workloads.map { Features.vector($0, spec: spec) }
        let wide = workloads.map { Features.pooledVector($0, spec: spec) }
        let y = workloads.map { Foundation.log(SyntheticDevice.latency($0) * (1 + 0.2 * sin(Double($0.flops % 97)))) }
        for family in ModelSelection.pooledFamilies(for: .latency) {
            let own = try family.type.fit(X: X, y: y, metric: .latency, seed: 7)
            let inner = try family.type.fit(X: wide, y: y, metric: .latency, seed: 7)
            let pooled = PooledModel(inner: inner, descriptor: Features.descriptor(spec), group: [spec.id])
            for row in X { #expect(pooled.predict(row) == own.predict(row), "\(family)") }
            // And the file round trip keeps the pooled model's predictions.
            let loaded = try PooledModel.load(try pooled.serialized(), file: "pooled.json")
            for row in X.prefix(5) { #expect(loaded.predict(row) == pooled.predict(row), "\(family)") }
        }
    }

    @Test func corruptPooledModelFilesAreRefusedWithTheirName() throws {
        let bad = [#"{"family":"pooled","format_version":1}"#,
                   #"{"family":"pooled","format_version":1,"inner_family":"extra_trees","inner":{},"descriptor":[1,2]}"#,
                   #"{"family":"pooled","format_version":1,"inner_family":"warp_drive","inner":{},"descriptor":[1,2,3,4,5]}"#]
        for text in bad {
            #expect { try PooledModel.load(Data(text.utf8), file: "x.pooled.json") } throws: { error in
                "\(error)".contains("x.pooled.json")
            }
        }
    }
}
