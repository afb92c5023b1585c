import Foundation
import Testing
@testable import NASPredictors
import NASArchitecture

enum Networks {
    /// A small DarkNet-like network with repeated blocks (so workloads repeat) and fused layers.
    static func small(batch: Int = 4) throws -> ResolvedNetwork {
        func conv(_ name: String, _ f: Int, _ k: Int) -> Layer {
            Layer(name: name, .conv2d(Conv2D(filters: f, kernelH: k, kernelW: k, padding: .same, batchNorm: true, activation: .relu)))
        }
        let pool = { (name: String) in Layer(name: name, .maxPool2d(Pool2D(poolH: 2, poolW: 2))) }
        let layers: [Layer] = [
            conv("c1", 16, 3), pool("p1"), conv("c2", 32, 3), conv("c3", 16, 1), conv("c4", 32, 3), pool("p2"),
            conv("c5", 32, 3), conv("c6", 16, 1), conv("c7", 32, 3), .init(name: "gap", .globalAvgPool2d),
            .init(name: "flat", .flatten), .init(name: "fc", .dense(Dense(units: 10))), .init(name: "sm", .activation(.softmax)),
        ]
        return try Architecture(name: "small", inputH: 32, inputW: 32, inputC: 3, batch: batch, layers: layers).resolved()
    }
}

@Suite struct EstimateTests {
    @Test func totalsAreTheLayerSumsInLayerOrder() throws {
        let predictor = DevicePredictor(bundle: try SyntheticDevice.bundle())
        let net = try Networks.small()
        // Fresh per-layer predictions, without the memo, added left to right.
        var latency = 0.0, energy = 0.0
        for layer in net.layers {
            guard let w = layer.workload(batch: net.batch) else { continue }
            let l = predictor.compute(w)
            #expect(l.energyMJ.value! == l.latencyMs.value! * l.powerW.value!)
            latency += l.latencyMs.value!
            energy += l.energyMJ.value!
        }
        var sum = CostSum()
        sum.add(latencyMs: latency, latencyReason: nil, energyMJ: energy, energyReason: nil)
        let expected = NetworkTotals(sum, calibrated: predictor.isCalibrated)
        #expect(predictor.totals(net) == expected)            // cold: nothing memoized yet
        #expect(predictor.estimate(net).totals == expected)
        #expect(predictor.totals(net) == expected)            // from the memo
        #expect(expected.averagePowerW == .value(energy / latency))
    }

    @Test func anUnavailableLayerMakesItsTotalUnavailableWithTheFirstReason() {
        var sum = CostSum()
        sum.add(latencyMs: 1.5, latencyReason: nil, energyMJ: 2, energyReason: nil)
        sum.add(latencyMs: .nan, latencyReason: "no conv2d latency model", energyMJ: 4, energyReason: nil)
        sum.add(latencyMs: .nan, latencyReason: "no dense latency model", energyMJ: 0.25, energyReason: nil)
        // Energy is still known: 2 + 4 + 0.25.
        #expect(sum.latency == .unavailable("no conv2d latency model"))
        #expect(sum.energy == .value(6.25))
        #expect(NetworkTotals(sum, calibrated: true).averagePowerW == .unavailable("no conv2d latency model"))
        // A model that gives NaN makes the total unknown too, rather than silently cheaper.
        sum.add(latencyMs: 1, latencyReason: nil, energyMJ: .nan, energyReason: nil)
        #expect(sum.energy.reason == "a layer's predicted energy is not a number")
    }

