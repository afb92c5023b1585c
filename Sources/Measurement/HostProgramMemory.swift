import Foundation

/// The bytes a program will take, from descriptors alone, so a memory limit is checked before anything is
/// allocated: one buffer per slot (as large as its largest tensor), one scratchpad shared by every
/// primitive, the weights in the primitives' layouts, and one user-layout staging buffer at a time.
struct HostMemoryPlan {
    var arenaBytes: [HostProgram.Slot: Int]
    var scratchpadBytes: Int
    var weightsBytes: Int
    var stagingBytes: Int

    var totalBytes: Int { weightsBytes + arenaBytes.values.reduce(0, +) + scratchpadBytes + stagingBytes }

    init(_ graph: HostProgramBuilder) {
        var arenas: [HostProgram.Slot: Int] = [:]
        for (i, d) in graph.tensorDescs.enumerated() {
            arenas[graph.tensorSlots[i], default: 0] = max(arenas[graph.tensorSlots[i], default: 0], d.byteSize)
        }
        arenaBytes = arenas
        scratchpadBytes = graph.steps.map(\.primitive.scratchpadBytes).max() ?? 0
        weightsBytes = graph.weights.reduce(0) { $0 + $1.chosen.byteSize }
        stagingBytes = graph.weights.map(\.user.byteSize).max() ?? 0
    }

    func check(limit: Int?) throws {
        if let limit, totalBytes > limit {
            throw MeasurementError.workloadFailed(String(format: "needs %.1f MiB of memory, more than the limit of %.1f MiB",
                                                         Double(totalBytes) / 1048576, Double(limit) / 1048576))
        }
    }
}

/// The buffers a program runs over: every tensor as a view into its slot's arena, the shared scratchpad,
/// and the weights already reordered into the layouts their primitives chose.
struct HostProgramBuffers {
    var tensors: [DNNLMemory]
    var scratchpad: DNNLMemory?
    var weights: [DNNLMemory]

    init(_ graph: HostProgramBuilder, plan: HostMemoryPlan, context: DNNLContext) throws {
        var arenas: [HostProgram.Slot: DNNLMemory] = [:]
        for (slot, bytes) in plan.arenaBytes.sorted(by: { "\($0.key)" < "\($1.key)" }) {
            arenas[slot] = try DNNLMemory(DNNLMemoryDesc(dims: [max((bytes + 3) / 4, 1)], layout: .x), context: context)
        }
        tensors = try graph.tensorDescs.enumerated().map { i, d in
            try DNNLMemory(viewing: arenas[graph.tensorSlots[i]]!, as: d, context: context)
        }
        let scratchpad = plan.scratchpadBytes > 0
            ? try DNNLMemory(DNNLMemoryDesc(dims: [(plan.scratchpadBytes + 3) / 4], layout: .x), context: context)
            : nil
        self.scratchpad = scratchpad
        weights = try graph.weights.map { w in
            try w.materialise(context: context) { try Self.scratchpadView(scratchpad, for: $0, context: context) }
        }
        try context.wait()
    }

    /// The shared scratchpad as `p` wants it described, or nil when `p` needs none.
    static func scratchpadView(_ arena: DNNLMemory?, for p: DNNLPrimitive, context: DNNLContext) throws -> DNNLMemory? {
        guard let d = p.scratchpadDesc, d.byteSize > 0, let arena else { return nil }
        return try DNNLMemory(viewing: arena, as: d, context: context)
    }
}
