import Foundation
import NASArchitecture

extension Synflow {
    /// `logScore` of a network whose layers name their inputs. Every layer's output is kept for the backward
    /// pass; `add` and `concat` bring their inputs to one log scale first; a tensor read by several layers
    /// receives the sum of their gradients, complete by the time its producer is reached (layers only read
    /// earlier layers, so reverse order is a reverse topological order). On a chain it computes exactly what
    /// the chain pass does (tested).
    func graphLogScore(_ network: ResolvedNetwork) -> Double {
        let input = Tensor(shape: network.architecture.inputShape, fill: 1)
        var weights: [LayerParameters?] = []
        var outputs: [Tensor] = []
        func tensor(_ s: Int) -> Tensor { s < 0 ? input : outputs[s] }
        for (i, layer) in network.layers.enumerated() {
            let p = parameters(layer)
            weights.append(p)
            let sources = network.sources(of: i)
            var y = layer.operation.joinsInputs
                ? Tensor.joined(layer.operation, sources.map(tensor), shape: layer.output)
                : forward(layer, p, tensor(sources[0]))
            y.normalise()
            outputs.append(y)
        }
        var grads = [Tensor?](repeating: nil, count: outputs.count)
        grads[outputs.count - 1] = Tensor(shape: outputs[outputs.count - 1].shape, fill: 1)
        var logTerms: [Double] = []
        for (i, layer) in network.layers.enumerated().reversed() {
            guard let g = grads[i] else { continue } // unreachable: every layer but the last is read
            grads[i] = nil
            let sources = network.sources(of: i)
            var perSource: [Tensor]
            if case .concat = layer.operation {
                perSource = g.channelSlices(sources.map { tensor($0).shape })
            } else if case .add = layer.operation {
                perSource = Array(repeating: g, count: sources.count)
            } else {
                perSource = [backwardStep(layer, weights[i], input: tensor(sources[0]), gradOut: g, logTerms: &logTerms)]
            }
            for (s, gs) in zip(sources, perSource) where s >= 0 {
                grads[s] = grads[s].map { Tensor.sum($0, gs) } ?? gs
            }
        }
        guard let top = logTerms.max() else { return -.infinity }
        return top + log(logTerms.reduce(0) { $0 + exp($1 - top) })
    }
}

extension Tensor {
    /// a + b, in the larger of their two scales.
    static func sum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let scale = Swift.max(a.logScale, b.logScale)
        let (fa, fb) = (exp(a.logScale - scale), exp(b.logScale - scale))
        var out = a
        out.logScale = scale
        for k in out.data.indices { out.data[k] = a.data[k] * fa + b.data[k] * fb }
        return out
    }

    /// The sum (add) or channel concatenation (concat) of `parts`.
    static func joined(_ operation: LayerOperation, _ parts: [Tensor], shape: TensorShape) -> Tensor {
        if case .add = operation { return parts.dropFirst().reduce(parts[0], sum) }
        let scale = parts.map(\.logScale).max() ?? 0
        var out = Tensor(shape: shape, fill: 0)
        out.logScale = scale
        let total = shape.dimensions.last ?? 1
        var offset = 0
        for part in parts {
            let c = part.shape.dimensions.last ?? 1
            let f = exp(part.logScale - scale)
            for p in 0..<(part.data.count / c) {
                for j in 0..<c { out.data[p * total + offset + j] = part.data[p * c + j] * f }
            }
            offset += c
        }
        return out
    }

    /// The gradient of a concat, split back into its inputs' channels (each in this tensor's scale).
    func channelSlices(_ shapes: [TensorShape]) -> [Tensor] {
        let total = shape.dimensions.last ?? 1
        var offset = 0
        return shapes.map { s in
            let c = s.dimensions.last ?? 1
            var part = Tensor(shape: s, fill: 0)
            part.logScale = logScale
            for p in 0..<(part.data.count / c) {
                for j in 0..<c { part.data[p * c + j] = data[p * total + offset + j] }
            }
            offset += c
            return part
        }
    }
}
