import Foundation
import NASArchitecture
import NASSupport

/// Synaptic flow (Tanaka et al. 2020), the data-free zero-cost proxy, in float64.
///
/// Weights are seeded like PyTorch's default initialisation, U(−1/√fan_in, 1/√fan_in), then replaced by
/// their absolute values; the input is all ones; R is the sum of the network's outputs. The score is
/// Σ over conv and dense weights of |θ ⊙ ∂R/∂θ|, returned as its natural logarithm.
///
/// As in the reference implementation (zero-cost-nas, `synflow` with bn=False), BatchNorm is left out,
/// and only weights (not biases) are scored. With positive weights and inputs every ReLU passes its input
/// unchanged, so activations, softmax included, are treated as identity (R sums the logits).
///
/// Two exact shortcuts keep it cheap: a layer is linear in its weights, so Σ θ·∂R/∂θ = ⟨Wᵀg, x⟩ comes
/// from the backward pass without weight gradients; and activations and gradients are stored normalised
/// with a separate log scale, so deep networks cannot overflow.
public struct Synflow: Sendable {
    public var seed: UInt64
    /// Every weight and bias set to this value instead of seeded ones (for hand-checkable tests).
    var constantWeights: Double?

    public init(seed: UInt64) { self.seed = seed }

    /// ln(score); −∞ for a network without conv or dense weights.
    public func logScore(_ network: ResolvedNetwork) -> Double {
        if network.isGraph { return graphLogScore(network) }
        var weights: [LayerParameters?] = []
        var inputs: [Tensor] = []
        var x = Tensor(shape: network.architecture.inputShape, fill: 1)
        for layer in network.layers {
            let p = parameters(layer)
            weights.append(p)
            inputs.append(x)
            x = forward(layer, p, x)
            x.normalise()
        }
        var g = Tensor(shape: x.shape, fill: 1)
        var logTerms: [Double] = []
        for (i, layer) in network.layers.enumerated().reversed() {
            g = backwardStep(layer, weights[i], input: inputs[i], gradOut: g, logTerms: &logTerms)
        }
        guard let top = logTerms.max() else { return -.infinity }
        return top + log(logTerms.reduce(0) { $0 + exp($1 - top) })
    }

    /// One layer of the backward pass: the input gradient (normalised, in the output gradient's scale), and the
    /// layer's ln Σ θ·∂R/∂θ = ln ⟨Wᵀg, x⟩ appended to `logTerms` when it has weights.
    func backwardStep(_ layer: ResolvedLayer, _ p: LayerParameters?, input x: Tensor, gradOut g: Tensor,
                      logTerms: inout [Double]) -> Tensor {
        var gIn = backward(layer, p, input: x, gradOut: g)
        if p != nil {
            let dot = gIn.dot(x)
            if dot > 0 { logTerms.append(log(dot) + x.logScale + g.logScale) }
        }
        gIn.logScale = g.logScale
        gIn.normalise()
        return gIn
    }

    // MARK: Parameters

    struct LayerParameters {
        /// Conv: [kh][kw][input channel][output channel within the group]; dense: [input][unit].
        var weights: [Double]
        var bias: [Double]?
    }

    func parameters(_ layer: ResolvedLayer) -> LayerParameters? {
        let count: Int, fanIn: Int, outputs: Int, hasBias: Bool
        switch layer.operation {
        case .conv2d(let c):
            let ci = layer.input.dimensions.last ?? 1
            fanIn = (ci / layer.groups) * c.kernelH * c.kernelW
            count = fanIn * layer.filters
            outputs = layer.filters
            hasBias = c.useBias
        case .dense(let d):
            fanIn = layer.input.elements
            count = fanIn * d.units
            outputs = d.units
            hasBias = d.useBias
        default:
            return nil
        }
        if let v = constantWeights {
            return LayerParameters(weights: Array(repeating: v, count: count), bias: hasBias ? Array(repeating: v, count: outputs) : nil)
        }
        var rng = SeededRandom(seed: SplitMix64.derive(seed, UInt64(layer.index)))
        let bound = 1 / Double(fanIn).squareRoot()
        let w = (0..<count).map { _ in rng.unit() * bound }
        let b = hasBias ? (0..<outputs).map { _ in rng.unit() * bound } : nil
        return LayerParameters(weights: w, bias: b)
    }

    // MARK: Forward

