import Foundation
import Testing
@testable import NASPredictors
import NASArchitecture
import NASSupport

/// Synthetic regression problems on the real feature layout.
enum Synthetic {
    /// Rows with every feature drawn uniformly from [-2, 2], seeded.
    static func rows(_ n: Int, seed: UInt64) -> [[Double]] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in (0..<Features.count).map { _ in rng.uniform() * 4 - 2 } }
    }

    static let c = Features.names.firstIndex(of: "compute_ms")!
    static let m = Features.names.firstIndex(of: "memory_ms")!
    static let r = Features.rooflineIndex

    /// A known log-linear function of the two cost features.
    static func linear(_ x: [Double]) -> Double { 1 + 0.5 * x[c] - 0.25 * x[m] }
    /// A step function of one feature, which trees represent exactly.
    static func step(_ x: [Double]) -> Double { x[c] < 0 ? -1 : 2 }
    /// A smooth function of two features.
    static func smooth(_ x: [Double]) -> Double { sin(x[c]) + 0.5 * x[m] }
}

@Suite struct RegressorTests {
    @Test func constantFitsTheMean() throws {
        let model = try ConstantRegressor.fit(X: Synthetic.rows(4, seed: 1), y: [1, 2, 3, 6], metric: .power, seed: 0)
        #expect(model.predict(Synthetic.rows(1, seed: 9)[0]) == 3)
    }

    @Test func rooflineRecoversOverheadAndSlowdown() throws {
        // latency = 0.02 ms + 3 × roofline, exactly.
        let X = Synthetic.rows(20, seed: 2)
        let y = X.map { log(0.02 + 3 * exp($0[Synthetic.r])) }
        let model = try RooflineRegressor.fit(X: X, y: y, metric: .latency, seed: 0)
        #expect(abs(model.overhead - 0.02) < 1e-6)
        #expect(abs(model.slowdown - 3) < 1e-5)
        // Pure scaling when the data has no overhead.
        let y2 = X.map { log(5 * exp($0[Synthetic.r])) }
        let scaled = try RooflineRegressor.fit(X: X, y: y2, metric: .latency, seed: 0)
        #expect(abs(scaled.slowdown - 5) < 1e-5 && scaled.overhead < 1e-6)
    }