    @Test func fusedLayersCostNothingAndMemoryIsTheLivenessFigure() throws {
        let predictor = DevicePredictor(bundle: try SyntheticDevice.bundle())
        let net = try Networks.small()
        let e = predictor.estimate(net)
        #expect(e.layers.count == net.layers.count)
        for (layer, est) in zip(net.layers, e.layers) {
            #expect((est == nil) == (layer.workload(batch: net.batch) == nil), "\(layer.name)")
        }
        #expect(e.layers[10] == nil && e.layers[12] == nil)
        let weights = net.figures().weightBytes
        // Batch 4, f32, every weight resident. The peak is at p1 (layer 1): its input, c1's 32×32×16 output, and
        // its own 16×16×16 output are alive together; c1 (3 → 16 channels at 32×32) holds fewer bytes.
        #expect(e.memory.livenessBytes == weights + 4 * 4 * (32 * 32 * 16 + 16 * 16 * 16))
        #expect(e.memory.peakLayerIndex == 1)
        // The two largest footprints (input + weights + output) are p1's and c1's.
        #expect(e.memory.twoLargestFootprintsBytes
            == 4 * 4 * (32 * 32 * 16 + 16 * 16 * 16) + 4 * 4 * (32 * 32 * 3 + 32 * 32 * 16) + net.figures().layers[0].weightBytes)
        // The synthetic device has per-layer memory data, so the learnt figure is all weights plus the largest
        // (layer input + the layer's predicted runtime memory).
        var learnt = 0.0
        for layer in net.layers {
            guard let w = layer.workload(batch: net.batch) else { continue }
            let inputBytes = 4 * net.batch * layer.input.elements
            learnt = max(learnt, Double(weights + inputBytes) / 1_048_576 + predictor.compute(w).memoryMiB.value!)
        }
        #expect(e.memory.learntMiB == .value(learnt))
        #expect(e.notes.first == NetworkEstimate.fusedNote)
    }

    @Test func memoizationReturnsIdenticalResultsAndPredictsEachWorkloadOnce() throws {
        let predictor = DevicePredictor(bundle: try SyntheticDevice.bundle())
        let net = try Networks.small()
        let distinct = Set(net.layers.compactMap { $0.workload(batch: net.batch) })
        #expect(distinct.count < net.layers.compactMap { $0.workload(batch: net.batch) }.count)
        let first = predictor.estimate(net)
        #expect(predictor.memoizedCount == distinct.count)
        let second = predictor.estimate(net)
        #expect(first.layers == second.layers)
        #expect(first.totals == second.totals)
        #expect(predictor.memoizedCount == distinct.count)
        // The memo gives what a fresh computation gives.
        for w in distinct { #expect(predictor.predict(w) == predictor.compute(w)) }
    }

    @Test func concurrentQueriesAgree() async throws {
        let predictor = DevicePredictor(bundle: try SyntheticDevice.bundle())
        let nets = try (1...4).map { try Networks.small(batch: $0) }
        let reference = nets.map { predictor.compute(network: $0) }
        predictor.clearMemo()
        let results = await withTaskGroup(of: (Int, MetricValue).self) { group in
            for i in 0..<64 {
                group.addTask { (i % 4, predictor.estimate(nets[i % 4]).totals.latencyMs) }
            }
            var out: [(Int, MetricValue)] = []
            for await r in group { out.append(r) }
            return out
        }
        for (i, latency) in results { #expect(latency == reference[i]) }
    }

    @Test func shippedPredictorsEstimateARealNetwork() throws {
        let net = try Networks.small(batch: 16)
        for id in ["pi4", "a100"] {
            let e = try PredictorCatalog.load(device: id).estimate(net)
            #expect(e.calibrated)
            #expect((e.totals.latencyMs.value ?? 0) > 0, "\(id)")
            #expect((e.totals.energyMJ.value ?? 0) > 0, "\(id)")
            #expect(e.memory.livenessBytes == net.figures().peakMemoryBytes)
        }
        // The Pi has per-layer memory data; the A100 device-wide data; the Xeon none.
        #expect(try PredictorCatalog.load(device: "pi4").estimate(net).memory.learntMiB.value != nil)
        #expect(try PredictorCatalog.load(device: "a100").estimate(net).memory.learntMeaning.contains("device-wide"))
        let xeon = try PredictorCatalog.load(device: "xeon").estimate(net).memory.learntMiB
        #expect(xeon.reason?.contains("memory = -1") == true, "\(xeon)")
    }

    @Test func depthwiseOnAPiIsFlaggedAsExtrapolated() throws {
        let pi = try PredictorCatalog.load(device: "pi4")
        let dw = LayerWorkload(kind: .conv2d, batch: 1, inH: 56, inW: 56, inC: 64, outH: 54, outW: 54, outC: 64,
                               kernelH: 3, kernelW: 3, groups: 64)
        #expect(pi.predict(dw).caveat?.contains("no depthwise conv2d samples") == true)
        let a100 = try PredictorCatalog.load(device: "a100")
        #expect(a100.predict(dw).caveat == nil)
    }
}

extension DevicePredictor {
    /// Total latency computed without the memo, for comparisons.
    func compute(network: ResolvedNetwork) -> MetricValue {
        var total = 0.0
        for l in network.layers { if let w = l.workload(batch: network.batch) { total += compute(w).latencyMs.value! } }
        return .value(total)
    }
}

@Suite struct MemoTests {
    @Test func workloadsThatDoNotPackAreMemoizedToo() throws {
        let predictor = DevicePredictor(bundle: try SyntheticDevice.bundle())
        // Padding of 300 does not fit the packed key's 8 bits: the overflow dictionary takes it.
        var w = LayerWorkload(kind: .conv2d, batch: 1, inH: 8, inW: 8, inC: 4, outH: 606, outW: 606, outC: 4,
                              kernelH: 3, kernelW: 3, padTop: 300, padBottom: 300, padLeft: 300, padRight: 300)
        #expect(PackedWorkload(w) == nil)
        let first = predictor.predict(w)
        #expect(predictor.memoizedCount == 1)
        #expect(predictor.predict(w) == first)
        #expect(predictor.memoizedCount == 1)
        w.padTop = 1; w.padBottom = 1; w.padLeft = 1; w.padRight = 1; w.outH = 8; w.outW = 8
        #expect(PackedWorkload(w) != nil)
        _ = predictor.predict(w)
        #expect(predictor.memoizedCount == 2)
    }

    @Test func theMemoGrowsAndKeepsEveryEntry() throws {
        let predictor = DevicePredictor(bundle: try SyntheticDevice.bundle())
        let workloads = Array(Set(SyntheticDevice.workloads(400, seed: 5)))
        let expected = workloads.map { predictor.compute($0) }
        for w in workloads { _ = predictor.predict(w) }
        #expect(predictor.memoizedCount == workloads.count)
        for (w, e) in zip(workloads, expected) { #expect(predictor.predict(w) == e) }
        #expect(predictor.memoizedCount == workloads.count)
        // Bias and fused activation do not enter the features, so they share an entry.
        var relu = workloads[0]
        relu.activation = .relu
        relu.bias.toggle()
        #expect(predictor.predict(relu) == expected[0])
        #expect(predictor.memoizedCount == workloads.count)
        predictor.clearMemo()
        #expect(predictor.memoizedCount == 0)
    }

    @Test func effectiveFlopsSkipTapsThatOnlyReadPadding() {
        let plain = LayerWorkload(kind: .conv2d, batch: 2, inH: 10, inW: 10, inC: 8, outH: 8, outW: 8, outC: 16, kernelH: 3, kernelW: 3)
        #expect(DatasetReader.effectiveFlops(plain) == Double(plain.flops))
        // 13×13 input, 3×3 kernel with dilation 8 and "same" padding 8: most taps read padding.
        let dilated = LayerWorkload(kind: .conv2d, batch: 1, inH: 13, inW: 13, inC: 256, outH: 13, outW: 13, outC: 256,
                                    kernelH: 3, kernelW: 3, dilationH: 8, dilationW: 8, padTop: 8, padBottom: 8, padLeft: 8, padRight: 8)
        // Per axis: output o reads o − 8, o, o + 8; valid taps = 13 (centre) + 5 + 5 = 23 of 39.
        #expect(DatasetReader.effectiveFlops(dilated) == 2 * 256 * 256 * 23 * 23)
        #expect(DatasetReader.effectiveFlops(dilated) < Double(dilated.flops))
    }
}