    func forward(_ layer: ResolvedLayer, _ p: LayerParameters?, _ x: Tensor) -> Tensor {
        var y = Tensor(shape: layer.output, fill: 0)
        y.logScale = x.logScale
        switch layer.operation {
        case .conv2d(let c):
            let geo = ConvGeometry(layer, c)
            p!.weights.withUnsafeBufferPointer { wb in
                x.data.withUnsafeBufferPointer { xb in
                    y.data.withUnsafeMutableBufferPointer { ob in
                        let (w, xin, out) = (wb.baseAddress!, xb.baseAddress!, ob.baseAddress!)
                        geo.forEachTap { outBase, inBase, wBase in
                            if geo.depthwise {
                                Kernels.multiplyAdd(geo.ci, xin + inBase, w + wBase, out + outBase)
                            } else {
                                for ch in 0..<geo.ci {
                                    Kernels.axpy(geo.coutG, xin[inBase &+ ch], w + (wBase &+ ch &* geo.coutG),
                                                 out + (outBase &+ (ch / geo.cinG) &* geo.coutG))
                                }
                            }
                        }
                    }
                }
            }
            if let b = p!.bias { y.addBias(b, scale: exp(-x.logScale)) }
        case .dense(let d):
            p!.weights.withUnsafeBufferPointer { wb in
                x.data.withUnsafeBufferPointer { xb in
                    y.data.withUnsafeMutableBufferPointer { ob in
                        for i in 0..<xb.count { Kernels.axpy(d.units, xb[i], wb.baseAddress! + i &* d.units, ob.baseAddress!) }
                    }
                }
            }
            if let b = p!.bias { y.addBias(b, scale: exp(-x.logScale)) }
        case .maxPool2d(let pool), .avgPool2d(let pool):
            let isMax: Bool
            if case .maxPool2d = layer.operation { isMax = true } else { isMax = false }
            let geo = PoolGeometry(layer, pool)
            geo.forEachWindow { outBase, taps in
                for ch in 0..<geo.c {
                    if isMax {
                        var m = -Double.infinity
                        for t in taps { m = max(m, x.data[t + ch]) }
                        y.data[outBase + ch] = m
                    } else {
                        var s = 0.0
                        for t in taps { s += x.data[t + ch] }
                        y.data[outBase + ch] = s / Double(taps.count)
                    }
                }
            }
        case .globalAvgPool2d:
            let c = y.data.count
            let area = x.data.count / c
            for p in 0..<area { for ch in 0..<c { y.data[ch] += x.data[p * c + ch] } }
            for ch in 0..<c { y.data[ch] /= Double(area) }
        case .flatten, .activation, .identity, .add, .concat: // joins are computed by `graphLogScore`
            y.data = x.data
        }
        return y
    }

    // MARK: Backward

    /// ∂R/∂input from ∂R/∂output, in the output gradient's scale.
    func backward(_ layer: ResolvedLayer, _ p: LayerParameters?, input x: Tensor, gradOut g: Tensor) -> Tensor {
        var gi = Tensor(shape: layer.input, fill: 0)
        switch layer.operation {
        case .conv2d(let c):
            let geo = ConvGeometry(layer, c)
            p!.weights.withUnsafeBufferPointer { wb in
                g.data.withUnsafeBufferPointer { gb in
                    gi.data.withUnsafeMutableBufferPointer { ib in
                        let (w, go, gin) = (wb.baseAddress!, gb.baseAddress!, ib.baseAddress!)
                        geo.forEachTap { outBase, inBase, wBase in
                            if geo.depthwise {
                                Kernels.multiplyAdd(geo.ci, go + outBase, w + wBase, gin + inBase)
                            } else {
                                for ch in 0..<geo.ci {
                                    gin[inBase &+ ch] += Kernels.dot(geo.coutG, go + (outBase &+ (ch / geo.cinG) &* geo.coutG),
                                                                     w + (wBase &+ ch &* geo.coutG))
                                }
                            }
                        }
                    }
                }
            }
        case .dense(let d):
            p!.weights.withUnsafeBufferPointer { wb in
                g.data.withUnsafeBufferPointer { gb in
                    gi.data.withUnsafeMutableBufferPointer { ib in
                        for i in 0..<ib.count { ib[i] = Kernels.dot(d.units, gb.baseAddress!, wb.baseAddress! + i &* d.units) }
                    }
                }
            }
        case .maxPool2d(let pool), .avgPool2d(let pool):
            let isMax: Bool
            if case .maxPool2d = layer.operation { isMax = true } else { isMax = false }
            let geo = PoolGeometry(layer, pool)
            geo.forEachWindow { outBase, taps in
                for ch in 0..<geo.c {
                    let grad = g.data[outBase + ch]
                    if isMax {
                        // The gradient goes to the first maximum, as in PyTorch and oneDNN.
                        var best = taps[0]
                        for t in taps where x.data[t + ch] > x.data[best + ch] { best = t }
                        gi.data[best + ch] += grad
                    } else {
                        let share = grad / Double(taps.count)
                        for t in taps { gi.data[t + ch] += share }
                    }
                }
            }
        case .globalAvgPool2d:
            let c = g.data.count
            let area = gi.data.count / c
            for p in 0..<area { for ch in 0..<c { gi.data[p * c + ch] = g.data[ch] / Double(area) } }
        case .flatten, .activation, .identity, .add, .concat:
            gi.data = g.data
        }
        return gi
    }
}

/// An activation or gradient of one sample, H×W×C in that order, stored as `exp(logScale) × data`.
struct Tensor {
    var shape: TensorShape
    var data: [Double]
    var logScale = 0.0

    init(shape: TensorShape, fill: Double) {
        self.shape = shape
        data = Array(repeating: fill, count: shape.elements)
    }

