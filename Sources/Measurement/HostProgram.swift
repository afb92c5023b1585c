import Foundation
import NASSupport

/// A compiled sequence of oneDNN primitives over reused buffers, for one network or one layer.
///
/// Network mode takes NHWC input and produces NHWC (or N×features) output, with the reorders at entry and
/// exit timed as part of the run. Layer mode keeps the input in the layout the primitive prefers (for pooling:
/// the layout a convolution producing that tensor would choose) and times the layer alone.
///
/// Building happens in three steps: `HostProgramBuilder` chooses the primitives, `HostMemoryPlan` sizes
/// them against the memory limit, `HostProgramBuffers` allocates and fills; the program binds the result.
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

    let mode: Mode
    let specs: [HostLayerSpec]
    let batch: Int
    let context: DNNLContext
    private(set) var steps: [Step]
    private let tensorDescs: [DNNLMemoryDesc]
    private let buffers: HostProgramBuffers
    private let inputTensor: Int
    private let outputTensor: Int
    /// User-layout descriptions of the input and output (NHWC, or N×C when flat).
    let userInputDesc: DNNLMemoryDesc
    let userOutputDesc: DNNLMemoryDesc
    /// Per spec position: the position of the layer whose primitive computes it, when fused away.
    let fusedInto: [Int?]
    private(set) var memoryByLayer: [Int: MemoryFigures] = [:]
    let weightsBytes: Int
    private(set) var peakMemoryBytes = 0
    /// Per step: its source, its destination unless in place, and its scratchpad.
    private(set) var liveBytesPerStep: [Int] = []

    /// Builds the program. `parameters` gives each layer's weights by spec index; missing layers get
    /// deterministic pseudo-random weights scaled by fan-in, so activations stay in a normal float range.
    init(specs: [HostLayerSpec], inputDims: [Int], mode: Mode, context: DNNLContext,
         parameters: [Int: LayerParameters] = [:], seed: UInt64 = 0x5eed, memoryLimitBytes: Int? = nil) throws {
        var graph = try HostProgramBuilder(specs: specs, inputDims: inputDims, mode: mode, context: context,
                                           parameters: parameters, seed: seed)
        for (pos, spec) in specs.enumerated() {
            try graph.add(spec, at: pos)
        }
        try graph.finish()
        let plan = HostMemoryPlan(graph)
        try plan.check(limit: memoryLimitBytes)
        buffers = try HostProgramBuffers(graph, plan: plan, context: context)

        self.specs = specs
        self.mode = mode
        self.context = context
        batch = inputDims[0]
        steps = graph.steps
        tensorDescs = graph.tensorDescs
        inputTensor = graph.inputTensor
        outputTensor = graph.outputTensor
        userInputDesc = graph.userInputDesc
        userOutputDesc = graph.userOutputDesc
        fusedInto = graph.fusedInto
        weightsBytes = plan.weightsBytes
        try bindArguments()
        peakMemoryBytes = weightsBytes + (liveBytesPerStep.max() ?? 0)
    }

    /// Gives every step its memory arguments, and adds up the memory each step keeps live and each layer uses.
    private func bindArguments() throws {
        for i in steps.indices {
            let step = steps[i]
            var args: [(DNNLArgument, DNNLMemory)] = [(.src, buffers.tensors[step.src]), (.dst, buffers.tensors[step.dst])]
            if let w = step.weights { args.append((.weights, buffers.weights[w])) }
            if let b = step.bias { args.append((.bias, buffers.weights[b])) }
            if let s = try HostProgramBuffers.scratchpadView(buffers.scratchpad, for: step.primitive, context: context) {
                args.append((.scratchpad, s))
            }
            steps[i].args = args
            let inPlace = step.src == step.dst
            let live = tensorDescs[step.src].byteSize + (inPlace ? 0 : tensorDescs[step.dst].byteSize)
                + step.primitive.scratchpadBytes
            liveBytesPerStep.append(live)
            if case .layer(let pos) = step.role {
                memoryByLayer[pos] = figures(adding: step, to: memoryByLayer[pos])
            }
        }
    }

    /// A layer's memory after one more of its steps: input from its main step (or its first), output from its
    /// last, weights summed, scratchpad the largest.
    private func figures(adding step: Step, to figures: MemoryFigures?) -> MemoryFigures {
        var m = figures ?? MemoryFigures(inputBytes: 0, outputBytes: 0, weightsBytes: 0, scratchpadBytes: 0)
        if step.isMain || m.inputBytes == 0 {
            m.inputBytes = tensorDescs[step.src].byteSize
        }
        m.outputBytes = tensorDescs[step.dst].byteSize
        m.weightsBytes += (step.weights.map { buffers.weights[$0].byteSize } ?? 0)
            + (step.bias.map { buffers.weights[$0].byteSize } ?? 0)
        m.scratchpadBytes = max(m.scratchpadBytes, step.primitive.scratchpadBytes)
        return m
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
        try r.executeReorder(from: staging, to: buffers.tensors[inputTensor], scratchpad: nil, context: context)
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
        try r.executeReorder(from: buffers.tensors[outputTensor], to: staging, scratchpad: nil, context: context)
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
