/// How a convolution or pooling window treats the border.
public enum Padding: Hashable, Sendable {
    /// No padding: the window stays inside the input.
    case valid
    /// TensorFlow/Keras "same": output = ceil(input / stride), extra padding goes to the bottom/right.
    case same
    /// Explicit zero padding on each side.
    case explicit(top: Int, bottom: Int, left: Int, right: Int)
}

/// An elementwise nonlinearity, either its own layer or fused into the layer before it.
public enum ActivationFunction: String, Codable, CaseIterable, Hashable, Sendable {
    case relu, relu6, sigmoid, tanh, softmax
}

/// A 2-D convolution: standard, grouped, depthwise or dilated.
public struct Conv2D: Hashable, Sendable {
    /// Output channels. For a depthwise convolution it is `inputChannels × depthMultiplier` and may be left out.
    public var filters: Int?
    public var kernel: (h: Int, w: Int) { (kernelH, kernelW) }
    public var kernelH: Int
    public var kernelW: Int
    public var strideH: Int = 1
    public var strideW: Int = 1
    public var padding: Padding = .valid
    /// Keras convention: 1 is a dense kernel, 2 leaves one gap between taps.
    public var dilationH: Int = 1
    public var dilationW: Int = 1
    public var groups: Int = 1
    /// Depthwise: one group per input channel; `groups` is then derived from the input.
    public var depthwise: Bool = false
    public var depthMultiplier: Int = 1
    public var useBias: Bool = true
    /// A BatchNorm folded into this convolution at inference time. It costs no time, but its
    /// trainable scale and shift (2 per channel) and running statistics (2 per channel) count as parameters.
    public var batchNorm: Bool = false
    public var activation: ActivationFunction?

    public init(filters: Int?, kernelH: Int, kernelW: Int, strideH: Int = 1, strideW: Int = 1,
                padding: Padding = .valid, dilationH: Int = 1, dilationW: Int = 1, groups: Int = 1,
                depthwise: Bool = false, depthMultiplier: Int = 1, useBias: Bool = true,
                batchNorm: Bool = false, activation: ActivationFunction? = nil) {
        self.filters = filters
        self.kernelH = kernelH; self.kernelW = kernelW
        self.strideH = strideH; self.strideW = strideW
        self.padding = padding
        self.dilationH = dilationH; self.dilationW = dilationW
        self.groups = groups
        self.depthwise = depthwise; self.depthMultiplier = depthMultiplier
        self.useBias = useBias; self.batchNorm = batchNorm
        self.activation = activation
    }
}

/// Max or average pooling over a window.
public struct Pool2D: Hashable, Sendable {
    public var poolH: Int
    public var poolW: Int
    /// Defaults to the pool size, as in Keras.
    public var strideH: Int
    public var strideW: Int
    public var padding: Padding = .valid

    public init(poolH: Int, poolW: Int, strideH: Int? = nil, strideW: Int? = nil, padding: Padding = .valid) {
        self.poolH = poolH; self.poolW = poolW
        self.strideH = strideH ?? poolH; self.strideW = strideW ?? poolW
        self.padding = padding
    }
}

/// A fully connected layer on a flat input.
public struct Dense: Hashable, Sendable {
    public var units: Int
    public var useBias: Bool = true
    public var activation: ActivationFunction?
    public init(units: Int, useBias: Bool = true, activation: ActivationFunction? = nil) {
        self.units = units; self.useBias = useBias; self.activation = activation
    }
}

/// The elementwise sum of two or more tensors of one shape (a residual connection), optionally followed by a
/// fused activation, as ResNet's `add` then `relu`.
public struct Add: Hashable, Sendable {
    public var activation: ActivationFunction?
    public init(activation: ActivationFunction? = nil) { self.activation = activation }
}

/// One step of a network.
public enum LayerOperation: Hashable, Sendable {
    case conv2d(Conv2D)
    case maxPool2d(Pool2D)
    case avgPool2d(Pool2D)
    case globalAvgPool2d
    case flatten
    case dense(Dense)
    case activation(ActivationFunction)
    /// The sum of the layer's inputs (at least two, all of one shape).
    case add(Add)
    /// The layer's inputs joined along the channel axis (spatial inputs of one height and width, or flat inputs).
    case concat
    /// Its one input, unchanged: a named branch point, or the skip path of a residual block.
    case identity

    /// The `type` string of the JSON format.
    public var typeName: String {
        switch self {
        case .conv2d: return "conv2d"
        case .maxPool2d: return "max_pool2d"
        case .avgPool2d: return "avg_pool2d"
        case .globalAvgPool2d: return "global_avg_pool2d"
        case .flatten: return "flatten"
        case .dense: return "dense"
        case .activation: return "activation"
        case .add: return "add"
        case .concat: return "concat"
        case .identity: return "identity"
        }
    }

    /// True for operations that combine several inputs and so must name them.
    public var joinsInputs: Bool {
        switch self {
        case .add, .concat: return true
        default: return false
        }
    }

    /// The activation fused into this layer, if any.
    public var fusedActivation: ActivationFunction? {
        switch self {
        case .conv2d(let c): return c.activation
        case .dense(let d): return d.activation
        case .add(let a): return a.activation
        default: return nil
        }
    }
}

/// A named layer of an architecture.
public struct Layer: Hashable, Sendable {
    /// The name other layers' `inputs` refer to.
    public static let networkInputName = "input"

    public var name: String
    public var operation: LayerOperation
    /// The names of the earlier layers this one reads (`Layer.networkInputName` for the network's input), in
    /// order. Nil means the layer before it, so every sequential file keeps its meaning.
    public var inputs: [String]?
    public init(name: String, _ operation: LayerOperation, inputs: [String]? = nil) {
        self.name = name
        self.operation = operation
        self.inputs = inputs
    }
}

/// A network: an input shape, a batch size and layers in execution order. Each layer reads the one before it
/// unless it names its `inputs`, which makes the network a directed acyclic graph (residual and concatenating
/// networks); its output is the last layer's.
public struct Architecture: Hashable, Sendable {
    public var name: String
    /// Free text: where the network comes from, what was changed.
    public var description: String?
    /// Input height, width and channels (NHWC order without N).
    public var inputH: Int
    public var inputW: Int
    public var inputC: Int
    public var batch: Int
    public var layers: [Layer]

    public init(name: String, description: String? = nil, inputH: Int, inputW: Int, inputC: Int, batch: Int = 1,
                layers: [Layer]) {
        self.name = name
        self.description = description
        self.inputH = inputH; self.inputW = inputW; self.inputC = inputC
        self.batch = batch
        self.layers = layers
    }

    public var inputShape: TensorShape { .spatial(h: inputH, w: inputW, c: inputC) }
}

/// The shape of one sample's activation (the batch dimension is kept apart).
public enum TensorShape: Hashable, Sendable, CustomStringConvertible {
    case spatial(h: Int, w: Int, c: Int)
    case flat(Int)

    public var elements: Int {
        switch self {
        case .spatial(let h, let w, let c): return h * w * c
        case .flat(let n): return n
        }
    }

    public var dimensions: [Int] {
        switch self {
        case .spatial(let h, let w, let c): return [h, w, c]
        case .flat(let n): return [n]
        }
    }

    public var description: String {
        switch self {
        case .spatial(let h, let w, let c): return "\(h)×\(w)×\(c)"
        case .flat(let n): return "\(n)"
        }
    }
}
