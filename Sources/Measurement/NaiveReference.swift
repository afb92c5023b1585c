import Foundation
import NASArchitecture

/// Straightforward loops over NHWC f32 data, the yardstick the oneDNN backend is checked against.
///
/// Layouts match `LayerParameters`: conv weights `[OC][IC/G][KH][KW]`, dense weights `[units][features]` with
/// features in NHWC flatten order. Average pooling divides by the window elements inside the input (Keras).
public enum NaiveReference {
    public static func conv2d(_ w: LayerWorkload, input x: [Float], parameters p: LayerParameters) -> [Float] {
        let g = w.groups, icg = w.inC / g, ocg = w.outC / g
        var out = [Float](repeating: 0, count: w.batch * w.outH * w.outW * w.outC)
        for n in 0..<w.batch {
            for oh in 0..<w.outH {
                for ow in 0..<w.outW {
                    for oc in 0..<w.outC {
                        let grp = oc / ocg
                        var acc: Double = p.bias.map { Double($0[oc]) } ?? 0
                        for kh in 0..<w.kernelH {
                            let ih = oh * w.strideH - w.padTop + kh * w.dilationH
                            if ih < 0 || ih >= w.inH { continue }
                            for kw in 0..<w.kernelW {
                                let iw = ow * w.strideW - w.padLeft + kw * w.dilationW
                                if iw < 0 || iw >= w.inW { continue }
                                let xBase = ((n * w.inH + ih) * w.inW + iw) * w.inC + grp * icg
                                for ic in 0..<icg {
                                    let wi = ((oc * icg + ic) * w.kernelH + kh) * w.kernelW + kw
                                    acc += Double(x[xBase + ic]) * Double(p.weights[wi])
                                }
                            }
                        }
                        out[((n * w.outH + oh) * w.outW + ow) * w.outC + oc] = Float(acc)
                    }
                }
            }
        }
        if let a = w.activation { apply(a, &out, channels: w.outC) }
        return out
    }

    public static func pool(_ w: LayerWorkload, input x: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: w.batch * w.outH * w.outW * w.outC)
        for n in 0..<w.batch {
            for oh in 0..<w.outH {
                for ow in 0..<w.outW {
                    for c in 0..<w.inC {
                        var best = -Float.infinity
                        var sum: Double = 0
                        var count = 0
                        for kh in 0..<w.kernelH {
                            let ih = oh * w.strideH - w.padTop + kh
                            if ih < 0 || ih >= w.inH { continue }
                            for kw in 0..<w.kernelW {
                                let iw = ow * w.strideW - w.padLeft + kw
                                if iw < 0 || iw >= w.inW { continue }
                                let v = x[((n * w.inH + ih) * w.inW + iw) * w.inC + c]
                                best = max(best, v)
                                sum += Double(v)
                                count += 1
                            }
                        }
                        out[((n * w.outH + oh) * w.outW + ow) * w.outC + c] =
                            w.kind == .maxPool2d ? best : Float(sum / Double(max(count, 1)))
                    }
                }
            }
        }
        return out
    }

    public static func dense(_ w: LayerWorkload, input x: [Float], parameters p: LayerParameters) -> [Float] {
        var out = [Float](repeating: 0, count: w.batch * w.outC)
        for n in 0..<w.batch {
            for o in 0..<w.outC {
                var acc: Double = p.bias.map { Double($0[o]) } ?? 0
                for i in 0..<w.inC { acc += Double(x[n * w.inC + i]) * Double(p.weights[o * w.inC + i]) }
                out[n * w.outC + o] = Float(acc)
            }
        }
        if let a = w.activation { apply(a, &out, channels: w.outC) }
        return out
    }

    /// Applies `f` elementwise; softmax runs over consecutive groups of `channels` (the last axis).
    public static func apply(_ f: ActivationFunction, _ x: inout [Float], channels: Int) {
        switch f {
        case .relu: for i in x.indices { x[i] = max(x[i], 0) }
        case .relu6: for i in x.indices { x[i] = min(max(x[i], 0), 6) }
        case .sigmoid: for i in x.indices { x[i] = Float(1 / (1 + exp(-Double(x[i])))) }
        case .tanh: for i in x.indices { x[i] = Float(Foundation.tanh(Double(x[i]))) }
        case .softmax:
            for start in stride(from: 0, to: x.count, by: channels) {
                let slice = x[start..<(start + channels)]
                let m = Double(slice.max()!)
                let e = slice.map { exp(Double($0) - m) }
                let s = e.reduce(0, +)
                for (k, v) in e.enumerated() { x[start + k] = Float(v / s) }
            }
        }
    }

    /// Runs a network on NHWC input at `batch`; `parameters` is keyed by layer index.
    public static func network(_ net: ResolvedNetwork, batch: Int, input: [Float], parameters: [Int: LayerParameters]) -> [Float] {
        var x = input
        for layer in net.layers {
            switch layer.operation {
            case .conv2d:
                x = conv2d(layer.workload(batch: batch)!, input: x, parameters: parameters[layer.index]!)
            case .maxPool2d, .avgPool2d, .globalAvgPool2d:
                x = pool(layer.workload(batch: batch)!, input: x)
            case .dense:
                x = dense(layer.workload(batch: batch)!, input: x, parameters: parameters[layer.index]!)
            case .flatten, .identity:
                break
            case .add, .concat:
                preconditionFailure("NaiveReference.network runs chains; graphs are refused by HostBackend.specs")
            case .activation(let f):
                let channels: Int
                if case .spatial(_, _, let c) = layer.input { channels = c } else { channels = layer.input.elements }
                apply(f, &x, channels: channels)
            }
        }
        return x
    }
}
