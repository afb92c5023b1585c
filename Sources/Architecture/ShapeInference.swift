/// A layer after shape inference: concrete shapes, padding amounts and channel counts.
public struct ResolvedLayer: Hashable, Sendable {
    public var index: Int
    public var name: String
    public var operation: LayerOperation
    /// The shape read; for `concat`, the joined shape (equal to the output), for `add`, each operand's shape.
    public var input: TensorShape
    public var output: TensorShape
    /// The layers read, in order (`-1` is the network input); empty when the layer reads the one before it in
    /// a chain, so that sequential networks carry no per-layer array.
    public var sources: [Int] = []
    /// Zero padding actually applied (top, bottom, left, right); zero for layers without a window.
    public var padTop = 0, padBottom = 0, padLeft = 0, padRight = 0
    /// For convolutions: the concrete group count and output channels (depthwise resolved).
    public var groups = 1
    public var filters = 0

    /// How many tensors the layer reads.
    public var arity: Int { Swift.max(sources.count, 1) }

    /// True for layers that deployment compilers fuse into their neighbour, so they cost no time:
    /// standalone activations, flatten and identity (views of the same memory).
    public var isFusedAway: Bool {
        switch operation {
        case .activation, .flatten, .identity: return true
        default: return false
        }
    }
}

/// A network whose every layer has passed shape inference.
public struct ResolvedNetwork: Hashable, Sendable {
    public var architecture: Architecture
    public var layers: [ResolvedLayer]
    public var batch: Int { architecture.batch }
    public var output: TensorShape { layers.last?.output ?? architecture.inputShape }
}

extension Architecture {
    /// Infers every layer's output shape, or throws naming the first layer that cannot run.
    public func resolved() throws -> ResolvedNetwork {
        guard batch > 0 else { throw ArchitectureError("batch size must be positive, got \(batch)") }
        guard inputH > 0, inputW > 0, inputC > 0 else {
            throw ArchitectureError("input shape must be positive, got \(inputH)×\(inputW)×\(inputC)")
        }
        try SizeLimits.checkExtents(largest: Swift.max(Swift.max(Swift.max(batch, inputH), inputW), inputC), ["batch size": batch, "input height": inputH, "input width": inputW,
                                     "input channels": inputC]) { ArchitectureError($0) }
        guard SizeLimits.product(batch, inputH, inputW, inputC, atMost: SizeLimits.maxTensorElements) != nil else {
            throw ArchitectureError("the input \(inputShape) at batch \(batch) has more than \(SizeLimits.maxTensorElements) elements, more than nas supports")
        }
        var shape = inputShape
        var out: [ResolvedLayer] = []
        out.reserveCapacity(layers.count)
        var flops = 0, weights = 0
        var wiring = GraphWiring(layers)
        for i in layers.indices { // by index: the layer is borrowed from the array, not copied out of it
            var r: ResolvedLayer
            if wiring.isGraph {
                let sources = try wiring.sources(of: i, in: layers)
                let shapes = sources.map { $0 == GraphWiring.networkInput ? inputShape : out[$0].output }
                r = try ShapeInference.resolve(layers[i], index: i, input: shapes[0], joined: shapes,
                                               names: sources.map { $0 == GraphWiring.networkInput ? Layer.networkInputName : layers[$0].name })
                r.sources = sources
                wiring.register(i, name: layers[i].name)
            } else {
                r = try ShapeInference.resolve(layers[i], index: i, input: shape)
            }
            let size = try ShapeInference.checkSize(r, batch: batch)
            flops += size.flops
            weights += size.weights
            guard flops <= SizeLimits.maxFLOPs, weights <= SizeLimits.maxNetworkWeights else {
                throw ArchitectureError(layerIndex: i, layerName: layers[i].name,
                                        "the network up to this layer exceeds what nas supports (at most \(SizeLimits.maxFLOPs) FLOPs and \(SizeLimits.maxNetworkWeights) weights)")
            }
            out.append(r)
            shape = r.output
        }
        if wiring.isGraph { try wiring.checkEveryOutputIsRead(layers) }
        return ResolvedNetwork(architecture: self, layers: out)
    }
}

