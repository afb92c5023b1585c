import Foundation
import NASArchitecture
import NASSupport

/// Weights and bias of one layer in the host backend's user layout.
///
/// - conv2d: `[OC][IC/G][KH][KW]`, output channel `oc = g·(OC/G) + k` for group g.
/// - dense: `[units][features]`, features in Keras NHWC flatten order (h, w, c) when the input is spatial.
public struct LayerParameters: Sendable {
    public var weights: [Float]
    public var bias: [Float]?
    public init(weights: [Float], bias: [Float]?) {
        self.weights = weights
        self.bias = bias
    }
}

/// A layer as the host program sees it.
struct HostLayerSpec {
    enum Op {
        case conv(LayerWorkload)
        case pool(LayerWorkload)
        case dense(LayerWorkload)
        case activation(ActivationFunction)
        case flatten
    }
    var index: Int
    var name: String
    var type: String
    var op: Op

    var workload: LayerWorkload? {
        switch op {
        case .conv(let w), .pool(let w), .dense(let w): return w
        case .activation, .flatten: return nil
        }
    }
}

extension DNNLEltwise {
    /// The post-op computing `f`, or nil for softmax, which oneDNN cannot fuse.
    init?(_ f: ActivationFunction) {
        switch f {
        case .relu: self = .relu
        case .relu6: self = .clip(lower: 0, upper: 6)
        case .sigmoid: self = .logistic
        case .tanh: self = .tanh
        case .softmax: return nil
        }
    }
}

/// A compiled sequence of oneDNN primitives over reused buffers, for one network or one layer.
///
/// Network mode takes NHWC input and produces NHWC (or N×features) output, with the reorders at entry and
/// exit timed as part of the run. Layer mode keeps the input in the layout the primitive prefers (for pooling:
/// the layout a convolution producing that tensor would choose) and times the layer alone.
final class HostProgram {
    enum Mode { case network, layer }

    enum Role: Equatable {
        case entry, exit
        /// Attributed to a layer, by position in `specs`.
        case layer(Int)
    }

    struct Step {
        var primitive: DNNLPrimitive
        var role: Role
        var src: Int
        var dst: Int
        /// Indices into the program's weight buffers.
        var weights: Int?
        var bias: Int?
        var isMain: Bool
        var args: [(DNNLArgument, DNNLMemory)] = []
    }

    enum Slot: Hashable { case userInput, userOutput, arena(Int) }

    private enum WeightValues {
        case given([Float])
        case random(seed: UInt64, scale: Float)
    }
    private struct PendingWeights {
        var user: DNNLMemoryDesc
        var values: WeightValues
        var chosen: DNNLMemoryDesc
    }
    private var weightMemory: [DNNLMemory] = []

    let mode: Mode
    let specs: [HostLayerSpec]
    let batch: Int
    let context: DNNLContext
    private(set) var steps: [Step] = []
    private var tensorDescs: [DNNLMemoryDesc] = []
    private var tensorSlots: [Slot] = []
    private var tensorMemory: [DNNLMemory] = []
    private var inputTensor = 0
    private var outputTensor = 0
    /// User-layout descriptions of the input and output (NHWC, or N×C when flat).
    let userInputDesc: DNNLMemoryDesc
    private(set) var userOutputDesc: DNNLMemoryDesc
    /// Per spec position: the position of the layer whose primitive computes it, when fused away.
    private(set) var fusedInto: [Int?]
    private(set) var memoryByLayer: [Int: MemoryFigures] = [:]
    private(set) var weightsBytes = 0
    private(set) var peakMemoryBytes = 0
    /// Per step: its source, its destination unless in place, and its scratchpad.
    private(set) var liveBytesPerStep: [Int] = []
    private var scratchpadArena: DNNLMemory?

