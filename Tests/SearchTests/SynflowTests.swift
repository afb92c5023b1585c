import Foundation
import NASArchitecture
import Testing
@testable import NASSearch
import NASSupport

@Suite struct SynflowTests {
    func score(_ layers: [Layer], input: (Int, Int, Int), weight: Double) throws -> Double {
        let a = Architecture(name: "t", inputH: input.0, inputW: input.1, inputC: input.2, layers: layers)
        var s = Synflow(seed: 0)
        s.constantWeights = weight
        return s.logScore(try a.resolved())
    }

    /// 3×3×1 ones → conv 2×2 (2 filters, weights 1, valid) gives 2×2×2 fours → flatten → dense 1 (weights 1): R = 32.
    /// ∂R/∂w is 4 for every conv weight (8 of them) and 4 for every dense weight (8): the score is 32 + 32 = 64.
    @Test func convAndDenseByHand() throws {
        let s = try score([
            Layer(name: "c", .conv2d(Conv2D(filters: 2, kernelH: 2, kernelW: 2, useBias: false, activation: .relu))),
            Layer(name: "f", .flatten),
            Layer(name: "d", .dense(Dense(units: 1, useBias: false, activation: .softmax))),
        ], input: (3, 3, 1), weight: 1)
        #expect(abs(s - log(64.0)) < 1e-12)
    }

    /// 4×4×1 ones → conv 3×3 "same" (weights ½, no bias): corners 2, edges 3, the four inner pixels 4.5 → max pool 2×2
    /// picks 4.5 in every window → global average 4.5 → dense 1 (weight ½, bias ½): R = 2.75.
    /// Dense: ½ · 4.5 = 2.25. Conv: the gradient ½ · ¼ reaches only the four inner pixels: 4 · ⅛ · 4.5 = 2.25. Total 4.5.
    @Test func paddingPoolingAndBiasByHand() throws {
        let s = try score([
            Layer(name: "c", .conv2d(Conv2D(filters: 1, kernelH: 3, kernelW: 3, padding: .same, useBias: false, batchNorm: true))),
            Layer(name: "p", .maxPool2d(Pool2D(poolH: 2, poolW: 2))),
            Layer(name: "g", .globalAvgPool2d),
            Layer(name: "d", .dense(Dense(units: 1, useBias: true))),
        ], input: (4, 4, 1), weight: 0.5)
        #expect(abs(s - log(4.5)) < 1e-12)
    }

    /// A depthwise 3×3 "same" conv on 3×3×2 ones (weights 1): outputs are tap counts (4 at corners, 6 at edges, 9 in
    /// the middle: 49 per channel), then average pooling 3×3 "valid" and dense 1 (weights 1): R = 2 · 49/9.
    /// Both layers score R (no biases): 2R.
    @Test func depthwiseAndAveragePoolByHand() throws {
        let s = try score([
            Layer(name: "dw", .conv2d(Conv2D(filters: nil, kernelH: 3, kernelW: 3, padding: .same, depthwise: true, useBias: false))),
            Layer(name: "a", .avgPool2d(Pool2D(poolH: 3, poolW: 3))),
            Layer(name: "f", .flatten),
            Layer(name: "d", .dense(Dense(units: 1, useBias: false))),
        ], input: (3, 3, 2), weight: 1)
        #expect(abs(s - log(2 * 2 * 49.0 / 9)) < 1e-12)
    }

    /// 181 bias-free dense layers of 64 units on 64 ones: R = 64^181 = 2^1086, beyond Double's range, and each
    /// layer scores R, so ln(score) = ln 181 + 1086 ln 2. The log-scaled passes must get it without overflow.
    @Test func deepNetworksDoNotOverflow() throws {
        var layers = [Layer(name: "f", .flatten)]
        for i in 0..<180 { layers.append(Layer(name: "d\(i)", .dense(Dense(units: 64, useBias: false)))) }
        layers.append(Layer(name: "out", .dense(Dense(units: 1, useBias: false))))
        let s = try score(layers, input: (1, 1, 64), weight: 1)
        let expected = log(181.0) + 1086 * log(2.0)
        #expect(abs(s - expected) / expected < 1e-12)
    }

