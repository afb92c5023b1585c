/// The fields of one layer object in an architecture file, read with errors that name the layer.
///
/// Every reader returns nil for an absent key and throws for a present key of the wrong kind, so a typo'd value
/// is never mistaken for a default.
struct LayerFields {
    let object: [String: JSONValue]
    let index: Int
    let name: String

    func fail(_ message: String) -> ArchitectureError {
        ArchitectureError(layerIndex: index, layerName: name, message)
    }

    func int(_ key: String) throws -> Int? {
        guard let v = object[key] else { return nil }
        guard let n = v.intValue else { throw fail("'\(key)' must be an integer") }
        return n
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = object[key] else { return nil }
        guard let b = v.boolValue else { throw fail("'\(key)' must be true or false") }
        return b
    }

    /// An integer or a pair [h, w].
    func pair(_ key: String) throws -> (Int, Int)? {
        guard let v = object[key] else { return nil }
        if let n = v.intValue { return (n, n) }
        if let a = v.arrayValue, a.count == 2, let h = a[0].intValue, let w = a[1].intValue { return (h, w) }
        throw fail("'\(key)' must be an integer or [height, width]")
    }

    /// `inputs`: a list of layer names (or the network input's name), or absent for the layer before.
    func inputs() throws -> [String]? {
        guard let v = object["inputs"] else { return nil }
        guard let a = v.arrayValue else { throw fail("'inputs' must be a list of layer names") }
        var names: [String] = []
        for (k, item) in a.enumerated() {
            guard let s = item.stringValue, !s.isEmpty else {
                throw fail("'inputs' item \(k) must be a non-empty layer name")
            }
            names.append(s)
        }
        return names
    }

    func padding() throws -> Padding {
        guard let v = object["padding"] else { return .valid }
        if let s = v.stringValue {
            switch s {
            case "valid": return .valid
            case "same": return .same
            default: throw fail("padding must be \"valid\", \"same\", an integer, [h, w] or [top, bottom, left, right], got \"\(s)\"")
            }
        }
        if let n = v.intValue { return .explicit(top: n, bottom: n, left: n, right: n) }
        if let a = v.arrayValue {
            let ints = a.compactMap(\.intValue)
            if ints.count == a.count {
                if ints.count == 2 { return .explicit(top: ints[0], bottom: ints[0], left: ints[1], right: ints[1]) }
                if ints.count == 4 { return .explicit(top: ints[0], bottom: ints[1], left: ints[2], right: ints[3]) }
            }
        }
        throw fail("padding must be \"valid\", \"same\", an integer, [h, w] or [top, bottom, left, right]")
    }

    func activation(_ key: String) throws -> ActivationFunction? {
        guard let v = object[key] else { return nil }
        if case .null = v { return nil }
        guard let s = v.stringValue, let f = ActivationFunction(rawValue: s) else {
            throw fail("'\(key)' must be one of \(ActivationFunction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return f
    }

    func conv2d() throws -> Conv2D {
        guard let k = try pair("kernel") else { throw fail("conv2d needs 'kernel'") }
        let s = try pair("strides") ?? (1, 1)
        let d = try pair("dilation") ?? (1, 1)
        let depthwise = try bool("depthwise") ?? false
        let filters = try int("filters")
        if !depthwise && filters == nil { throw fail("conv2d needs 'filters' (or 'depthwise': true)") }
        if let f = filters, f <= 0 { throw fail("filters must be positive, got \(f)") }
        let conv = Conv2D(filters: filters, kernelH: k.0, kernelW: k.1, strideH: s.0, strideW: s.1,
                          padding: try padding(), dilationH: d.0, dilationW: d.1, groups: try int("groups") ?? 1,
                          depthwise: depthwise, depthMultiplier: try int("depth_multiplier") ?? 1,
                          useBias: try bool("use_bias") ?? true, batchNorm: try bool("batch_norm") ?? false,
                          activation: try activation("activation"))
        if depthwise, object["groups"] != nil { throw fail("give either 'groups' or 'depthwise', not both") }
        return conv
    }

    func pool2d(_ type: String) throws -> Pool2D {
        guard let p = try pair("pool_size") else { throw fail("\(type) needs 'pool_size'") }
        let s = try pair("strides")
        return Pool2D(poolH: p.0, poolW: p.1, strideH: s?.0, strideW: s?.1, padding: try padding())
    }

    func dense() throws -> Dense {
        guard let u = try int("units") else { throw fail("dense needs 'units'") }
        if u <= 0 { throw fail("units must be positive, got \(u)") }
        return Dense(units: u, useBias: try bool("use_bias") ?? true, activation: try activation("activation"))
    }
}
