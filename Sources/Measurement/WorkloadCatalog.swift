import Foundation
import NASArchitecture
import NASSupport

/// A layer workload chosen for profiling, with where it came from.
public struct CatalogEntry: Hashable, Sendable {
    /// At batch 1; the profiler sets the batch.
    public var workload: LayerWorkload
    /// conv, depthwise, grouped, dilated, max_pool, avg_pool, dense, dense_random.
    public var category: String
    /// "model:layer" for zoo layers, "model:layer → variant" for augmentations, "random" for random dense pairs.
    public var label: String
}

/// The representative workloads: the distinct layers of the model zoo, augmented the way Sponner et al. 2022 did
/// (convolutions get depthwise, grouped and dilated variants; pooling gets other window sizes over the same inputs;
/// dense gets random (in, out) pairs), interleaved by category so any prefix mixes every kind.
public enum WorkloadCatalog {
    static let depthwiseChannels = [8, 16, 32, 64, 128, 256, 512]
    static let dilations = [2, 4, 8]
    static let groupChoices = [2, 4, 8, 16, 32]
    static let poolSizes = [2, 3, 4, 5, 7]

    /// Chain architectures in `directory` (every *.json), by file name. Graph networks (ResNet, MobileNetV2) are
    /// left out, since the host backend does not run their add and concat layers yet; the profile catalog and the
    /// calibration set are the chains' alone, as they were before graphs existed.
    public static func loadZoo(directory: String) throws -> [(String, ResolvedNetwork)] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw MeasurementError.invalidSettings("\(directory): cannot list the model zoo (\(error.localizedDescription))")
        }
        guard !files.isEmpty else { throw MeasurementError.invalidSettings("\(directory): no architecture JSON files in the model zoo") }
        let networks = try files.map { f in
            let path = (directory as NSString).appendingPathComponent(f)
            let net = try Architecture.load(path: path).resolved()
            return (net.architecture.name, net)
        }.filter { !$0.1.isGraph }
        guard !networks.isEmpty else { throw MeasurementError.invalidSettings("\(directory): no chain architectures in the model zoo (graph networks are not profiled yet)") }
        return networks
    }

    /// The distinct workloads of the networks at batch 1, first occurrence first.
    public static func zooWorkloads(_ zoo: [(String, ResolvedNetwork)]) -> [CatalogEntry] {
        var seen: Set<LayerWorkload> = []
        var out: [CatalogEntry] = []
        for (model, net) in zoo {
            for layer in net.layers {
                guard let w = layer.workload(batch: 1), seen.insert(w).inserted else { continue }
                out.append(CatalogEntry(workload: w, category: category(of: w), label: "\(model):\(layer.name)"))
            }
        }
        return out
    }

    static func category(of w: LayerWorkload) -> String {
        switch w.kind {
        case .conv2d: return w.isDepthwise ? "depthwise" : w.isDilated ? "dilated" : w.isGrouped ? "grouped" : "conv"
        case .dense: return "dense"
        case .maxPool2d: return "max_pool"
        case .avgPool2d: return "avg_pool"
        case .add: return "add"
        case .concat: return "concat"
        }
    }

    /// Output size and padding of one axis, "same" when the original layer padded and "valid" otherwise.
    static func axis(input: Int, window: Int, stride: Int, same: Bool) -> (out: Int, before: Int, after: Int)? {
        if same {
            let out = (input + stride - 1) / stride
            let total = max((out - 1) * stride + window - input, 0)
            return (out, total / 2, total - total / 2)
        }
        guard window <= input else { return nil }
        return ((input - window) / stride + 1, 0, 0)
    }

    static func convVariant(_ base: LayerWorkload, inC: Int, outC: Int, groups: Int, dilation: Int) -> LayerWorkload? {
        let same = base.padTop + base.padBottom + base.padLeft + base.padRight > 0
        let kh = (base.kernelH - 1) * dilation + 1, kw = (base.kernelW - 1) * dilation + 1
        guard let h = axis(input: base.inH, window: kh, stride: base.strideH, same: same),
              let w = axis(input: base.inW, window: kw, stride: base.strideW, same: same) else { return nil }
        return LayerWorkload(kind: .conv2d, batch: 1, inH: base.inH, inW: base.inW, inC: inC, outH: h.out, outW: w.out, outC: outC,
                             kernelH: base.kernelH, kernelW: base.kernelW, strideH: base.strideH, strideW: base.strideW,
                             dilationH: dilation, dilationW: dilation, groups: groups,
                             padTop: h.before, padBottom: h.after, padLeft: w.before, padRight: w.after,
                             bias: base.bias, activation: base.activation)
    }

    static func poolVariant(_ base: LayerWorkload, kind: WorkloadKind, size: Int, stride: Int, same: Bool) -> LayerWorkload? {
        guard let h = axis(input: base.inH, window: size, stride: stride, same: same),
              let w = axis(input: base.inW, window: size, stride: stride, same: same),
              h.before < size, h.after < size, w.before < size, w.after < size else { return nil }
        return LayerWorkload(kind: kind, batch: 1, inH: base.inH, inW: base.inW, inC: base.inC, outH: h.out, outW: w.out,
                             outC: base.inC, kernelH: size, kernelW: size, strideH: stride, strideW: stride,
                             padTop: h.before, padBottom: h.after, padLeft: w.before, padRight: w.after)
    }

    /// Zoo workloads plus augmentations, interleaved by category. Deterministic for a given zoo and seed: one
    /// random stream is drawn from in a fixed order (convolution variants, then pooling, then random dense).
    public static func representative(zoo: [(String, ResolvedNetwork)], seed: UInt64, randomDense: Int = 200) -> [CatalogEntry] {
        let base = zooWorkloads(zoo)
        var draw = RepresentativeDraw(base: base, seed: seed)
        let convs = base.filter { $0.workload.kind == .conv2d }
        for e in convs { draw.addConvolutionVariants(of: e) }
        for w in poolInputs(base: base, convs: convs) { draw.addPoolingVariants(over: w) }
        draw.addRandomDense(randomDense)
        return draw.interleaved()
    }

    /// The distinct (h, w, c) inputs to vary pooling over: the zoo's pooling inputs, then its convolutions'.
    /// Pooling inputs in the zoo are few; the inputs of its convolutions are inputs a pool could have too.
    static func poolInputs(base: [CatalogEntry], convs: [CatalogEntry]) -> [LayerWorkload] {
        let pools = base.filter { $0.workload.kind == .maxPool2d || $0.workload.kind == .avgPool2d }
        var inputs: [LayerWorkload] = []
        var seen: Set<[Int]> = []
        for e in pools + convs where seen.insert([e.workload.inH, e.workload.inW, e.workload.inC]).inserted {
            inputs.append(e.workload)
        }
        return inputs
    }
}