/// Shape rules per layer type. Output sizes follow TensorFlow/Keras (and oneDNN with explicit padding).
public enum ShapeInference {
    /// `joined` holds every input's shape (and `names` their names) when the layer names its inputs; a layer
    /// of a chain passes only `input`.
    static func resolve(_ layer: Layer, index: Int, input: TensorShape, joined: [TensorShape] = [],
                        names: [String] = []) throws -> ResolvedLayer {
        let name = layer.name // captured alone: a `fail` that captured `layer` copied the whole layer per call
        func fail(_ message: String) -> ArchitectureError {
            ArchitectureError(layerIndex: index, layerName: name, message)
        }
        var r = ResolvedLayer(index: index, name: layer.name, operation: layer.operation, input: input, output: input)
        if layer.operation.joinsInputs {
            guard layer.inputs != nil, !joined.isEmpty else {
                throw fail("\(layer.operation.typeName) needs 'inputs': the names of the two or more layers it joins")
            }
            r.output = try joinedShape(layer.operation, joined, names: names, fail)
            if case .concat = layer.operation { r.input = r.output }
            return r
        }
        if joined.count > 1 {
            throw fail("\(layer.operation.typeName) reads one input, but 'inputs' names \(joined.count)")
        }
        switch layer.operation {
        case .conv2d(let c):
            try resolveConv(c, into: &r, fail)
        case .maxPool2d(let p), .avgPool2d(let p):
            guard case .spatial(let h, let w, let ch) = input else {
                throw fail("\(layer.operation.typeName) needs a 4-D (H×W×C) input, got a flat input")
            }
            let spans = Extremes(p.poolH, p.poolW, p.strideH, p.strideW)
            try positive(smallest: spans.smallest,
                         ["pool height": p.poolH, "pool width": p.poolW, "stride height": p.strideH, "stride width": p.strideW], fail)
            try SizeLimits.checkExtents(largest: spans.largest,
                                        ["pool height": p.poolH, "pool width": p.poolW, "stride height": p.strideH,
                                         "stride width": p.strideW], fail)
            try checkPadding(p.padding, fail)
            let (oh, pt, pb) = try window(input: h, window: p.poolH, stride: p.strideH, padding: p.padding, vertical: true,
                                          what: "pool window", fail)
            let (ow, pl, pr) = try window(input: w, window: p.poolW, stride: p.strideW, padding: p.padding, vertical: false,
                                          what: "pool window", fail)
            if pt >= p.poolH || pb >= p.poolH || pl >= p.poolW || pr >= p.poolW {
                throw fail("padding must be smaller than the pool window \(p.poolH)×\(p.poolW)")
            }
            r.output = .spatial(h: oh, w: ow, c: ch)
            r.padTop = pt; r.padBottom = pb; r.padLeft = pl; r.padRight = pr
        case .globalAvgPool2d:
            guard case .spatial(_, _, let ch) = input else { throw fail("global_avg_pool2d needs a 4-D input, got a flat input") }
            r.output = .flat(ch)
        case .flatten:
            r.output = .flat(input.elements)
        case .dense(let d):
            guard case .flat(let n) = input else {
                throw fail("dense needs a flat input, but gets \(input) (add a 'flatten' or 'global_avg_pool2d' layer before it)")
            }
            guard d.units > 0 else { throw fail("units must be positive, got \(d.units)") }
            try SizeLimits.checkExtents(largest: d.units, ["units": d.units], fail)
            r.output = .flat(d.units)
            _ = n
        case .activation, .identity:
            r.output = input
        case .add, .concat:
            break // joined above
        }
        return r
    }

