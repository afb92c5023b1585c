/// Which earlier tensors each layer reads, resolved from the layers' `inputs` names while shapes are inferred.
///
/// A network none of whose layers names `inputs` is a chain, and is resolved without any of this (no
/// dictionary, no per-layer arrays): the search resolves millions of such networks. Because a layer can only
/// name layers listed above it, every network is acyclic by construction, and every layer is reachable from the
/// input; what remains to check is that names are unambiguous and that every layer but the last is read.
struct GraphWiring {
    /// The source index of the network's input.
    static let networkInput = -1

    let isGraph: Bool
    private var indexByName: [String: Int] = [:]
    private var namesakes: [String: Int] = [:]
    private var consumed: [Bool] = []

    init(_ layers: [Layer]) {
        isGraph = layers.contains { $0.inputs != nil }
        if isGraph { consumed = [Bool](repeating: false, count: layers.count) }
    }

    /// The sources of layer `i` (its named inputs, or the layer before it), checked, and marked as read.
    mutating func sources(of i: Int, in layers: [Layer]) throws -> [Int] {
        let layer = layers[i]
        func fail(_ message: String) -> ArchitectureError { ArchitectureError(layerIndex: i, layerName: layer.name, message) }
        guard let names = layer.inputs else {
            if i > 0 { consumed[i - 1] = true }
            return [i - 1]
        }
        guard !names.isEmpty else { throw fail("'inputs' is empty; name at least one earlier layer or '\(Layer.networkInputName)'") }
        var sources: [Int] = []
        sources.reserveCapacity(names.count)
        for name in names {
            let s = try source(named: name, for: layer, at: i, in: layers, fail)
            if s >= 0 { consumed[s] = true }
            sources.append(s)
        }
        return sources
    }

    private func source(named name: String, for layer: Layer, at i: Int, in layers: [Layer],
                        _ fail: (String) -> ArchitectureError) throws -> Int {
        if let count = namesakes[name], count > 1 {
            throw fail("input '\(name)' is ambiguous: \(count) earlier layers have that name")
        }
        if let s = indexByName[name] {
            if name == Layer.networkInputName {
                throw fail("input '\(name)' is ambiguous: it names both the network input and layer \(s)")
            }
            return s
        }
        if name == Layer.networkInputName { return Self.networkInput }
        if let later = layers[i...].firstIndex(where: { $0.name == name }) {
            let which = later == i ? "the layer itself" : "layer \(later), which comes later"
            throw fail("input '\(name)' is \(which); a layer can read only the network input and layers listed above it")
        }
        throw fail("unknown input '\(name)': no earlier layer has that name (the network input is '\(Layer.networkInputName)')")
    }

    /// Makes layer `i` nameable by the layers after it.
    mutating func register(_ i: Int, name: String) {
        indexByName[name] = i
        namesakes[name, default: 0] += 1
    }

    /// Every layer but the last must be read: a network has one output, its last layer.
    func checkEveryOutputIsRead(_ layers: [Layer]) throws {
        for i in layers.indices.dropLast() where !consumed[i] {
            throw ArchitectureError(layerIndex: i, layerName: layers[i].name,
                                    "its output is read by no later layer (a network has one output, its last layer; name this layer in a later layer's 'inputs' or remove it)")
        }
    }
}

extension ShapeInference {
    /// The output of an `add` or `concat` over `shapes`, naming the first input that does not fit.
    static func joinedShape(_ operation: LayerOperation, _ shapes: [TensorShape], names: [String],
                       _ fail: (String) -> ArchitectureError) throws -> TensorShape {
        guard shapes.count >= 2 else {
            throw fail("\(operation.typeName) needs at least two inputs, got \(shapes.count)")
        }
        let first = shapes[0]
        if case .add = operation {
            for (k, s) in shapes.enumerated().dropFirst() where s != first {
                throw fail("add needs inputs of one shape: '\(names[0])' is \(first), but '\(names[k])' is \(s)")
            }
            return first
        }
        switch first {
        case .flat:
            var total = 0
            for (k, s) in shapes.enumerated() {
                guard case .flat(let n) = s else {
                    throw fail("concat joins flat inputs or spatial ones, not both: '\(names[0])' is flat, '\(names[k])' is \(s)")
                }
                total += n
            }
            return .flat(total)
        case .spatial(let h, let w, _):
            var channels = 0
            for (k, s) in shapes.enumerated() {
                guard case .spatial(let sh, let sw, let c) = s, sh == h, sw == w else {
                    throw fail("concat joins channels of inputs of one height and width: '\(names[0])' is \(first), but '\(names[k])' is \(s)")
                }
                channels += c
            }
            return .spatial(h: h, w: w, c: channels)
        }
    }
}
