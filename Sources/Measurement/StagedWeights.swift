import NASSupport

/// A weight or bias tensor a program needs, described but not yet allocated.
///
/// Random values are kept as a seed rather than generated, so a program refused for its memory limit never
/// spends time (or memory) producing weights it will not use.
struct StagedWeights {
    enum Values {
        case given([Float])
        case random(seed: UInt64, scale: Float)
    }
    /// The layout the caller's values are written in (see `LayerParameters`).
    var user: DNNLMemoryDesc
    var values: Values
    /// The layout the primitive chose, which the values are reordered into.
    var chosen: DNNLMemoryDesc

    /// The caller's values if given, else He-uniform values for `fanIn` (bias, with no fan-in: small uniform),
    /// whose seed is drawn from `rng` so each tensor of a program gets its own stream.
    init(user: DNNLMemoryDesc, given: [Float]?, fanIn: Int?, chosen: DNNLMemoryDesc, rng: inout SplitMix64,
         what: String) throws {
        if let given {
            guard given.count * 4 == user.byteSize else {
                throw MeasurementError.workloadFailed("\(what): expected \(user.byteSize / 4) values, got \(given.count)")
            }
            values = .given(given)
        } else {
            let a = fanIn.map { Float((6.0 / Double(max($0, 1))).squareRoot()) } ?? 0.1
            values = .random(seed: rng.next(), scale: a)
        }
        self.user = user
        self.chosen = chosen
    }

    /// Writes the values in user layout into a staging buffer and reorders them into a new buffer in the
    /// primitive's layout, which it returns.
    func materialise(context: DNNLContext, scratchpad: (DNNLPrimitive) throws -> DNNLMemory?) throws -> DNNLMemory {
        let staging = try DNNLMemory(user, context: context)
        switch values {
        case .given(let v):
            v.withUnsafeBufferPointer { _ = staging.floats.initialize(from: $0) }
        case .random(let seed, let scale):
            var g = SplitMix64(seed: seed)
            let f = staging.floats
            for i in f.indices { f[i] = g.uniform(-scale, scale) }
        }
        let target = try DNNLMemory(chosen, context: context)
        let r = try DNNLPrimitive.reorder(from: user, to: chosen, context: context, what: "weights reorder")
        try r.executeReorder(from: staging, to: target, scratchpad: try scratchpad(r), context: context)
        return target
    }
}
