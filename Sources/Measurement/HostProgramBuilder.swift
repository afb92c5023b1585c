import NASArchitecture
import NASSupport

/// The first half of building a `HostProgram`: which oneDNN primitives run, over which tensors, in which
/// order, and which weights they need. Nothing is allocated here, so the memory a program needs is known
/// (and can be refused) before any of it is taken.
///
/// Tensors are numbered in creation order and each lives in a `Slot`: consecutive outputs alternate between
/// two arenas, so a network of any depth needs two activation buffers.
struct HostProgramBuilder {
    typealias Step = HostProgram.Step
    typealias Slot = HostProgram.Slot
    typealias Role = HostProgram.Role

    let mode: HostProgram.Mode
    let context: DNNLContext
    let specs: [HostLayerSpec]
    let parameters: [Int: LayerParameters]
    /// User-layout descriptions of the input and output (NHWC, or N×C when flat).
    let userInputDesc: DNNLMemoryDesc
    private(set) var userOutputDesc: DNNLMemoryDesc
    private let postOps: [[DNNLEltwise]]
    /// Per spec position: the position of the layer whose primitive computes it, when fused away.
    let fusedInto: [Int?]
    private let softmaxAfter: [Bool]

    private(set) var steps: [Step] = []
    private(set) var tensorDescs: [DNNLMemoryDesc] = []
    private(set) var tensorSlots: [Slot] = []
    private(set) var weights: [StagedWeights] = []
    private(set) var inputTensor = 0
    private(set) var outputTensor = 0
    /// Seeds the random weights of layers without given parameters, one draw per tensor in build order.
    private var rng: SplitMix64
    /// The tensor the next layer reads; nil in layer mode until the first layer has chosen the input layout.
    private var current: Int? = nil
    /// Whether a conv, pool or dense is in: in network mode the reorders before the first are the entry's.
    private var computeSeen = false

    init(specs: [HostLayerSpec], inputDims: [Int], mode: HostProgram.Mode, context: DNNLContext,
         parameters: [Int: LayerParameters], seed: UInt64) throws {
        self.specs = specs
        self.mode = mode
        self.context = context
        self.parameters = parameters
        userInputDesc = try DNNLMemoryDesc(dims: inputDims, layout: inputDims.count == 4 ? .nhwc : .nc)
        userOutputDesc = userInputDesc
        (postOps, fusedInto, softmaxAfter) = HostProgram.planFusion(specs)
        rng = SplitMix64(seed: seed)
        if mode == .network {
            current = addInput(userInputDesc)
        }
    }

    /// Adds the primitives computing the spec at `pos`, and the softmax after it when it has one.
    mutating func add(_ spec: HostLayerSpec, at pos: Int) throws {
        let what = mode == .layer ? spec.name : "layer \(spec.index) '\(spec.name)' (\(spec.type))"
        do {
            switch spec.op {
            case .conv(let w): try addConvolution(w, at: pos, index: spec.index, what: what)
            case .pool(let w): try addPooling(w, at: pos, what: what)
            case .dense(let w): try addDense(w, at: pos, index: spec.index, what: what)
            case .activation(let f): try addActivation(f, at: pos, what: what)
            case .flatten: try addFlatten(at: pos, what: what)
            case .identity: break
            }
            if softmaxAfter[pos], let c = current {
                try addElementwise(.softmax, on: c, at: pos, what: what)
            }
        } catch let e as DNNLError {
            throw MeasurementError.workloadFailed(e.description)
        }
    }

