import Foundation
import Testing
import NASArchitecture
import NASPredictors
@testable import NASSearch
import NASSupport

/// Issue #11 item 4 for the seven shipped devices: a latency bound summed layer by layer from each kind's
/// out-of-fold errors.
@Suite struct LayerwiseBoundsTests {
    @Test func factorsAreTheConformalOrderStatisticOfEachKindsOutOfFoldErrors() throws {
        let pi = try PredictorCatalog.load(device: "pi4")
        let f = try #require(pi.layerLatencyFactors(confidence: 0.9))
        for kind in WorkloadKind.allCases where !f.borrowed.contains(kind) {
            let ratios = try #require(pi.manifest.entry(kind, .latency)?.nested?.logRatios).sorted()
            let k = Int((Double(ratios.count + 1) * 0.9).rounded(.up))   // ⌈(n + 1)c⌉, 1-based
            #expect(k <= ratios.count)
            #expect(abs(try #require(f.factors[kind]) - exp(ratios[k - 1])) < 1e-12, "\(kind)")
        }
        let own = f.factors.filter { !f.borrowed.contains($0.key) }.values
        for kind in f.borrowed { #expect(f.factors[kind] == own.max(), "\(kind) borrows the largest factor") }
        #expect(Set(f.factors.keys) == Set(WorkloadKind.allCases))
        // A higher confidence never gives a smaller factor; no factor at all without a confidence or calibration.
        let f95 = try #require(pi.layerLatencyFactors(confidence: 0.95))
        #expect(f95.factors[.conv2d]! >= f.factors[.conv2d]!)
        #expect(pi.layerLatencyFactors(confidence: 0) == nil)
        #expect(try PredictorCatalog.load(device: "xu4").layerLatencyFactors(confidence: 0.9) == nil)
    }

    @Test func theSearchChecksTheBudgetOnTheSumOfLayerBounds() throws {
        let space = try Fixtures.space("cifar-32")
        let predictor = try PredictorCatalog.load(device: "pi4")
        let estimator = PredictorCostEstimator(predictor)
        let bounds = try LatencyBounds.resolve(confidence: 0.9, estimators: [estimator])
        let factors = try #require(bounds.layerwise["pi4"])
        #expect(bounds.factors.isEmpty && bounds.unbounded.isEmpty)
        var rng = SeededRandom(seed: 11)
        let g = Genome(space).random(&rng)
        let network = try Genome(space).architecture(g).resolved()
        // The bound, summed here independently of the cost table.
        var predicted = 0.0, bound = 0.0
        for layer in network.layers {
            guard let w = layer.workload(batch: network.batch), let ms = predictor.predict(w).latencyMs.value else { continue }
            predicted += ms
            bound += ms * factors.factors[w.kind]!
        }
        let budget = Budget(device: "pi4", metric: .latency, limit: (predicted + bound) / 2, given: "test")
        let problem = try SearchProblem(space: space, estimators: [estimator], quality: CapacityQuality(.params),
                                        objectives: [.quality], budgets: [budget], latencyBounds: bounds)
        let e = try problem.evaluate(g)
        let costs = try #require(e.costs["pi4"])
        #expect(abs(try #require(costs.latencyMs) - predicted) <= 1e-9 * predicted)
        #expect(abs(try #require(costs.latencyBoundMs) - bound) <= 1e-9 * bound)
        #expect(bound > predicted, "pi4's factors are above 1 at 90 %")
        // Between the prediction and the bound: feasible on the prediction, broken on the bound.
        #expect(try #require(problem.budgetCheck(e).G[0]) > 0)
        let plain = try SearchProblem(space: space, estimators: [estimator], quality: CapacityQuality(.params),
                                      objectives: [.quality], budgets: [budget], latencyBounds: .none)
        #expect(try #require(plain.budgetCheck(try plain.evaluate(g)).G[0]) < 0)
        #expect(try plain.evaluate(g).costs["pi4"]?.latencyBoundMs == nil)
        // The bound travels with the candidate through candidates.jsonl, byte for byte.
        let c = problem.candidate(index: 0, genotype: g, evaluation: e)
        #expect(c.jsonLine == c.jsonValue.serialized(pretty: false))
        let back = try Candidate(jsonValue: try JSONValue.parse(c.jsonLine), objectives: 1, budgets: 1)
        #expect(back.evaluation.costs["pi4"]?.latencyBoundMs == costs.latencyBoundMs)
    }

    @Test func configRecordsLayerFactorsAndRejectsMalformedOnes() throws {
        var c = Fixtures.configuration(space: try Fixtures.space("cifar-32"), devices: ["pi4"],
                                       budgets: [Budget(device: "pi4", metric: .latency, limit: 10, given: "10ms")],
                                       objectives: [.quality], algorithm: .defaultEvolution, evaluations: 10, seed: 1)
        c.latencyBounds = LatencyBounds(confidence: 0.9, layerwise: [
            "pi4": LayerLatencyFactors(confidence: 0.9, factors: [.conv2d: 1.4, .dense: 1.1, .maxPool2d: 1.4, .avgPool2d: 1.4],
                                       borrowed: [.maxPool2d, .avgPool2d]),
        ])
        let back = try SearchConfiguration(jsonValue: try JSONValue.parse(Data(c.jsonValue.serialized().utf8)))
        #expect(back.latencyBounds == c.latencyBounds)
        #expect(c.latencyBudgetNotes.count == 1)
        #expect(c.latencyBudgetNotes.first?.contains("conv2d ×1.4, dense ×1.1, max_pool2d ×1.4 (borrowed)") == true)
        guard case .object(var o) = c.jsonValue else { Issue.record("config is not an object"); return }
        for bad: JSONValue in [["pi4": ["factors": ["conv2d": -1]]], ["pi4": ["factors": ["conv9d": 1.2]]], ["pi4": ["factors": [:]]]] {
            o["latency_bounds"] = ["confidence": 0.9, "layerwise": bad]
            #expect(throws: SearchError.self) { try SearchConfiguration(jsonValue: .object(o)) }
        }
    }

    /// Issue #11 item 3: the search's cost table applies a device's network-level correction exactly as
    /// `DevicePredictor.totals` does, to latency, energy and the layer bound alike.
    @Test func theCostTableAppliesTheNetworkCorrectionLikeTheTotals() throws {
        let space = try Fixtures.space("mobile-224")
        let shipped = try PredictorCatalog.load(device: "pi4")
        let bundle = try PredictorBundle.load(directory: try #require(shipped.directory))
        // measured = sum × exp(0.1 + 0.2 · small share): a departure that depends on the network.
        var rng = SeededRandom(seed: 3)
        let samples = (0..<40).map { _ -> NetworkLatencyCorrection.Sample in
            let layers = 4 + rng.below(30), small = rng.below(layers + 1), sum = 1 + Double(rng.below(400)) / 10
            return .init(sumMs: sum, layers: layers, smallLayers: small, measuredMs: sum * exp(0.1 + 0.2 * Double(small) / Double(layers)))
        }
        let correction = try NetworkLatencyCorrection.fit(samples, seed: 1, source: "test")
        #expect(correction.applied)
        let predictor = DevicePredictor(bundle: bundle, networkCorrection: correction)
        let estimator = PredictorCostEstimator(predictor)
        let bounds = try LatencyBounds.resolve(confidence: 0.9, estimators: [estimator])
        let problem = try SearchProblem(space: space, estimators: [estimator], quality: CapacityQuality(.params),
                                        objectives: [.quality], budgets: [], latencyBounds: bounds)
        let plainProblem = try SearchProblem(space: space, estimators: [PredictorCostEstimator(DevicePredictor(bundle: bundle))],
                                             quality: CapacityQuality(.params), objectives: [.quality], budgets: [], latencyBounds: bounds)
        let genome = Genome(space)
        var moved = 0
        for _ in 0..<30 {
            let g = genome.random(&rng)
            let network = try genome.architecture(g).resolved()
            let table = try #require(try problem.evaluate(g).costs["pi4"])
            let direct = estimator.costs(of: network)
            let plain = try #require(try plainProblem.evaluate(g).costs["pi4"])
            let t = try #require(table.latencyMs), d = try #require(direct.latencyMs), p = try #require(plain.latencyMs)
            #expect(abs(t - d) <= 1e-9 * d)
            let f = t / p
            if let te = table.energyMJ, let pe = plain.energyMJ { #expect(abs(te / pe - f) < 1e-9) }
            #expect(abs(try #require(table.latencyBoundMs) / (try #require(plain.latencyBoundMs)) - f) < 1e-9)
            if abs(f - 1) > 0.05 { moved += 1 }
        }
        #expect(moved == 30, "the correction moved every network by more than 5 %")
    }

    /// When no candidate meets a budget checked on its bound, the message names the lowest bound, not a
    /// prediction that happens to be under the budget ("met alone" would be false).
    @Test func anInfeasibleBoundedBudgetReportsTheLowestBound() throws {
        let space = try Fixtures.space("cifar-32")
        let estimator = PredictorCostEstimator(try PredictorCatalog.load(device: "pi4"))
        let bounds = try LatencyBounds.resolve(confidence: 0.9, estimators: [estimator])
        func search(limit: Double) throws -> SearchResult {
            let budget = Budget(device: "pi4", metric: .latency, limit: limit, given: "test")
            let problem = try SearchProblem(space: space, estimators: [estimator], quality: CapacityQuality(.params),
                                            objectives: [.quality], budgets: [budget], latencyBounds: bounds)
            return try SearchEngine(problem: problem, settings: SearchSettings(algorithm: .random(batch: 10), evaluations: 40, seed: 3), jobs: 1).run()
        }
        // A budget between the lowest prediction and the lowest bound of the same 40 candidates.
        let probe = try search(limit: 1e9)
        let predictions = probe.candidates.compactMap { $0.evaluation.costs["pi4"]?.latencyMs }
        let bounds40 = probe.candidates.compactMap { $0.evaluation.costs["pi4"]?.latencyBoundMs }
        let predicted = try #require(predictions.min()), bound = try #require(bounds40.min())
        #expect(bound > predicted * 1.05)
        let r = try search(limit: (predicted + bound) / 2)
        #expect(r.feasibleCount == 0)
        let message = try #require(r.infeasibilityMessage)
        #expect(message.contains("pi4.latency ≤") && message.contains("lowest 90 % upper bound found") && !message.contains("met alone"), "\(message)")
        #expect(r.cheapest(for: r.budgets[0])?.value == bound)
    }
}