    /// Divides by the largest entry and moves it into the log scale.
    mutating func normalise() {
        let m = data.max() ?? 0
        guard m > 0, m.isFinite else { return }
        let inv = 1 / m
        data.withUnsafeMutableBufferPointer { d in for i in d.indices { d[i] *= inv } }
        logScale += log(m)
    }

    mutating func addBias(_ b: [Double], scale: Double) {
        let c = b.count
        data.withUnsafeMutableBufferPointer { d in
            for p in stride(from: 0, to: d.count, by: c) { for j in 0..<c { d[p + j] += b[j] * scale } }
        }
    }

    func dot(_ other: Tensor) -> Double {
        data.withUnsafeBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in Kernels.dot(a.count, a.baseAddress!, b.baseAddress!) }
        }
    }
}

/// Index arithmetic of a convolution over H×W×C tensors.
struct ConvGeometry {
    let h, w, ci, oh, ow, co, kh, kw, sh, sw, dh, dw, padTop, padLeft, cinG, coutG: Int
    let depthwise: Bool

    init(_ layer: ResolvedLayer, _ c: Conv2D) {
        guard case .spatial(let h, let w, let ci) = layer.input, case .spatial(let oh, let ow, let co) = layer.output else {
            preconditionFailure("conv2d on a flat tensor passed shape inference")
        }
        self.h = h; self.w = w; self.ci = ci; self.oh = oh; self.ow = ow; self.co = co
        kh = c.kernelH; kw = c.kernelW; sh = c.strideH; sw = c.strideW; dh = c.dilationH; dw = c.dilationW
        padTop = layer.padTop; padLeft = layer.padLeft
        cinG = ci / layer.groups; coutG = co / layer.groups
        depthwise = cinG == 1 && coutG == 1
    }

    /// Calls `body(outputOffset, inputOffset, weightOffset)` for every output pixel and kernel tap inside the input.
    @inline(__always)
    func forEachTap(_ body: (Int, Int, Int) -> Void) {
        for oy in 0..<oh {
            for ox in 0..<ow {
                let outBase = (oy * ow + ox) * co
                for ky in 0..<kh {
                    let iy = oy * sh - padTop + ky * dh
                    if iy < 0 || iy >= h { continue }
                    for kx in 0..<kw {
                        let ix = ox * sw - padLeft + kx * dw
                        if ix < 0 || ix >= w { continue }
                        body(outBase, (iy * w + ix) * ci, (ky * kw + kx) * ci * coutG)
                    }
                }
            }
        }
    }
}

/// Index arithmetic of a pooling window; padded positions are left out of both max and average.
struct PoolGeometry {
    let h, w, c, oh, ow, kh, kw, sh, sw, padTop, padLeft: Int

    init(_ layer: ResolvedLayer, _ p: Pool2D) {
        guard case .spatial(let h, let w, let c) = layer.input, case .spatial(let oh, let ow, _) = layer.output else {
            preconditionFailure("pooling on a flat tensor passed shape inference")
        }
        self.h = h; self.w = w; self.c = c; self.oh = oh; self.ow = ow
        kh = p.poolH; kw = p.poolW; sh = p.strideH; sw = p.strideW
        padTop = layer.padTop; padLeft = layer.padLeft
    }

    /// Calls `body(outputOffset, inputOffsets)` for every output pixel with the offsets of its window inside the input.
    func forEachWindow(_ body: (Int, [Int]) -> Void) {
        var taps: [Int] = []
        taps.reserveCapacity(kh * kw)
        for oy in 0..<oh {
            for ox in 0..<ow {
                taps.removeAll(keepingCapacity: true)
                for ky in 0..<kh {
                    let iy = oy * sh - padTop + ky
                    if iy < 0 || iy >= h { continue }
                    for kx in 0..<kw {
                        let ix = ox * sw - padLeft + kx
                        if ix < 0 || ix >= w { continue }
                        taps.append((iy * w + ix) * c)
                    }
                }
                body((oy * ow + ox) * c, taps)
            }
        }
    }
}

/// The inner loops, on raw pointers so that the compiler vectorises them.
enum Kernels {
    /// y += a·x
    @inline(__always)
    static func axpy(_ n: Int, _ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        for j in 0..<n { y[j] += a * x[j] }
    }

    /// y += x ⊙ w
    @inline(__always)
    static func multiplyAdd(_ n: Int, _ x: UnsafePointer<Double>, _ w: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        for j in 0..<n { y[j] += x[j] * w[j] }
    }

    /// Σ x ⊙ y, in four interleaved partial sums (a fixed order, so the result does not depend on threads).
    @inline(__always)
    static func dot(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        var s = SIMD4<Double>()
        var j = 0
        while j &+ 4 <= n {
            s += SIMD4(x[j], x[j &+ 1], x[j &+ 2], x[j &+ 3]) * SIMD4(y[j], y[j &+ 1], y[j &+ 2], y[j &+ 3])
            j &+= 4
        }
        var tail = 0.0
        while j < n { tail += x[j] * y[j]; j &+= 1 }
        return (s[0] + s[1]) + (s[2] + s[3]) + tail
    }
}