    /// Fixes the output's user layout and, in network mode, adds the reorder into it at exit (also when the
    /// last tensor is the caller's input, which the program must leave unchanged).
    mutating func finish() throws {
        guard let last = current else { throw MeasurementError.workloadFailed("the program has no layers") }
        let lastDims = tensorDescs[last].dims
        userOutputDesc = try DNNLMemoryDesc(dims: lastDims, layout: lastDims.count == 4 ? .nhwc : .nc)
        outputTensor = last
        if mode == .network, tensorDescs[last] != userOutputDesc || tensorSlots[last] == .userInput {
            let r = try DNNLPrimitive.reorder(from: tensorDescs[last], to: userOutputDesc, context: context,
                                              what: "reorder at network exit")
            outputTensor = addTensor(userOutputDesc, slot: .userOutput)
            steps.append(Step(primitive: r, role: .exit, src: last, dst: outputTensor, isMain: false))
        }
    }

    // MARK: Layers

    private mutating func addConvolution(_ w: LayerWorkload, at pos: Int, index: Int, what: String) throws {
        let n = w.batch
        let g = max(w.groups, 1)
        let userW = g > 1 ? [g, w.outC / g, w.inC / g, w.kernelH, w.kernelW] : [w.outC, w.inC, w.kernelH, w.kernelW]
        let prim = try DNNLPrimitive.convolution(
            src: DNNLMemoryDesc(dims: [n, w.inC, w.inH, w.inW], layout: .any),
            weights: DNNLMemoryDesc(dims: userW, layout: .any),
            bias: w.bias ? DNNLMemoryDesc(dims: [w.outC], layout: .x) : nil,
            dst: DNNLMemoryDesc(dims: [n, w.outC, w.outH, w.outW], layout: .any),
            strides: [w.strideH, w.strideW], dilation: [w.dilationH, w.dilationW],
            paddingLeft: [w.padTop, w.padLeft], paddingRight: [w.padBottom, w.padRight],
            postOps: postOps[pos], context: context, what: what)
        let src = try ensure(prim.srcDesc!, role: reorderRole(pos), what: what)
        let staged = try stageParameters(of: prim, index: index,
                                         userWeights: DNNLMemoryDesc(dims: userW, layout: g > 1 ? .goihw : .oihw),
                                         fanIn: (w.inC / g) * w.kernelH * w.kernelW, outputs: w.outC, what: what)
        appendCompute(prim, src: src, at: pos, weights: staged.weights, bias: staged.bias)
    }

    /// Inside a network pooling reads what the layer before produced; alone it reads the layout a
    /// convolution producing its input would choose, so it is timed as it would run in a network.
    private mutating func addPooling(_ w: LayerWorkload, at pos: Int, what: String) throws {
        let srcDesc: DNNLMemoryDesc
        if let c = current {
            srcDesc = tensorDescs[c]
        } else {
            srcDesc = try Self.producerLayout(batch: w.batch, channels: w.inC, h: w.inH, w: w.inW, context: context)
        }
        let prim = try DNNLPrimitive.pooling(
            w.kind == .maxPool2d ? .max : .averageExcludingPadding,
            src: srcDesc, dst: DNNLMemoryDesc(dims: [w.batch, w.outC, w.outH, w.outW], layout: .any),
            strides: [w.strideH, w.strideW], kernel: [w.kernelH, w.kernelW],
            paddingLeft: [w.padTop, w.padLeft], paddingRight: [w.padBottom, w.padRight],
            context: context, what: what)
        let src = try ensure(srcDesc, role: reorderRole(pos), what: what)
        appendCompute(prim, src: src, at: pos)
    }