    /// The conv2d rules: window, groups (depthwise resolved) and filters.
    private static func resolveConv(_ c: Conv2D, into r: inout ResolvedLayer, _ fail: (String) -> ArchitectureError) throws {
        let input = r.input
        guard case .spatial(let h, let w, let ch) = input else {
            throw fail("conv2d needs a 4-D (H×W×C) input, got a flat input of \(input.elements) features")
        }
        let spans = Extremes(c.kernelH, c.kernelW, c.strideH, c.strideW)
        let other = Extremes(c.dilationH, c.dilationW, c.groups, c.depthMultiplier)
        try positive(smallest: Swift.min(spans.smallest, other.smallest),
                     ["kernel height": c.kernelH, "kernel width": c.kernelW, "stride height": c.strideH,
                      "stride width": c.strideW, "dilation height": c.dilationH, "dilation width": c.dilationW,
                      "groups": c.groups, "depth multiplier": c.depthMultiplier], fail)
        try SizeLimits.checkExtents(largest: Swift.max(Swift.max(spans.largest, other.largest), c.filters ?? 1),
                                    ["kernel height": c.kernelH, "kernel width": c.kernelW, "stride height": c.strideH,
                                     "stride width": c.strideW, "dilation height": c.dilationH, "dilation width": c.dilationW,
                                     "groups": c.groups, "depth multiplier": c.depthMultiplier,
                                     "filters": c.filters ?? 1], fail)
        try checkPadding(c.padding, fail)
        let groups: Int
        let filters: Int
        if c.depthwise {
            groups = ch
            filters = ch * c.depthMultiplier
            try SizeLimits.checkExtents(largest: filters, ["filters (channels × depth multiplier)": filters], fail)
            if let f = c.filters, f != filters {
                throw fail("depthwise conv2d on \(ch) channels with depth multiplier \(c.depthMultiplier) has \(filters) filters, not \(f)")
            }
        } else {
            guard let f = c.filters else { throw fail("conv2d needs 'filters' (or 'depthwise': true)") }
            guard f > 0 else { throw fail("filters must be positive, got \(f)") }
            groups = c.groups
            filters = f
        }
        guard ch % groups == 0 else { throw fail("input channels \(ch) are not divisible by groups \(groups)") }
        guard filters % groups == 0 else { throw fail("filters \(filters) are not divisible by groups \(groups)") }
        let effH = (c.kernelH - 1) * c.dilationH + 1
        let effW = (c.kernelW - 1) * c.dilationW + 1
        let (oh, pt, pb) = try window(input: h, window: effH, stride: c.strideH, padding: c.padding, vertical: true,
                                      what: "kernel", fail)
        let (ow, pl, pr) = try window(input: w, window: effW, stride: c.strideW, padding: c.padding, vertical: false,
                                      what: "kernel", fail)
        r.output = .spatial(h: oh, w: ow, c: filters)
        r.padTop = pt; r.padBottom = pb; r.padLeft = pl; r.padRight = pr
        r.groups = groups
        r.filters = filters
    }

    /// Explicit padding within `SizeLimits.maxExtent`, so padded sizes cannot overflow.
    private static func checkPadding(_ padding: Padding, _ fail: (String) -> ArchitectureError) throws {
        guard case .explicit(let t, let b, let l, let r) = padding else { return }
        try SizeLimits.checkExtents(largest: Swift.max(Swift.max(Swift.max(t, b), l), r),
                                    ["top padding": t, "bottom padding": b, "left padding": l, "right padding": r], fail)
    }