    /// Builds the program. `parameters` gives each layer's weights by spec index; missing layers get
    /// deterministic pseudo-random weights scaled by fan-in, so activations stay in a normal float range.
    init(specs: [HostLayerSpec], inputDims: [Int], mode: Mode, context: DNNLContext,
         parameters: [Int: LayerParameters] = [:], seed: UInt64 = 0x5eed, memoryLimitBytes: Int? = nil) throws {
        self.specs = specs
        self.mode = mode
        self.context = context
        self.batch = inputDims[0]
        userInputDesc = try DNNLMemoryDesc(dims: inputDims, layout: inputDims.count == 4 ? .nhwc : .nc)
        userOutputDesc = userInputDesc
        let (postOps, fused, softmaxAfter) = HostProgram.planFusion(specs)
        fusedInto = fused

        var rng = SplitMix64(seed: seed)
        var pendingWeights: [PendingWeights] = []
        var current: Int? = nil
        var computeSeen = false

        func newTensor(_ desc: DNNLMemoryDesc, after src: Int?) -> Int {
            let slot: Slot
            switch src.map({ tensorSlots[$0] }) {
            case .arena(let k)?: slot = .arena(1 - k)
            default: slot = .arena(0)
            }
            tensorDescs.append(desc)
            tensorSlots.append(slot)
            return tensorDescs.count - 1
        }
        func addInput(_ desc: DNNLMemoryDesc, slot: Slot) -> Int {
            tensorDescs.append(desc)
            tensorSlots.append(slot)
            return tensorDescs.count - 1
        }
        func reorderRole(_ pos: Int) -> Role { mode == .network && !computeSeen ? .entry : .layer(pos) }
        /// Makes `current` have layout `desc`, adding a reorder when it differs.
        func ensure(_ desc: DNNLMemoryDesc, role: Role, what: String) throws -> Int {
            if let c = current {
                if tensorDescs[c] == desc { return c }
                let r = try DNNLPrimitive.reorder(from: tensorDescs[c], to: desc, context: context, what: "reorder before \(what)")
                let t = newTensor(desc, after: c)
                steps.append(Step(primitive: r, role: role, src: c, dst: t, isMain: false))
                return t
            }
            let t = addInput(desc, slot: .userInput)
            inputTensor = t
            return t
        }
        /// Queues a weight tensor: the caller's values if given, else He-uniform values for `fanIn`
        /// (bias: small uniform), generated only once the memory limit has been checked.
        func stage(_ user: DNNLMemoryDesc, given: [Float]?, fanIn: Int?, into chosen: DNNLMemoryDesc, what: String) throws -> Int {
            let values: WeightValues
            if let given {
                guard given.count * 4 == user.byteSize else {
                    throw MeasurementError.workloadFailed("\(what): expected \(user.byteSize / 4) values, got \(given.count)")
                }
                values = .given(given)
            } else {
                let a = fanIn.map { Float((6.0 / Double(max($0, 1))).squareRoot()) } ?? 0.1
                values = .random(seed: rng.next(), scale: a)
            }
            pendingWeights.append(PendingWeights(user: user, values: values, chosen: chosen))
            return pendingWeights.count - 1
        }

        if mode == .network {
            current = addInput(userInputDesc, slot: .userInput)
            inputTensor = current!
        }

        for (pos, spec) in specs.enumerated() {
            let what = mode == .layer ? spec.name : "layer \(spec.index) '\(spec.name)' (\(spec.type))"
            do {
                switch spec.op {
                case .conv(let w):
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
                    let given = parameters[spec.index]
                    let wm = try stage(DNNLMemoryDesc(dims: userW, layout: g > 1 ? .goihw : .oihw), given: given?.weights,
                                       fanIn: (w.inC / g) * w.kernelH * w.kernelW, into: prim.weightsDesc!, what: "\(what) weights")
                    let bm = try prim.biasDesc.map { d in
                        try stage(DNNLMemoryDesc(dims: [w.outC], layout: .x), given: given.map { $0.bias ?? [Float](repeating: 0, count: w.outC) },
                                  fanIn: nil, into: d, what: "\(what) bias")
                    }
                    let dst = newTensor(prim.dstDesc!, after: src)
                    steps.append(Step(primitive: prim, role: .layer(pos), src: src, dst: dst, weights: wm, bias: bm, isMain: true))
                    current = dst
                    computeSeen = true
                case .pool(let w):
                    let srcDesc: DNNLMemoryDesc
                    if let c = current {
                        srcDesc = tensorDescs[c]
                    } else {
                        srcDesc = try HostProgram.producerLayout(batch: w.batch, channels: w.inC, h: w.inH, w: w.inW, context: context)
                    }
                    let prim = try DNNLPrimitive.pooling(
                        w.kind == .maxPool2d ? .max : .averageExcludingPadding,
                        src: srcDesc, dst: DNNLMemoryDesc(dims: [w.batch, w.outC, w.outH, w.outW], layout: .any),
                        strides: [w.strideH, w.strideW], kernel: [w.kernelH, w.kernelW],
                        paddingLeft: [w.padTop, w.padLeft], paddingRight: [w.padBottom, w.padRight],
                        context: context, what: what)
                    let src = try ensure(srcDesc, role: reorderRole(pos), what: what)
                    let dst = newTensor(prim.dstDesc!, after: src)
                    steps.append(Step(primitive: prim, role: .layer(pos), src: src, dst: dst, isMain: true))
                    current = dst
                    computeSeen = true
                case .dense(let w):
                    let n = w.batch
                    let units = w.outC
                    let userW: [Int]
                    let userLayout: DNNLLayout
                    let srcDims: [Int]
                    if let c = current, tensorDescs[c].dims.count == 4 {
                        let d = tensorDescs[c].dims
                        guard d[1] * d[2] * d[3] == w.inC else {
                            throw MeasurementError.workloadFailed("\(what): input has \(d[1] * d[2] * d[3]) features, dense expects \(w.inC)")
                        }
                        srcDims = d
                        userW = [units, d[1], d[2], d[3]]
                        userLayout = .ohwi
                    } else {
                        srcDims = [n, w.inC]
                        userW = [units, w.inC]
                        userLayout = .oi
                    }
                    let wAny = try DNNLMemoryDesc(dims: userW, layout: .any)
                    let biasDesc = w.bias ? try DNNLMemoryDesc(dims: [units], layout: .x) : nil
                    let dstAny = try DNNLMemoryDesc(dims: [n, units], layout: .any)
                    var prim: DNNLPrimitive
                    if let c = current {
                        do {
                            prim = try DNNLPrimitive.innerProduct(src: tensorDescs[c], weights: wAny, bias: biasDesc, dst: dstAny,
                                                                  postOps: postOps[pos], context: context, what: what)
                        } catch let e as DNNLError where e.isUnimplemented {
                            prim = try DNNLPrimitive.innerProduct(src: DNNLMemoryDesc(dims: srcDims, layout: .any), weights: wAny,
                                                                  bias: biasDesc, dst: dstAny, postOps: postOps[pos],
                                                                  context: context, what: what)
                        }
                    } else {
                        prim = try DNNLPrimitive.innerProduct(src: DNNLMemoryDesc(dims: srcDims, layout: .any), weights: wAny,
                                                              bias: biasDesc, dst: dstAny, postOps: postOps[pos],
                                                              context: context, what: what)
                    }
                    let src = try ensure(prim.srcDesc!, role: reorderRole(pos), what: what)
                    let given = parameters[spec.index]
                    let wm = try stage(DNNLMemoryDesc(dims: userW, layout: userLayout), given: given?.weights, fanIn: w.inC,
                                       into: prim.weightsDesc!, what: "\(what) weights")
                    let bm = try prim.biasDesc.map { d in
                        try stage(DNNLMemoryDesc(dims: [units], layout: .x), given: given.map { $0.bias ?? [Float](repeating: 0, count: units) },
                                  fanIn: nil, into: d, what: "\(what) bias")
                    }
                    let dst = newTensor(prim.dstDesc!, after: src)
                    steps.append(Step(primitive: prim, role: .layer(pos), src: src, dst: dst, weights: wm, bias: bm, isMain: true))
                    current = dst
                    computeSeen = true
                case .activation(let f):
                    guard fused[pos] == nil else { break }
                    guard let c = current else {
                        throw MeasurementError.workloadFailed("\(what): an activation needs an input")
                    }
                    try addElementwise(f, on: c, pos: pos, what: what, current: &current, newTensor: newTensor)
                case .flatten:
                    guard let c = current else { throw MeasurementError.workloadFailed("\(what): flatten needs an input") }
                    let d = tensorDescs[c].dims
                    if d.count == 4 && !HostProgram.denseConsumesSpatial(specs, after: pos, fused: fused) {
                        let plain = try DNNLMemoryDesc(dims: d, layout: .nhwc)
                        let t = try ensure(plain, role: .layer(pos), what: what)
                        // NHWC bytes read as N×(H·W·C): the Keras flatten order.
                        let flat = try DNNLMemoryDesc(dims: [d[0], d[1] * d[2] * d[3]], layout: .nc)
                        tensorDescs.append(flat)
                        tensorSlots.append(tensorSlots[t])
                        current = tensorDescs.count - 1
                    }
                }
                if softmaxAfter[pos], let c = current {
                    try addElementwise(.softmax, on: c, pos: pos, what: what, current: &current, newTensor: newTensor)
                }
            } catch let e as DNNLError {
                throw MeasurementError.workloadFailed(e.description)
            }
        }

        guard let last = current else { throw MeasurementError.workloadFailed("the program has no layers") }
        let lastDims = tensorDescs[last].dims
        userOutputDesc = try DNNLMemoryDesc(dims: lastDims, layout: lastDims.count == 4 ? .nhwc : .nc)
        outputTensor = last
        if mode == .network, tensorDescs[last] != userOutputDesc || tensorSlots[last] == .userInput {
            let r = try DNNLPrimitive.reorder(from: tensorDescs[last], to: userOutputDesc, context: context, what: "reorder at network exit")
            tensorDescs.append(userOutputDesc)
            tensorSlots.append(.userOutput)
            outputTensor = tensorDescs.count - 1
            steps.append(Step(primitive: r, role: .exit, src: last, dst: outputTensor, isMain: false))
        }

        // Memory figures come from descriptors alone, so the limit can be checked before allocating.
        var arenaBytes: [Slot: Int] = [:]
        for (i, d) in tensorDescs.enumerated() { arenaBytes[tensorSlots[i], default: 0] = max(arenaBytes[tensorSlots[i], default: 0], d.byteSize) }
        let scratchMax = steps.map(\.primitive.scratchpadBytes).max() ?? 0
        weightsBytes = pendingWeights.reduce(0) { $0 + $1.chosen.byteSize }
        let userStaging = pendingWeights.map(\.user.byteSize).max() ?? 0
        let planned = weightsBytes + arenaBytes.values.reduce(0, +) + scratchMax + userStaging
        if let limit = memoryLimitBytes, planned > limit {
            throw MeasurementError.workloadFailed(String(format: "needs %.1f MiB of memory, more than the limit of %.1f MiB",
                                                         Double(planned) / 1048576, Double(limit) / 1048576))
        }

        var arenas: [Slot: DNNLMemory] = [:]
        for (slot, bytes) in arenaBytes.sorted(by: { "\($0.key)" < "\($1.key)" }) {
            arenas[slot] = try DNNLMemory(DNNLMemoryDesc(dims: [max((bytes + 3) / 4, 1)], layout: .x), context: context)
        }
        tensorMemory = try tensorDescs.enumerated().map { i, d in
            try DNNLMemory(viewing: arenas[tensorSlots[i]]!, as: d, context: context)
        }
        if scratchMax > 0 {
            scratchpadArena = try DNNLMemory(DNNLMemoryDesc(dims: [(scratchMax + 3) / 4], layout: .x), context: context)
        }
        for p in pendingWeights {
            let staging = try DNNLMemory(p.user, context: context)
            switch p.values {
            case .given(let v):
                v.withUnsafeBufferPointer { _ = staging.floats.initialize(from: $0) }
            case .random(let seed, let scale):
                var g = SplitMix64(seed: seed)
                let f = staging.floats
                for i in f.indices { f[i] = g.uniform(-scale, scale) }
            }
            let target = try DNNLMemory(p.chosen, context: context)
            let r = try DNNLPrimitive.reorder(from: p.user, to: p.chosen, context: context, what: "weights reorder")
            try r.executeReorder(from: staging, to: target, scratchpad: try scratchpadView(for: r), context: context)
            weightMemory.append(target)
        }
        pendingWeights = []
        try context.wait()

        for i in steps.indices {
            var args: [(DNNLArgument, DNNLMemory)] = [(.src, tensorMemory[steps[i].src]), (.dst, tensorMemory[steps[i].dst])]
            if let w = steps[i].weights { args.append((.weights, weightMemory[w])) }
            if let b = steps[i].bias { args.append((.bias, weightMemory[b])) }
            if let s = try scratchpadView(for: steps[i].primitive) { args.append((.scratchpad, s)) }
            steps[i].args = args
            let inPlace = steps[i].src == steps[i].dst
            let live = tensorDescs[steps[i].src].byteSize + (inPlace ? 0 : tensorDescs[steps[i].dst].byteSize)
                + steps[i].primitive.scratchpadBytes
            liveBytesPerStep.append(live)
            if case .layer(let pos) = steps[i].role {
                var m = memoryByLayer[pos] ?? MemoryFigures(inputBytes: 0, outputBytes: 0, weightsBytes: 0, scratchpadBytes: 0)
                if steps[i].isMain || m.inputBytes == 0 {
                    m.inputBytes = tensorDescs[steps[i].src].byteSize
                }
                m.outputBytes = tensorDescs[steps[i].dst].byteSize
                m.weightsBytes += (steps[i].weights.map { weightMemory[$0].byteSize } ?? 0)
                    + (steps[i].bias.map { weightMemory[$0].byteSize } ?? 0)
                m.scratchpadBytes = max(m.scratchpadBytes, steps[i].primitive.scratchpadBytes)
                memoryByLayer[pos] = m
            }
        }
        peakMemoryBytes = weightsBytes + (liveBytesPerStep.max() ?? 0)
    }

