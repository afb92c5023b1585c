import Foundation
import Testing
import NASArchitecture
import NASPredictors
@testable import NASSearch
import NASSupport

/// Issue #11 item 4: a latency budget is checked on the calibrated upper bound where a device has one.
@Suite struct LatencyBoundsTests {
    /// Ten calibration networks measured 1.00…1.45 × their predictions: the 90 % factor is 1.45.
    static let bound = try! NetworkLatencyBound(logRatios: (0..<10).map { log(1 + 0.05 * Double($0)) }, source: "test")

    @Test func factorsAreResolvedPerDeviceWithAReasonWhereThereIsNone() throws {
        let estimators: [any NetworkCostEstimator] = [ProportionalEstimator(deviceID: "a", bound: Self.bound),
                                                       ProportionalEstimator(deviceID: "b")]
        let b = try LatencyBounds.resolve(confidence: 0.9, estimators: estimators)
        #expect(abs(try #require(b.factors["a"]).value - 1.45) < 1e-12 && b.factors["a"]?.networks == 10)
        #expect(b.factors["b"] == nil && b.unbounded["b"]?.contains("no calibrated latency bound") == true)
        let tooFew = try LatencyBounds.resolve(confidence: 0.95, estimators: estimators)
        #expect(tooFew.factors.isEmpty && tooFew.unbounded["a"]?.contains("too few") == true)
        #expect(try LatencyBounds.resolve(confidence: 0, estimators: estimators).factors.isEmpty)
        for bad in [1.0, 1.5, -0.1, .nan, .infinity] {
            #expect(throws: SearchError.self) { try LatencyBounds.resolve(confidence: bad, estimators: estimators) }
        }
    }

    @Test func theBudgetIsCheckedOnTheBoundAndObjectivesOnThePrediction() throws {
        let space = try Fixtures.space("cifar-32")
        let estimator = ProportionalEstimator(deviceID: "a", bound: Self.bound)
        var rng = SeededRandom(seed: 5)
        let g = Genome(space).random(&rng)
        let predicted = try #require(estimator.costs(of: try Genome(space).architecture(g).resolved()).latencyMs)
        // A budget 20 % above the prediction: met by the prediction, broken by the 1.45 × bound.
        let budget = Budget(device: "a", metric: .latency, limit: predicted * 1.2, given: "test")
        func problem(_ factors: [String: Double]) throws -> SearchProblem {
            try SearchProblem(space: space, estimators: [estimator], quality: CapacityQuality(.params),
                              objectives: [.quality, .cost(device: "a", metric: .latency)], budgets: [budget],
                              latencyBounds: LatencyBounds(confidence: 0.9, factors: factors.mapValues { .init(value: $0, networks: 10) }))
        }
        let plain = try problem([:]), bounded = try problem(["a": 1.45])
        let e = try plain.evaluate(g)
        #expect(plain.budgetCheck(e).CV == 0)
        let check = bounded.budgetCheck(e)
        let g0: Double = try #require(check.G[0])
        let expected: Double = 1.45 / 1.2 - 1
        #expect(abs(g0 - expected) < 1e-12)
        #expect(check.CV > 0)
        #expect(bounded.objectiveValues(e)[1] == predicted)
        #expect(throws: SearchError.self) { try problem(["a": 0]) }
        #expect(throws: SearchError.self) { try problem(["z": 1.1]) }
    }

    @Test func configRecordsTheBoundsAndOlderRunsHaveNone() throws {
        var c = Fixtures.configuration(space: try Fixtures.space("cifar-32"), devices: ["a", "b"], budgets: [],
                                       objectives: [.quality], algorithm: .defaultEvolution, evaluations: 10, seed: 1)
        c.latencyBounds = LatencyBounds(confidence: 0.9, factors: ["a": .init(value: 1.25, networks: 40)],
                                        unbounded: ["b": "no calibrated latency bound"])
        let back = try SearchConfiguration(jsonValue: try JSONValue.parse(Data(c.jsonValue.serialized().utf8)))
        #expect(back.latencyBounds == c.latencyBounds)
        guard case .object(var o) = c.jsonValue else { Issue.record("config is not an object"); return }
        o["latency_bounds"] = nil
        #expect(try SearchConfiguration(jsonValue: .object(o)).latencyBounds == .none)
        o["latency_bounds"] = ["confidence": 1.5]
        #expect(throws: SearchError.self) { try SearchConfiguration(jsonValue: .object(o)) }
    }
}
