/// The layer types that cost time on a device, as the predictors and the measurement backends see them.
public enum WorkloadKind: String, Codable, CaseIterable, Hashable, Sendable, Comparable {
    case conv2d
    case dense
    case maxPool2d = "max_pool2d"
    case avgPool2d = "avg_pool2d"
    /// The elementwise sum of `groups` tensors of one shape (memory-bound).
    case add
    /// `groups` tensors joined along channels into `outC` (a copy, memory-bound).
    case concat

    /// The kinds of the layer-by-layer datasets (Sponner et al.): every device bundle has an entry, learnt or
    /// not, for each. `add` and `concat` have entries only where they were profiled.
    public static let layerKinds: [WorkloadKind] = [.conv2d, .dense, .maxPool2d, .avgPool2d]

    /// True for the kinds that join several tensors; their `groups` counts the inputs.
    public var joinsInputs: Bool { self == .add || self == .concat }

    public static func < (a: WorkloadKind, b: WorkloadKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One layer as a unit of work: its hyperparameters at a batch size, with nothing about where it sits in a network.
///
/// This is the one vocabulary shared by profiling datasets, the agent protocol and the predictors, and its
/// value is the memoization key of predictions: two layers with equal workloads cost the same.
/// Dense layers use `inC` for input features and `outC` for units, with all spatial sizes 1. `add` and `concat`
/// count their inputs in `groups`: an add reads `groups` tensors of inH×inW×inC; a concat reads tensors of
/// inH×inW summing to inC = outC channels (how the channels split does not change the copy).
public struct LayerWorkload: Codable, Hashable, Sendable, CustomStringConvertible {
    public var kind: WorkloadKind
    public var batch: Int
    public var inH: Int, inW: Int, inC: Int
    public var outH: Int, outW: Int, outC: Int
    public var kernelH = 1, kernelW = 1
    public var strideH = 1, strideW = 1
    /// Keras convention: 1 is dense.
    public var dilationH = 1, dilationW = 1
    public var groups = 1
    public var padTop = 0, padBottom = 0, padLeft = 0, padRight = 0
    public var bias = false
    /// Activation fused as a post-op (it costs no separate pass).
    public var activation: ActivationFunction?

    public init(kind: WorkloadKind, batch: Int, inH: Int, inW: Int, inC: Int, outH: Int, outW: Int, outC: Int,
                kernelH: Int = 1, kernelW: Int = 1, strideH: Int = 1, strideW: Int = 1,
                dilationH: Int = 1, dilationW: Int = 1, groups: Int = 1,
                padTop: Int = 0, padBottom: Int = 0, padLeft: Int = 0, padRight: Int = 0,
                bias: Bool = false, activation: ActivationFunction? = nil) {
        self.kind = kind; self.batch = batch
        self.inH = inH; self.inW = inW; self.inC = inC
        self.outH = outH; self.outW = outW; self.outC = outC
        self.kernelH = kernelH; self.kernelW = kernelW
        self.strideH = strideH; self.strideW = strideW
        self.dilationH = dilationH; self.dilationW = dilationW
        self.groups = groups
        self.padTop = padTop; self.padBottom = padBottom; self.padLeft = padLeft; self.padRight = padRight
        self.bias = bias; self.activation = activation
    }

    /// A dense layer of `inputs → units`.
    public static func dense(batch: Int, inputs: Int, units: Int, bias: Bool = true,
                             activation: ActivationFunction? = nil) -> LayerWorkload {
        LayerWorkload(kind: .dense, batch: batch, inH: 1, inW: 1, inC: inputs, outH: 1, outW: 1, outC: units,
                      bias: bias, activation: activation)
    }

    enum CodingKeys: String, CodingKey {
        case kind, batch
        case inH = "in_h", inW = "in_w", inC = "in_c", outH = "out_h", outW = "out_w", outC = "out_c"
        case kernelH = "kernel_h", kernelW = "kernel_w", strideH = "stride_h", strideW = "stride_w"
        case dilationH = "dilation_h", dilationW = "dilation_w", groups
        case padTop = "pad_top", padBottom = "pad_bottom", padLeft = "pad_left", padRight = "pad_right"
        case bias, activation
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(WorkloadKind.self, forKey: .kind)
        batch = try c.decode(Int.self, forKey: .batch)
        inH = try c.decode(Int.self, forKey: .inH); inW = try c.decode(Int.self, forKey: .inW)
        inC = try c.decode(Int.self, forKey: .inC)
        outH = try c.decode(Int.self, forKey: .outH); outW = try c.decode(Int.self, forKey: .outW)
        outC = try c.decode(Int.self, forKey: .outC)
        kernelH = try c.decodeIfPresent(Int.self, forKey: .kernelH) ?? 1
        kernelW = try c.decodeIfPresent(Int.self, forKey: .kernelW) ?? 1
        strideH = try c.decodeIfPresent(Int.self, forKey: .strideH) ?? 1
        strideW = try c.decodeIfPresent(Int.self, forKey: .strideW) ?? 1
        dilationH = try c.decodeIfPresent(Int.self, forKey: .dilationH) ?? 1
        dilationW = try c.decodeIfPresent(Int.self, forKey: .dilationW) ?? 1
        groups = try c.decodeIfPresent(Int.self, forKey: .groups) ?? 1
        padTop = try c.decodeIfPresent(Int.self, forKey: .padTop) ?? 0
        padBottom = try c.decodeIfPresent(Int.self, forKey: .padBottom) ?? 0
        padLeft = try c.decodeIfPresent(Int.self, forKey: .padLeft) ?? 0
        padRight = try c.decodeIfPresent(Int.self, forKey: .padRight) ?? 0
        bias = try c.decodeIfPresent(Bool.self, forKey: .bias) ?? false
        activation = try c.decodeIfPresent(ActivationFunction.self, forKey: .activation)
    }

    // MARK: Derived figures

    public var isDepthwise: Bool { kind == .conv2d && groups > 1 && groups == inC }
    public var isGrouped: Bool { kind == .conv2d && groups > 1 && groups != inC }
    public var isDilated: Bool { kind == .conv2d && (dilationH > 1 || dilationW > 1) }

    public var inputElements: Int { (kind == .add ? groups : 1) * batch * inH * inW * inC }
    public var outputElements: Int { batch * outH * outW * outC }
    public var weightElements: Int {
        switch kind {
        case .conv2d: return outC * (inC / max(groups, 1)) * kernelH * kernelW + (bias ? outC : 0)
        case .dense: return inC * outC + (bias ? outC : 0)
        case .maxPool2d, .avgPool2d, .add, .concat: return 0
        }
    }

    /// Multiply-accumulates; zero for pooling.
    public var macs: Int {
        switch kind {
        case .conv2d: return batch * outH * outW * outC * (inC / max(groups, 1)) * kernelH * kernelW
        case .dense: return batch * inC * outC
        case .maxPool2d, .avgPool2d, .add, .concat: return 0
        }
    }

    /// Floating-point operations: 2 per MAC for conv and dense, one per window element for pooling, one per
    /// addition for add, none for concat.
    public var flops: Int {
        switch kind {
        case .conv2d, .dense: return 2 * macs
        case .maxPool2d, .avgPool2d: return outputElements * kernelH * kernelW
        case .add: return (groups - 1) * outputElements
        case .concat: return 0
        }
    }

    /// Bytes of input, weights and output in f32: the minimum traffic of one execution.
    public var bytesF32: Int { 4 * (inputElements + weightElements + outputElements) }

    /// FLOPs per byte of minimum traffic.
    public var arithmeticIntensity: Double { bytesF32 > 0 ? Double(flops) / Double(bytesF32) : 0 }

    public var description: String {
        switch kind {
        case .dense:
            return "dense b\(batch) \(inC)→\(outC)"
        case .conv2d:
            var s = "conv2d b\(batch) \(inH)×\(inW)×\(inC)→\(outH)×\(outW)×\(outC) k\(kernelH)×\(kernelW) s\(strideH)"
            if groups > 1 { s += isDepthwise ? " dw" : " g\(groups)" }
            if isDilated { s += " d\(dilationH)" }
            return s
        case .maxPool2d, .avgPool2d:
            return "\(kind.rawValue) b\(batch) \(inH)×\(inW)×\(inC)→\(outH)×\(outW) p\(kernelH)×\(kernelW) s\(strideH)"
        case .add:
            return "add b\(batch) \(groups)× \(inH)×\(inW)×\(inC)"
        case .concat:
            return "concat b\(batch) \(groups) inputs →\(outH)×\(outW)×\(outC)"
        }
    }
}

extension ResolvedLayer {
    /// The workload this layer runs at `batch`, or nil for layers that cost no time (activation, flatten).
    /// Global average pooling is an average pool whose window is the whole input.
    public func workload(batch: Int) -> LayerWorkload? {
        switch operation {
        case .conv2d(let c):
            guard case .spatial(let h, let w, let ci) = input, case .spatial(let oh, let ow, let oc) = output else { return nil }
            return LayerWorkload(kind: .conv2d, batch: batch, inH: h, inW: w, inC: ci, outH: oh, outW: ow, outC: oc,
                                 kernelH: c.kernelH, kernelW: c.kernelW, strideH: c.strideH, strideW: c.strideW,
                                 dilationH: c.dilationH, dilationW: c.dilationW, groups: groups,
                                 padTop: padTop, padBottom: padBottom, padLeft: padLeft, padRight: padRight,
                                 bias: c.useBias || c.batchNorm, activation: c.activation)
        case .maxPool2d(let p), .avgPool2d(let p):
            guard case .spatial(let h, let w, let ci) = input, case .spatial(let oh, let ow, _) = output else { return nil }
            let kind: WorkloadKind
            if case .maxPool2d = operation { kind = .maxPool2d } else { kind = .avgPool2d }
            return LayerWorkload(kind: kind, batch: batch, inH: h, inW: w, inC: ci, outH: oh, outW: ow, outC: ci,
                                 kernelH: p.poolH, kernelW: p.poolW, strideH: p.strideH, strideW: p.strideW,
                                 padTop: padTop, padBottom: padBottom, padLeft: padLeft, padRight: padRight)
        case .globalAvgPool2d:
            guard case .spatial(let h, let w, let ci) = input else { return nil }
            return LayerWorkload(kind: .avgPool2d, batch: batch, inH: h, inW: w, inC: ci, outH: 1, outW: 1, outC: ci,
                                 kernelH: h, kernelW: w, strideH: h, strideW: w)
        case .dense(let d):
            return .dense(batch: batch, inputs: input.elements, units: d.units, bias: d.useBias, activation: d.activation)
        case .add(let a):
            let (h, w, c) = Self.dims(output)
            return LayerWorkload(kind: .add, batch: batch, inH: h, inW: w, inC: c, outH: h, outW: w, outC: c,
                                 groups: arity, activation: a.activation)
        case .concat:
            let (h, w, c) = Self.dims(output)
            return LayerWorkload(kind: .concat, batch: batch, inH: h, inW: w, inC: c, outH: h, outW: w, outC: c,
                                 groups: arity)
        case .flatten, .activation, .identity:
            return nil
        }
    }

    private static func dims(_ s: TensorShape) -> (Int, Int, Int) {
        switch s {
        case .spatial(let h, let w, let c): return (h, w, c)
        case .flat(let n): return (1, 1, n)
        }
    }
}