    private func addElementwise(_ f: ActivationFunction, on c: Int, pos: Int, what: String, current: inout Int?,
                                newTensor: (DNNLMemoryDesc, Int?) -> Int) throws {
        let desc = tensorDescs[c]
        let prim: DNNLPrimitive
        if let e = DNNLEltwise(f) {
            prim = try DNNLPrimitive.eltwise(e, data: desc, context: context, what: "\(what) \(f.rawValue)")
        } else {
            prim = try DNNLPrimitive.softmax(data: desc, context: context, what: "\(what) softmax")
        }
        // In place, except over the caller's input, which every run must find unchanged.
        let dst = tensorSlots[c] == .userInput ? newTensor(desc, c) : c
        steps.append(Step(primitive: prim, role: .layer(pos), src: c, dst: dst, isMain: false))
        current = dst
    }

    private func scratchpadView(for p: DNNLPrimitive) throws -> DNNLMemory? {
        guard let d = p.scratchpadDesc, d.byteSize > 0, let arena = scratchpadArena else { return nil }
        return try DNNLMemory(viewing: arena, as: d, context: context)
    }

    /// Which activations fold into the conv/dense before them as post-ops, and where a softmax must run
    /// as its own primitive. A chain of non-softmax activations (flatten may sit between) is fused; a
    /// softmax ends the chain.
    static func planFusion(_ specs: [HostLayerSpec]) -> (postOps: [[DNNLEltwise]], fusedInto: [Int?], softmaxAfter: [Bool]) {
        var postOps = [[DNNLEltwise]](repeating: [], count: specs.count)
        var fused = [Int?](repeating: nil, count: specs.count)
        var softmax = [Bool](repeating: false, count: specs.count)
        var owner: Int? = nil
        for (pos, spec) in specs.enumerated() {
            switch spec.op {
            case .conv(let w), .dense(let w):
                owner = pos
                if let a = w.activation {
                    if let e = DNNLEltwise(a) { postOps[pos].append(e) } else { softmax[pos] = true; owner = nil }
                }
            case .activation(let f):
                if let o = owner, let e = DNNLEltwise(f) {
                    postOps[o].append(e)
                    fused[pos] = o
                } else {
                    owner = nil
                }
            case .flatten:
                break
            case .pool:
                owner = nil
            }
        }
        return (postOps, fused, softmax)
    }