    @Test func linearRecoversCoefficientsThroughGSL() throws {
        let X = Synthetic.rows(30, seed: 3)
        let model = try LinearLogRegressor.fit(X: X, y: X.map(Synthetic.linear), metric: .latency, seed: 0)
        #expect(abs(model.intercept - 1) < 1e-6)
        #expect(model.columns == [Synthetic.c, Synthetic.m])
        #expect(abs(model.weights[0] - 0.5) < 1e-6 && abs(model.weights[1] + 0.25) < 1e-6)
        for x in Synthetic.rows(5, seed: 33) { #expect(abs(model.predict(x) - Synthetic.linear(x)) < 1e-5) }
    }

    @Test func linearNeedsMoreSamplesThanCoefficients() {
        let X = Synthetic.rows(3, seed: 4)
        #expect(throws: FitError.self) { try LinearLogRegressor.fit(X: X, y: X.map(Synthetic.linear), metric: .latency, seed: 0) }
    }

    @Test func knnAveragesTheThreeNearest() throws {
        var X = Synthetic.rows(6, seed: 5)
        // Put three rows next to a query point and three far away.
        for i in 0..<6 { for j in 0..<Features.count { X[i][j] = i < 3 ? 0.01 * Double(i) : 10 + Double(i) } }
        let model = try KNNRegressor.fit(X: X, y: [1, 2, 3, 100, 200, 300], metric: .latency, seed: 0)
        #expect(model.predict([Double](repeating: 0, count: Features.count)) == 2)
    }

    @Test func extraTreesFitAStepAndASmoothFunction() throws {
        let X = Synthetic.rows(200, seed: 6)
        let step = try ExtraTreesRegressor.fit(X: X, y: X.map(Synthetic.step), metric: .latency, seed: 1)
        let test = Synthetic.rows(100, seed: 66).filter { abs($0[Synthetic.c]) > 0.2 }
        let stepErrors = test.map { abs(step.predict($0) - Synthetic.step($0)) }
        #expect(stepErrors.reduce(0, +) / Double(stepErrors.count) < 0.3)
        let smooth = try ExtraTreesRegressor.fit(X: X, y: X.map(Synthetic.smooth), metric: .latency, seed: 1)
        let errors = Synthetic.rows(100, seed: 67).map { abs(smooth.predict($0) - Synthetic.smooth($0)) }
        #expect(errors.reduce(0, +) / Double(errors.count) < 0.35)
        // The training points themselves are fitted almost exactly (fully grown trees).
        #expect(abs(smooth.predict(X[0]) - Synthetic.smooth(X[0])) < 0.05)
    }

    @Test func xgboostFitsASmoothFunctionAndSwiftEvaluationMatchesTheLibrary() throws {
        let X = Synthetic.rows(200, seed: 7)
        // fit() itself compares the Swift evaluation with XGBoosterPredict on every training row.
        let model = try XGBoostRegressor.fit(X: X, y: X.map(Synthetic.smooth), metric: .latency, seed: 0)
        let errors = Synthetic.rows(100, seed: 77).map { abs(model.predict($0) - Synthetic.smooth($0)) }
        #expect(errors.reduce(0, +) / Double(errors.count) < 0.2)
        let json = String(decoding: try model.serialized(), as: UTF8.self)
        #expect(json.contains("\"version\":[1,7"))
    }

    @Test(arguments: RegressorFamily.allCases)
    func serializationRoundTripsAndRefitIsByteIdentical(_ family: RegressorFamily) throws {
        let X = Synthetic.rows(40, seed: 8)
        let y = X.map { Synthetic.smooth($0) + 0.1 * $0[Synthetic.r] }
        let a = try family.type.fit(X: X, y: y, metric: .latency, seed: 3)
        let b = try family.type.fit(X: X, y: y, metric: .latency, seed: 3)
        let bytes = try a.serialized()
        #expect(bytes == (try b.serialized()))
        let loaded = try family.type.load(bytes, file: "m.json")
        for x in Synthetic.rows(20, seed: 88) { #expect(loaded.predict(x) == a.predict(x)) }
    }

    @Test func modelFilesOfAnotherFamilyOrVersionAreRejected() throws {
        let data = try ConstantRegressor(value: 1).serialized()
        #expect(throws: PredictorError.self) { try KNNRegressor.load(data, file: "x.json") }
        do { _ = try KNNRegressor.load(data, file: "x.json") } catch let e as PredictorError {
            #expect(e.description.hasPrefix("x.json: model file is not a knn model"))
        }
        let future = Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"format_version\":1", with: "\"format_version\":9").utf8)
        do { _ = try ConstantRegressor.load(future, file: "y.json") ; Issue.record("accepted version 9") } catch let e as PredictorError {
            #expect(e.description.hasPrefix("y.json: incompatible model file"))
        }
        do { _ = try XGBoostRegressor.load(Data("{\"version\": [1, 7, 4]}".utf8), file: "z.json"); Issue.record("accepted") } catch let e as PredictorError {
            #expect(e.description.hasPrefix("z.json: corrupt XGBoost model"))
        }
    }
}

@Suite struct CrossValidationTests {
    @Test func foldsPartitionTheSamplesDeterministically() {
        let folds = CrossValidation.foldAssignment(n: 23)
        #expect(folds.count == 5)
        #expect(folds.flatMap { $0 }.sorted() == Array(0..<23))
        #expect(folds.map(\.count).sorted() == [4, 4, 5, 5, 5])
        #expect(folds == CrossValidation.foldAssignment(n: 23))
        #expect(folds != CrossValidation.foldAssignment(n: 23, seed: 7))
        // Fewer samples than folds: leave-one-out.
        #expect(CrossValidation.foldAssignment(n: 3).map(\.count) == [1, 1, 1])
    }

    @Test func scoresOfKnownPredictions() {
        let s = Scores(actual: [1, 2, 4, 10], predicted: [1.05, 2, 5, 8])
        #expect(s.count == 4)
        #expect(abs(s.mae - (0.05 + 0 + 1 + 2) / 4) < 1e-12)
        #expect(abs(s.mape - (5 + 0 + 25 + 20) / 4) < 1e-9)
        #expect(abs(s.medianAPE - 12.5) < 1e-9)
        #expect(abs(s.medianAE - 0.525) < 1e-12)
        #expect(s.maxAE == 2 && abs(s.maxAPE - 25) < 1e-9)
        #expect(s.within10 == 50)
        let mean = 17.0 / 4
        let ssTot = [1, 2, 4, 10].reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) }
        #expect(abs(s.r2 - (1 - (0.0025 + 0 + 1 + 4) / ssTot)) < 1e-12)
    }

    @Test func outOfFoldPredictionsAreReproducible() throws {
        let X = Synthetic.rows(40, seed: 9)
        let y = X.map(Synthetic.smooth)
        let folds = CrossValidation.foldAssignment(n: 40)
        for family in RegressorFamily.allCases {
            let a = try CrossValidation.outOfFold(family, X: X, y: y, metric: .latency, folds: folds)
            let b = try CrossValidation.outOfFold(family, X: X, y: y, metric: .latency, folds: folds)
            #expect(a == b, "\(family)")
            #expect(a.allSatisfy { $0.isFinite })
        }
    }
}
