extension HostProgram {
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
            case .flatten, .identity:
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
            case .flatten, .identity: break
            default: return false
            }
            i += 1
        }
        return false
    }
}