    /// The layer's output elements, weights and FLOPs at `batch`, checked against `SizeLimits` before any of
    /// them is computed in plain arithmetic (`ResolvedLayer.figures`, `LayerWorkload`).
    static func checkSize(_ r: ResolvedLayer, batch: Int) throws -> (flops: Int, weights: Int) {
        let (index, name) = (r.index, r.name)
        func fail(_ message: String) -> ArchitectureError {
            ArchitectureError(layerIndex: index, layerName: name, message)
        }
        let (h, w, c): (Int, Int, Int)
        switch r.output {
        case .spatial(let oh, let ow, let oc): (h, w, c) = (oh, ow, oc)
        case .flat(let n): (h, w, c) = (n, 1, 1)
        }
        guard SizeLimits.product(batch, h, w, c, atMost: SizeLimits.maxTensorElements) != nil else {
            throw fail("output \(r.output) at batch \(batch) has more than \(SizeLimits.maxTensorElements) elements, more than nas supports")
        }
        let outputs = batch * r.output.elements
        let weights: Int?, flops: Int?
        switch r.operation {
        case .conv2d(let c):
            let perFilter = SizeLimits.product(Self.channels(r.input) / r.groups, c.kernelH, c.kernelW, atMost: SizeLimits.maxTensorElements)
            weights = perFilter.flatMap { SizeLimits.product($0, r.filters, atMost: SizeLimits.maxTensorElements) }
            flops = perFilter.flatMap { SizeLimits.product(2, outputs, $0, atMost: SizeLimits.maxFLOPs) }
        case .dense(let d):
            weights = SizeLimits.product(r.input.elements, d.units, atMost: SizeLimits.maxTensorElements)
            flops = weights.flatMap { SizeLimits.product(2, batch, $0, atMost: SizeLimits.maxFLOPs) }
        case .maxPool2d(let p), .avgPool2d(let p):
            weights = 0
            flops = SizeLimits.product(outputs, p.poolH, p.poolW, atMost: SizeLimits.maxFLOPs)
        case .globalAvgPool2d, .activation, .flatten, .identity:
            weights = 0
            flops = 3 * batch * r.input.elements
        case .add, .concat:
            weights = 0
            flops = SizeLimits.product(r.arity, outputs, atMost: SizeLimits.maxFLOPs)
        }
        guard let weights else { throw fail("more than \(SizeLimits.maxTensorElements) weights, more than nas supports") }
        guard let flops else { throw fail("more than \(SizeLimits.maxFLOPs) FLOPs, more than nas supports") }
        return (flops, weights)
    }

    /// The smallest and largest of four extents, computed without building a list.
    private struct Extremes {
        let smallest: Int, largest: Int
        init(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
            smallest = Swift.min(Swift.min(a, b), Swift.min(c, d))
            largest = Swift.max(Swift.max(a, b), Swift.max(c, d))
        }
    }

    private static func channels(_ shape: TensorShape) -> Int {
        switch shape {
        case .spatial(_, _, let c): return c
        case .flat(let n): return n
        }
    }

    /// Refuses a value that is not positive, naming it. The names are built only when one fails: `smallest` is
    /// the caller's cheap minimum of the same values (a list literal allocates, and this runs for every layer of
    /// every candidate).
    private static func positive(smallest: Int, _ values: @autoclosure () -> KeyValuePairs<String, Int>,
                                 _ fail: (String) -> ArchitectureError) throws {
        guard smallest <= 0 else { return }
        for (what, v) in values() where v <= 0 {
            throw fail("\(what) must be positive, got \(v)")
        }
    }

    /// Output size and padding along one axis.
    private static func window(input: Int, window: Int, stride: Int, padding: Padding, vertical: Bool, what: String,
                               _ fail: (String) -> ArchitectureError) throws -> (Int, Int, Int) {
        let axis = vertical ? "height" : "width"
        switch padding {
        case .valid:
            guard window <= input else {
                throw fail("\(what) \(axis) \(window) is larger than the input \(axis) \(input) (padding valid)")
            }
            return ((input - window) / stride + 1, 0, 0)
        case .same:
            let out = (input + stride - 1) / stride
            let total = max((out - 1) * stride + window - input, 0)
            return (out, total / 2, total - total / 2)
        case .explicit(let top, let bottom, let left, let right):
            let (a, b) = vertical ? (top, bottom) : (left, right)
            guard a >= 0, b >= 0 else { throw fail("padding must not be negative, got \(a), \(b)") }
            let padded = input + a + b
            guard window <= padded else {
                throw fail("\(what) \(axis) \(window) is larger than the padded input \(axis) \(padded)")
            }
            return ((padded - window) / stride + 1, a, b)
        }
    }
}
