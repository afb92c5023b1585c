import Testing
import NASArchitecture
@testable import NASMeasurement
import NASSupport

/// Deterministic test data.
struct TestData {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }
    mutating func values(_ n: Int, scale: Float = 1) -> [Float] { (0..<n).map { _ in rng.uniform(-scale, scale) } }
    mutating func parameters(_ w: LayerWorkload) -> LayerParameters {
        let count = w.kind == .conv2d ? w.outC * (w.inC / w.groups) * w.kernelH * w.kernelW : w.outC * w.inC
        return LayerParameters(weights: values(count, scale: 0.5), bias: w.bias ? values(w.outC, scale: 0.5) : nil)
    }
}

/// max |a − b| / max |b|: the error relative to the output's scale.
func relativeError(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "lengths differ: \(a.count) vs \(b.count)")
    let scale = b.map { Double(abs($0)) }.max() ?? 0
    let diff = zip(a, b).map { Double(abs($0 - $1)) }.max() ?? 0
    return scale > 0 ? diff / scale : diff
}

func conv(_ b: Int, _ h: Int, _ w: Int, _ c: Int, oc: Int, k: (Int, Int), s: (Int, Int) = (1, 1), d: (Int, Int) = (1, 1),
          g: Int = 1, pad: (Int, Int, Int, Int) = (0, 0, 0, 0), bias: Bool = true, act: ActivationFunction? = nil) -> LayerWorkload {
    let oh = (h + pad.0 + pad.1 - ((k.0 - 1) * d.0 + 1)) / s.0 + 1
    let ow = (w + pad.2 + pad.3 - ((k.1 - 1) * d.1 + 1)) / s.1 + 1
    return LayerWorkload(kind: .conv2d, batch: b, inH: h, inW: w, inC: c, outH: oh, outW: ow, outC: oc, kernelH: k.0, kernelW: k.1,
                         strideH: s.0, strideW: s.1, dilationH: d.0, dilationW: d.1, groups: g,
                         padTop: pad.0, padBottom: pad.1, padLeft: pad.2, padRight: pad.3, bias: bias, activation: act)
}

func pool(_ kind: WorkloadKind, _ b: Int, _ h: Int, _ w: Int, _ c: Int, k: (Int, Int), s: (Int, Int),
          pad: (Int, Int, Int, Int) = (0, 0, 0, 0)) -> LayerWorkload {
    let oh = (h + pad.0 + pad.1 - k.0) / s.0 + 1
    let ow = (w + pad.2 + pad.3 - k.1) / s.1 + 1
    return LayerWorkload(kind: kind, batch: b, inH: h, inW: w, inC: c, outH: oh, outW: ow, outC: c, kernelH: k.0, kernelW: k.1,
                         strideH: s.0, strideW: s.1, padTop: pad.0, padBottom: pad.1, padLeft: pad.2, padRight: pad.3)
}

func reference(_ w: LayerWorkload, _ x: [Float], _ p: LayerParameters?) -> [Float] {
    switch w.kind {
    case .conv2d: return NaiveReference.conv2d(w, input: x, parameters: p!)
    case .dense: return NaiveReference.dense(w, input: x, parameters: p!)
    case .maxPool2d, .avgPool2d: return NaiveReference.pool(w, input: x)
    case .add, .concat: preconditionFailure("the host backend refuses \(w.kind.rawValue) workloads")
    }
}