    @Test func seededScoresAreReproducibleAndCached() throws {
        let genome = Genome(try Fixtures.space("fashion-mnist-28"))
        var rng = SeededRandom(seed: 5)
        let net = try genome.architecture(genome.random(&rng)).resolved()
        let q = SynflowQuality(seed: 9, resolution: nil, inputH: 28, inputW: 28)
        let a = q.quality(of: net), b = q.quality(of: net)
        #expect(a == b)
        #expect(a.value != nil && a.value!.isFinite)
        #expect(SynflowQuality(seed: 10, resolution: nil, inputH: 28, inputW: 28).quality(of: net) != a)
    }

    @Test func reducedResolutionKeepsTheAspectRatio() {
        #expect(SynflowQuality.reduced(224, 224, 112) == (112, 112))
        #expect(SynflowQuality.reduced(224, 112, 112) == (112, 56))
        #expect(SynflowQuality.reduced(32, 32, 112) == (32, 32))
        #expect(SynflowQuality.reduced(224, 224, nil) == (224, 224))
        #expect(SynflowQuality(seed: 0, resolution: 112, inputH: 224, inputW: 224).note!.contains("reduced 112×112 input"))
        #expect(SynflowQuality(seed: 0, resolution: 112, inputH: 32, inputW: 32).note == nil)
    }
}

/// Synflow over graphs: hand-checked joins, and the graph pass equal to the chain pass on a chain.
@Suite struct SynflowGraphTests {
    func score(_ json: String, weight: Double? = nil, seed: UInt64 = 0) throws -> Double {
        var s = Synflow(seed: seed)
        s.constantWeights = weight
        return s.logScore(try Architecture(json: Data(json.utf8)).resolved())
    }

    /// 1×1×1 ones → A (×2) → B (×2) → add [A, B] = 2 + 4: R = θA + θA·θB. θA ∂R/∂θA = 2·(1 + 2) = 6, θB ∂R/∂θB = 4.
    @Test func residualByHand() throws {
        let s = try score(#"""
        {"input":[1,1,1],"layers":[{"type":"conv2d","name":"A","filters":1,"kernel":1,"use_bias":false},
         {"type":"conv2d","name":"B","filters":1,"kernel":1,"use_bias":false},
         {"type":"add","name":"s","inputs":["A","B"]}]}
        """#, weight: 2)
        #expect(abs(s - log(10.0)) < 1e-12)
    }

    /// 1×1×1 ones → A (×2) and B (×2) both on the input → concat (2, 2) → global pool → dense 1 (weights 2): R = 8.
    /// A and B each 2·2 = 4; dense 2·2 + 2·2 = 8. Score 16.
    @Test func concatByHand() throws {
        let s = try score(#"""
        {"input":[1,1,1],"layers":[{"type":"conv2d","name":"A","filters":1,"kernel":1,"use_bias":false},
         {"type":"conv2d","name":"B","filters":1,"kernel":1,"use_bias":false,"inputs":["input"]},
         {"type":"concat","name":"c","inputs":["A","B"]},{"type":"global_avg_pool2d","name":"g"},
         {"type":"dense","name":"d","units":1,"use_bias":false}]}
        """#, weight: 2)
        #expect(abs(s - log(16.0)) < 1e-12)
    }

    @Test func graphPassEqualsChainPassOnAChain() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SearchSpaces/zoo/lenet5.json")
        let chain = try Architecture.load(path: url.path)
        var explicit = chain
        for i in explicit.layers.indices { explicit.layers[i].inputs = [i == 0 ? "input" : explicit.layers[i - 1].name] }
        let s = Synflow(seed: 7)
        let (a, b) = (s.logScore(try chain.resolved()), s.logScore(try explicit.resolved()))
        #expect(a.isFinite)
        #expect(a == b)
    }

    @Test func resnet18ScoreIsFiniteAndSeeded() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SearchSpaces/zoo/resnet18.json")
        var a = try Architecture.load(path: url.path)
        a.inputH = 32; a.inputW = 32
        let net = try a.resolved()
        let (x, y, z) = (Synflow(seed: 1).logScore(net), Synflow(seed: 1).logScore(net), Synflow(seed: 2).logScore(net))
        #expect(x.isFinite && x == y && x != z)
    }
}