    private mutating func addDense(_ w: LayerWorkload, at pos: Int, index: Int, what: String) throws {
        let units = w.outC
        let shape = try denseShape(w, what: what)
        let wAny = try DNNLMemoryDesc(dims: shape.userWeights, layout: .any)
        let biasDesc = w.bias ? try DNNLMemoryDesc(dims: [units], layout: .x) : nil
        let dstAny = try DNNLMemoryDesc(dims: [w.batch, units], layout: .any)
        func innerProduct(src: DNNLMemoryDesc) throws -> DNNLPrimitive {
            try DNNLPrimitive.innerProduct(src: src, weights: wAny, bias: biasDesc, dst: dstAny, postOps: postOps[pos],
                                           context: context, what: what)
        }
        var prim: DNNLPrimitive? = nil
        if let c = current {
            // Reading the current layout saves a reorder; oneDNN has no kernel for some of them.
            do { prim = try innerProduct(src: tensorDescs[c]) } catch let e as DNNLError where e.isUnimplemented {}
        }
        let ip = try prim ?? innerProduct(src: DNNLMemoryDesc(dims: shape.srcDims, layout: .any))
        let src = try ensure(ip.srcDesc!, role: reorderRole(pos), what: what)
        let staged = try stageParameters(of: ip, index: index,
                                         userWeights: DNNLMemoryDesc(dims: shape.userWeights, layout: shape.userLayout),
                                         fanIn: w.inC, outputs: units, what: what)
        appendCompute(ip, src: src, at: pos, weights: staged.weights, bias: staged.bias)
    }

    /// The source and user weight shapes of a dense layer: 4-D with NHWC-ordered weights when it reads a
    /// spatial tensor directly (see `HostProgram.denseConsumesSpatial`), else N×features.
    private func denseShape(_ w: LayerWorkload, what: String) throws -> (srcDims: [Int], userWeights: [Int], userLayout: DNNLLayout) {
        guard let c = current, tensorDescs[c].dims.count == 4 else {
            return ([w.batch, w.inC], [w.outC, w.inC], .oi)
        }
        let d = tensorDescs[c].dims
        guard d[1] * d[2] * d[3] == w.inC else {
            throw MeasurementError.workloadFailed("\(what): input has \(d[1] * d[2] * d[3]) features, dense expects \(w.inC)")
        }
        return (d, [w.outC, d[1], d[2], d[3]], .ohwi)
    }

    private mutating func addActivation(_ f: ActivationFunction, at pos: Int, what: String) throws {
        guard fusedInto[pos] == nil else { return }
        guard let c = current else {
            throw MeasurementError.workloadFailed("\(what): an activation needs an input")
        }
        try addElementwise(f, on: c, at: pos, what: what)
    }

    /// A flatten costs nothing when a dense reads the 4-D tensor itself; otherwise the tensor is made NHWC
    /// and its bytes are read as N×(H·W·C), the Keras flatten order.
    private mutating func addFlatten(at pos: Int, what: String) throws {
        guard let c = current else { throw MeasurementError.workloadFailed("\(what): flatten needs an input") }
        let d = tensorDescs[c].dims
        guard d.count == 4 && !HostProgram.denseConsumesSpatial(specs, after: pos, fused: fusedInto) else { return }
        let plain = try DNNLMemoryDesc(dims: d, layout: .nhwc)
        let t = try ensure(plain, role: .layer(pos), what: what)
        let flat = try DNNLMemoryDesc(dims: [d[0], d[1] * d[2] * d[3]], layout: .nc)
        current = addTensor(flat, slot: tensorSlots[t])
    }

    /// An activation oneDNN could not fuse, as its own primitive over tensor `c`.
    private mutating func addElementwise(_ f: ActivationFunction, on c: Int, at pos: Int, what: String) throws {
        let desc = tensorDescs[c]
        let prim: DNNLPrimitive
        if let e = DNNLEltwise(f) {
            prim = try DNNLPrimitive.eltwise(e, data: desc, context: context, what: "\(what) \(f.rawValue)")
        } else {
            prim = try DNNLPrimitive.softmax(data: desc, context: context, what: "\(what) softmax")
        }
        // In place, except over the caller's input, which every run must find unchanged.
        let dst = tensorSlots[c] == .userInput ? newTensor(desc, after: c) : c
        steps.append(Step(primitive: prim, role: .layer(pos), src: c, dst: dst, isMain: false))
        current = dst
    }

    // MARK: Tensors and weights

    /// Adds a layer's main step, writing a new tensor that becomes the current one.
    private mutating func appendCompute(_ prim: DNNLPrimitive, src: Int, at pos: Int, weights: Int? = nil, bias: Int? = nil) {
        let dst = newTensor(prim.dstDesc!, after: src)
        steps.append(Step(primitive: prim, role: .layer(pos), src: src, dst: dst, weights: weights, bias: bias, isMain: true))
        current = dst
        computeSeen = true
    }