@Suite(.serialized) struct HostLayerCorrectness {
    static let cases: [(String, LayerWorkload)] = [
        ("standard 3×3 pad 1 + relu", conv(2, 13, 11, 8, oc: 16, k: (3, 3), pad: (1, 1, 1, 1), act: .relu)),
        ("strided 5×5 asymmetric pad", conv(1, 17, 15, 6, oc: 10, k: (5, 5), s: (2, 2), pad: (1, 2, 2, 1))),
        ("grouped g=2 no bias", conv(2, 9, 9, 8, oc: 12, k: (3, 3), g: 2, pad: (1, 1, 1, 1), bias: false)),
        ("grouped g=4 1×1", conv(1, 7, 7, 16, oc: 32, k: (1, 1), g: 4)),
        ("depthwise 3×3 s2 + relu6", conv(2, 12, 12, 16, oc: 16, k: (3, 3), s: (2, 2), g: 16, pad: (0, 1, 0, 1), act: .relu6)),
        ("depthwise multiplier 2", conv(1, 8, 8, 8, oc: 16, k: (3, 3), g: 8, pad: (1, 1, 1, 1))),
        ("dilated 2 pad 2 + sigmoid", conv(1, 14, 14, 8, oc: 8, k: (3, 3), d: (2, 2), pad: (2, 2, 2, 2), act: .sigmoid)),
        ("dilated 3×2 rectangular + tanh", conv(1, 16, 13, 4, oc: 6, k: (3, 2), d: (3, 2), pad: (1, 2, 0, 1), act: .tanh)),
        ("max pool 3×3 s2 pad same", pool(.maxPool2d, 2, 11, 11, 16, k: (3, 3), s: (2, 2), pad: (1, 1, 1, 1))),
        ("max pool 2×2 valid", pool(.maxPool2d, 1, 8, 6, 5, k: (2, 2), s: (2, 2))),
        ("avg pool excludes padding", pool(.avgPool2d, 2, 10, 9, 8, k: (3, 3), s: (2, 2), pad: (1, 1, 1, 1))),
        ("global avg pool", pool(.avgPool2d, 3, 7, 7, 32, k: (7, 7), s: (7, 7))),
        ("dense + bias", .dense(batch: 3, inputs: 37, units: 29)),
        ("dense + softmax", .dense(batch: 2, inputs: 20, units: 10, activation: .softmax)),
        ("dense no bias + relu", .dense(batch: 1, inputs: 64, units: 16, bias: false, activation: .relu)),
    ]

    @Test(arguments: 0..<cases.count)
    func layerMatchesReference(_ i: Int) throws {
        let (name, w) = Self.cases[i]
        var data = TestData(seed: UInt64(100 + i))
        let x = data.values(w.inputElements)
        let p: LayerParameters? = w.kind == .conv2d || w.kind == .dense ? data.parameters(w) : nil
        let backend = try HostBackend()
        let got = try backend.runLayer(w, input: x, parameters: p)
        let want = reference(w, x, p)
        let err = relativeError(got, want)
        #expect(err <= 1e-4, "\(name): relative error \(err)")
    }

    /// The same layers as one-layer networks: NHWC in, reorders at entry and exit, NHWC out.
    @Test(arguments: 0..<cases.count)
    func layerInsideNetworkMatchesReference(_ i: Int) throws {
        let (name, w) = Self.cases[i]
        var data = TestData(seed: UInt64(200 + i))
        let x = data.values(w.inputElements)
        let p: LayerParameters? = w.kind == .conv2d || w.kind == .dense ? data.parameters(w) : nil
        let net = try Architecture(name: "one", inputH: w.kind == .dense ? 1 : w.inH, inputW: w.kind == .dense ? 1 : w.inW,
                                   inputC: w.inC, batch: w.batch, layers: Self.layers(w)).resolved()
        let backend = try HostBackend()
        let got = try backend.runNetwork(net, batch: w.batch, input: x, parameters: p.map { [net.layers.count - 1: $0] } ?? [:])
        let want = reference(w, x, p)
        let err = relativeError(got, want)
        #expect(err <= 1e-4, "\(name): relative error \(err)")
    }

    static func layers(_ w: LayerWorkload) -> [Layer] {
        let pad = Padding.explicit(top: w.padTop, bottom: w.padBottom, left: w.padLeft, right: w.padRight)
        switch w.kind {
        case .conv2d:
            return [Layer(name: "c", .conv2d(Conv2D(filters: w.outC, kernelH: w.kernelH, kernelW: w.kernelW, strideH: w.strideH,
                                                    strideW: w.strideW, padding: pad, dilationH: w.dilationH,
                                                    dilationW: w.dilationW, groups: w.groups, useBias: w.bias,
                                                    activation: w.activation)))]
        case .dense:
            // A 1×1×C input flattened first, so the dense reads a 4-D source.
            return [Layer(name: "f", .flatten), Layer(name: "d", .dense(Dense(units: w.outC, useBias: w.bias, activation: w.activation)))]
        case .maxPool2d, .avgPool2d:
            let pl = Pool2D(poolH: w.kernelH, poolW: w.kernelW, strideH: w.strideH, strideW: w.strideW, padding: pad)
            return [Layer(name: "p", w.kind == .maxPool2d ? .maxPool2d(pl) : .avgPool2d(pl))]
        case .add, .concat:
            preconditionFailure("the host backend refuses \(w.kind.rawValue) workloads")
        }
    }
}
