/// Figures that follow from a layer's shapes alone, with no device in sight.
public struct LayerFigures: Hashable, Sendable {
    public var macs: Int
    public var flops: Int
    /// Trainable parameters (weights, biases, folded BatchNorm scale and shift).
    public var params: Int
    /// Non-trainable parameters (folded BatchNorm running mean and variance).
    public var nonTrainableParams: Int
    public var inputElements: Int
    public var weightElements: Int
    public var outputElements: Int

    public var inputBytes: Int { 4 * inputElements }
    public var weightBytes: Int { 4 * weightElements }
    public var outputBytes: Int { 4 * outputElements }
    /// Input + weights + output in f32: what the layer touches while it runs.
    public var footprintBytes: Int { inputBytes + weightBytes + outputBytes }
    /// FLOPs per byte of footprint.
    public var arithmeticIntensity: Double { footprintBytes > 0 ? Double(flops) / Double(footprintBytes) : 0 }
}

/// A network's totals and its memory estimates.
public struct NetworkFigures: Hashable, Sendable {
    public var layers: [LayerFigures]
    public var macs: Int { layers.reduce(0) { $0 + $1.macs } }
    public var flops: Int { layers.reduce(0) { $0 + $1.flops } }
    public var params: Int { layers.reduce(0) { $0 + $1.params } }
    public var nonTrainableParams: Int { layers.reduce(0) { $0 + $1.nonTrainableParams } }
    public var weightBytes: Int { layers.reduce(0) { $0 + $1.weightBytes } }

    /// Peak memory of execution in layer order from tensor liveness: every weight stays resident, and while a
    /// layer runs its output and every tensor a layer at or after it still reads are alive (in a chain: its
    /// input and output; in a graph, also the skip tensors held until their last reader). Layers that run in
    /// place (flatten, identity, standalone activations) need no second buffer when their input dies with them.
    public let peakMemoryBytes: Int
    /// Index of the layer at which the peak occurs.
    public let peakLayerIndex: Int?
    /// Sponner et al. 2022, pessimistic: the two largest layer footprints added.
    public var twoLargestFootprintsBytes: Int {
        let sorted = layers.map(\.footprintBytes).sorted(by: >)
        return sorted.prefix(2).reduce(0, +)
    }
    /// Sponner et al. 2022, optimistic: twice the mean layer footprint.
    public var twiceMeanFootprintBytes: Double {
        layers.isEmpty ? 0 : 2 * Double(layers.reduce(0) { $0 + $1.footprintBytes }) / Double(layers.count)
    }
}

extension ResolvedLayer {
    /// Analytic figures of this layer at `batch`.
    public func figures(batch: Int) -> LayerFigures {
        let inElems = batch * input.elements
        let outElems = batch * output.elements
        switch operation {
        case .conv2d(let c):
            let cin = input.elements / max(spatialArea(input), 1)
            let perFilter = (cin / groups) * c.kernelH * c.kernelW
            let macs = batch * output.elements * perFilter
            let weights = filters * perFilter
            let bias = c.useBias ? filters : 0
            let bn = c.batchNorm ? 2 * filters : 0
            return LayerFigures(macs: macs, flops: 2 * macs, params: weights + bias + bn,
                                nonTrainableParams: c.batchNorm ? 2 * filters : 0,
                                inputElements: inElems, weightElements: weights + bias + (c.batchNorm && !c.useBias ? filters : 0),
                                outputElements: outElems)
        case .dense(let d):
            let weights = input.elements * d.units
            let bias = d.useBias ? d.units : 0
            let macs = batch * weights
            return LayerFigures(macs: macs, flops: 2 * macs, params: weights + bias, nonTrainableParams: 0,
                                inputElements: inElems, weightElements: weights + bias, outputElements: outElems)
        case .maxPool2d(let p), .avgPool2d(let p):
            return LayerFigures(macs: 0, flops: outElems * p.poolH * p.poolW, params: 0, nonTrainableParams: 0,
                                inputElements: inElems, weightElements: 0, outputElements: outElems)
        case .globalAvgPool2d:
            return LayerFigures(macs: 0, flops: inElems, params: 0, nonTrainableParams: 0,
                                inputElements: inElems, weightElements: 0, outputElements: outElems)
        case .activation(let f):
            let perElement = f == .softmax ? 3 : 1
            return LayerFigures(macs: 0, flops: perElement * outElems, params: 0, nonTrainableParams: 0,
                                inputElements: inElems, weightElements: 0, outputElements: outElems)
        case .flatten, .identity, .concat:
            return LayerFigures(macs: 0, flops: 0, params: 0, nonTrainableParams: 0,
                                inputElements: inElems, weightElements: 0, outputElements: outElems)
        case .add:
            return LayerFigures(macs: 0, flops: (arity - 1) * outElems, params: 0, nonTrainableParams: 0,
                                inputElements: arity * inElems, weightElements: 0, outputElements: outElems)
        }
    }

    private func spatialArea(_ s: TensorShape) -> Int {
        if case .spatial(let h, let w, _) = s { return h * w }
        return 1
    }

    /// True when the layer can overwrite its input (no second activation buffer).
    var runsInPlace: Bool { isFusedAway }
}

extension ResolvedNetwork {
    /// True when some layer names its inputs (a residual or concatenating network), not a plain chain.
    public var isGraph: Bool { layers.contains { !$0.sources.isEmpty } }

    /// The layers layer `i` reads (`-1`: the network input).
    public func sources(of i: Int) -> [Int] {
        layers[i].sources.isEmpty ? [i - 1] : layers[i].sources
    }

    /// Per-layer and total analytic figures at the network's batch size (or `batch` if given).
    public func figures(batch: Int? = nil) -> NetworkFigures {
        let n = batch ?? self.batch
        let per = layers.map { $0.figures(batch: n) }
        let weights = per.reduce(0) { $0 + $1.weightBytes }
        let inputBytes = 4 * n * architecture.inputShape.elements
        var peak = weights + inputBytes
        var peakIndex: Int? = nil
        guard isGraph else {
            for (layer, f) in zip(layers, per) {
                let live = weights + (layer.runsInPlace ? f.inputBytes : f.inputBytes + f.outputBytes)
                if live > peak || (peakIndex == nil && live == peak) { peak = live; peakIndex = layer.index }
            }
            return NetworkFigures(layers: per, peakMemoryBytes: peak, peakLayerIndex: peakIndex)
        }
        // lastReader[t + 1]: the last layer reading tensor t (t = -1 is the input); the last layer's output is read at its end.
        var lastReader = [Int](repeating: -1, count: layers.count + 1)
        for i in layers.indices { for s in sources(of: i) { lastReader[s + 1] = Swift.max(lastReader[s + 1], i) } }
        lastReader[layers.count] = layers.count - 1
        var alive = inputBytes // tensors produced before the running layer and read by it or later
        for i in layers.indices {
            let inputs = sources(of: i)
            let reusesInput = layers[i].runsInPlace && inputs.count == 1 && lastReader[inputs[0] + 1] == i
            let live = weights + alive + (reusesInput ? 0 : per[i].outputBytes)
            if live > peak || (peakIndex == nil && live == peak) { peak = live; peakIndex = i }
            alive += per[i].outputBytes
            for s in Set(inputs) where lastReader[s + 1] == i {
                alive -= s < 0 ? inputBytes : per[s].outputBytes
            }
        }
        return NetworkFigures(layers: per, peakMemoryBytes: peak, peakLayerIndex: peakIndex)
    }
}
