import NASArchitecture

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
        /// Passes its input on: nothing runs.
        case identity
    }
    var index: Int
    var name: String
    var type: String
    var op: Op

    var workload: LayerWorkload? {
        switch op {
        case .conv(let w), .pool(let w), .dense(let w): return w
        case .activation, .flatten, .identity: return nil
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