    private mutating func addTensor(_ desc: DNNLMemoryDesc, slot: Slot) -> Int {
        tensorDescs.append(desc)
        tensorSlots.append(slot)
        return tensorDescs.count - 1
    }

    /// A tensor written from `src`: in the arena `src` is not in.
    private mutating func newTensor(_ desc: DNNLMemoryDesc, after src: Int?) -> Int {
        let slot: Slot
        switch src.map({ tensorSlots[$0] }) {
        case .arena(let k)?: slot = .arena(1 - k)
        default: slot = .arena(0)
        }
        return addTensor(desc, slot: slot)
    }

    /// The program's input tensor, in the caller's buffer.
    private mutating func addInput(_ desc: DNNLMemoryDesc) -> Int {
        inputTensor = addTensor(desc, slot: .userInput)
        return inputTensor
    }

    private func reorderRole(_ pos: Int) -> Role { mode == .network && !computeSeen ? .entry : .layer(pos) }

    /// Makes the current tensor have layout `desc`, adding a reorder when it differs; with no current
    /// tensor (layer mode), the input is created in that layout.
    private mutating func ensure(_ desc: DNNLMemoryDesc, role: Role, what: String) throws -> Int {
        guard let c = current else { return addInput(desc) }
        if tensorDescs[c] == desc { return c }
        let r = try DNNLPrimitive.reorder(from: tensorDescs[c], to: desc, context: context, what: "reorder before \(what)")
        let t = newTensor(desc, after: c)
        steps.append(Step(primitive: r, role: role, src: c, dst: t, isMain: false))
        return t
    }

    /// Stages a layer's weights and, when its primitive has one, its bias (zeros when the given parameters
    /// have none), returning their indices.
    private mutating func stageParameters(of prim: DNNLPrimitive, index: Int, userWeights: DNNLMemoryDesc, fanIn: Int,
                                          outputs: Int, what: String) throws -> (weights: Int, bias: Int?) {
        let given = parameters[index]
        let w = try stage(userWeights, given: given?.weights, fanIn: fanIn, into: prim.weightsDesc!, what: "\(what) weights")
        guard let biasDesc = prim.biasDesc else { return (w, nil) }
        let b = try stage(DNNLMemoryDesc(dims: [outputs], layout: .x),
                          given: given.map { $0.bias ?? [Float](repeating: 0, count: outputs) },
                          fanIn: nil, into: biasDesc, what: "\(what) bias")
        return (w, b)
    }

    private mutating func stage(_ user: DNNLMemoryDesc, given: [Float]?, fanIn: Int?, into chosen: DNNLMemoryDesc,
                                what: String) throws -> Int {
        weights.append(try StagedWeights(user: user, given: given, fanIn: fanIn, chosen: chosen, rng: &rng, what: what))
        return weights.count - 1
    }

    /// The layout oneDNN gives the output of a convolution producing a C-channel H×W tensor: what a pooling
    /// layer reads inside a network.
    static func producerLayout(batch: Int, channels: Int, h: Int, w: Int, context: DNNLContext) throws -> DNNLMemoryDesc {
        let probe = try DNNLPrimitive.convolution(
            src: DNNLMemoryDesc(dims: [batch, channels, h, w], layout: .any),
            weights: DNNLMemoryDesc(dims: [channels, channels, 1, 1], layout: .any), bias: nil,
            dst: DNNLMemoryDesc(dims: [batch, channels, h, w], layout: .any),
            strides: [1, 1], dilation: [1, 1], paddingLeft: [0, 0], paddingRight: [0, 0], postOps: [],
            context: context, what: "layout probe for pooling input \(batch)×\(channels)×\(h)×\(w)")
        return probe.dstDesc!
    }
}