    /// True when the next compute layer after `pos` is a dense layer reached only through fused activations,
    /// so the inner product can read the 4-D tensor with NHWC-ordered weights and no flatten copy.
    static func denseConsumesSpatial(_ specs: [HostLayerSpec], after pos: Int, fused: [Int?]) -> Bool {
        var i = pos + 1
        while i < specs.count {
            switch specs[i].op {
            case .dense: return true
            case .activation: if fused[i] == nil { return false }
            case .flatten: break
            default: return false
            }
            i += 1
        }
        return false
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

    // MARK: Running

    /// Writes user-layout input (NHWC, or N×features) into the program's input tensor.
    func load(input: [Float]) throws {
        guard input.count * 4 == userInputDesc.byteSize else {
            throw MeasurementError.workloadFailed("input has \(input.count) values, the program expects \(userInputDesc.byteSize / 4)")
        }
        let staging = try DNNLMemory(userInputDesc, context: context)
        input.withUnsafeBufferPointer { _ = staging.floats.initialize(from: $0) }
        let r = try DNNLPrimitive.reorder(from: userInputDesc, to: tensorDescs[inputTensor], context: context, what: "input load")
        try r.executeReorder(from: staging, to: tensorMemory[inputTensor], scratchpad: nil, context: context)
        try context.wait()
    }

    /// Fills the input with deterministic values in [-1, 1].
    func loadRandomInput(seed: UInt64 = 0x1234) throws {
        var rng = SplitMix64(seed: seed)
        try load(input: (0..<(userInputDesc.byteSize / 4)).map { _ in rng.uniform(-1, 1) })
    }

    /// The output in user layout.
    func readOutput() throws -> [Float] {
        let staging = try DNNLMemory(userOutputDesc, context: context)
        let r = try DNNLPrimitive.reorder(from: tensorDescs[outputTensor], to: userOutputDesc, context: context, what: "output read")
        try r.executeReorder(from: tensorMemory[outputTensor], to: staging, scratchpad: nil, context: context)
        try context.wait()
        return Array(staging.floats)
    }

    /// Runs every step once; when `times` is given, stores each step's nanoseconds in it.
    func run(times: UnsafeMutablePointer<UInt64>? = nil) throws {
        var t = monotonicNanoseconds()
        for i in steps.indices {
            try steps[i].primitive.execute(steps[i].args, context: context)
            try context.wait()
            if let times {
                let now = monotonicNanoseconds()
                times[i] = now - t
                t = now
            }
        }
    }

    /// The kernels of a role's steps, in order.
    func implementations(_ matches: (Role) -> Bool) -> [String] {
        steps.filter { matches($0.role) }.map(\.primitive.implementation)
    }
}
