import Foundation

/// The architecture JSON format (docs/architecture-format.md): reading with errors that name the layer
/// and key, and writing in a canonical form that reads back to an equal value.
extension Architecture {
    public static let formatVersion = 1

    /// Reads an architecture file. Errors name the file.
    public static func load(path: String) throws -> Architecture {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ArchitectureError("\(path): cannot read file (\((error as NSError).localizedDescription))")
        }
        do {
            return try Architecture(json: data)
        } catch let e as ArchitectureError {
            throw ArchitectureError("\(path): \(e.description)")
        } catch let e as JSONValueError {
            throw ArchitectureError("\(path): \(e.description)")
        }
    }

    public init(json data: Data) throws {
        try self.init(jsonValue: try JSONValue.parse(data))
    }

    public init(jsonValue root: JSONValue) throws {
        guard let obj = root.objectValue else { throw ArchitectureError("the architecture must be a JSON object") }
        try ArchitectureJSON.rejectUnknown(obj, allowed: ["format_version", "name", "description", "input", "batch", "layers"],
                                           context: "architecture")
        if let v = obj["format_version"] {
            guard let n = v.intValue else { throw ArchitectureError("'format_version' must be an integer") }
            guard n <= Architecture.formatVersion else {
                throw ArchitectureError("format_version \(n) is newer than this nas understands (\(Architecture.formatVersion))")
            }
            guard n >= 1 else { throw ArchitectureError("format_version \(n) does not exist (versions start at 1)") }
        }
        let name = try ArchitectureJSON.string(obj, "name", context: "architecture") ?? "network"
        guard let inputValue = obj["input"] else { throw ArchitectureError("missing key 'input' ([H, W, C])") }
        guard let dims = inputValue.arrayValue?.compactMap(\.intValue), dims.count == 3,
              inputValue.arrayValue?.count == 3 else {
            throw ArchitectureError("'input' must be [H, W, C] with three integers")
        }
        guard dims.allSatisfy({ $0 > 0 }) else {
            throw ArchitectureError("input sizes must be positive, got \(dims)")
        }
        let batch = try ArchitectureJSON.int(obj, "batch", context: "architecture") ?? 1
        guard batch > 0 else { throw ArchitectureError("batch must be positive, got \(batch)") }
        guard let layerValues = obj["layers"]?.arrayValue else { throw ArchitectureError("missing array 'layers'") }
        guard !layerValues.isEmpty else { throw ArchitectureError("'layers' is empty: a network needs at least one layer") }
        var layers: [Layer] = []
        for (i, value) in layerValues.enumerated() {
            layers.append(try ArchitectureJSON.layer(value, index: i))
        }
        let description = try ArchitectureJSON.string(obj, "description", context: "architecture")
        self.init(name: name, description: description, inputH: dims[0], inputW: dims[1], inputC: dims[2], batch: batch, layers: layers)
    }

    /// The canonical JSON: every field written out, keys sorted.
    public var jsonValue: JSONValue {
        var o: [String: JSONValue] = [
            "format_version": JSONValue(Architecture.formatVersion),
            "name": .string(name),
            "input": JSONValue([inputH, inputW, inputC]),
            "batch": JSONValue(batch),
            "layers": .array(layers.map(ArchitectureJSON.encode)),
        ]
        if let d = description { o["description"] = .string(d) }
        return .object(o)
    }

    public func jsonString(pretty: Bool = true) -> String { jsonValue.serialized(pretty: pretty) + (pretty ? "\n" : "") }
}

enum ArchitectureJSON {
    static let common: Set<String> = ["type", "name", "inputs"]
    static let keysByType: [String: Set<String>] = [
        "conv2d": ["filters", "kernel", "strides", "padding", "dilation", "groups", "depthwise", "depth_multiplier",
                   "use_bias", "batch_norm", "activation"],
        "max_pool2d": ["pool_size", "strides", "padding"],
        "avg_pool2d": ["pool_size", "strides", "padding"],
        "global_avg_pool2d": [],
        "flatten": [],
        "dense": ["units", "use_bias", "activation"],
        "activation": ["function"],
        "add": ["activation"],
        "concat": [],
        "identity": [],
    ]

    static func rejectUnknown(_ obj: [String: JSONValue], allowed: Set<String>, context: String,
                              fail: ((String) -> ArchitectureError)? = nil) throws {
        for key in obj.keys.sorted() where !allowed.contains(key) {
            let message = "unknown key '\(key)' in \(context) (allowed: \(allowed.sorted().joined(separator: ", ")))"
            throw fail?(message) ?? ArchitectureError(message)
        }
    }

    static func string(_ obj: [String: JSONValue], _ key: String, context: String) throws -> String? {
        guard let v = obj[key] else { return nil }
        guard let s = v.stringValue else { throw ArchitectureError("'\(key)' in \(context) must be a string") }
        return s
    }

    static func int(_ obj: [String: JSONValue], _ key: String, context: String) throws -> Int? {
        guard let v = obj[key] else { return nil }
        guard let n = v.intValue else { throw ArchitectureError("'\(key)' in \(context) must be an integer") }
        return n
    }

    static func layer(_ value: JSONValue, index: Int) throws -> Layer {
        guard let obj = value.objectValue else { throw ArchitectureError(layerIndex: index, "a layer must be a JSON object") }
        guard let type = obj["type"]?.stringValue else {
            throw ArchitectureError(layerIndex: index, layerName: obj["name"]?.stringValue, "missing string 'type'")
        }
        let name: String
        if let n = obj["name"] {
            guard let s = n.stringValue, !s.isEmpty else { throw ArchitectureError(layerIndex: index, "'name' must be a non-empty string") }
            name = s
        } else {
            name = "\(type)_\(index)"
        }
        let fields = LayerFields(object: obj, index: index, name: name)
        guard let allowed = keysByType[type] else {
            throw fields.fail("unknown layer type '\(type)' (known: \(keysByType.keys.sorted().joined(separator: ", ")))")
        }
        try rejectUnknown(obj, allowed: allowed.union(common), context: type, fail: fields.fail)
        var layer = try operation(type, fields)
        layer.inputs = try fields.inputs()
        return layer
    }

    private static func operation(_ type: String, _ fields: LayerFields) throws -> Layer {
        let name = fields.name
        switch type {
        case "conv2d":
            return Layer(name: name, .conv2d(try fields.conv2d()))
        case "max_pool2d", "avg_pool2d":
            let pool = try fields.pool2d(type)
            return Layer(name: name, type == "max_pool2d" ? .maxPool2d(pool) : .avgPool2d(pool))
        case "global_avg_pool2d":
            return Layer(name: name, .globalAvgPool2d)
        case "flatten":
            return Layer(name: name, .flatten)
        case "dense":
            return Layer(name: name, .dense(try fields.dense()))
        case "add":
            return Layer(name: name, .add(Add(activation: try fields.activation("activation"))))
        case "concat":
            return Layer(name: name, .concat)
        case "identity":
            return Layer(name: name, .identity)
        default: // "activation"
            guard let f = try fields.activation("function") else { throw fields.fail("activation needs 'function'") }
            return Layer(name: name, .activation(f))
        }
    }

    static func encode(_ layer: Layer) -> JSONValue {
        var o: [String: JSONValue] = ["type": .string(layer.operation.typeName), "name": .string(layer.name)]
        func padding(_ p: Padding) -> JSONValue {
            switch p {
            case .valid: return "valid"
            case .same: return "same"
            case .explicit(let t, let b, let l, let r): return JSONValue([t, b, l, r])
            }
        }
        switch layer.operation {
        case .conv2d(let c):
            if let f = c.filters { o["filters"] = JSONValue(f) }
            o["kernel"] = JSONValue([c.kernelH, c.kernelW])
            o["strides"] = JSONValue([c.strideH, c.strideW])
            o["padding"] = padding(c.padding)
            o["dilation"] = JSONValue([c.dilationH, c.dilationW])
            if c.depthwise {
                o["depthwise"] = true
                o["depth_multiplier"] = JSONValue(c.depthMultiplier)
            } else {
                o["groups"] = JSONValue(c.groups)
            }
            o["use_bias"] = JSONValue(c.useBias)
            if c.batchNorm { o["batch_norm"] = true }
            if let a = c.activation { o["activation"] = .string(a.rawValue) }
        case .maxPool2d(let p), .avgPool2d(let p):
            o["pool_size"] = JSONValue([p.poolH, p.poolW])
            o["strides"] = JSONValue([p.strideH, p.strideW])
            o["padding"] = padding(p.padding)
        case .globalAvgPool2d, .flatten:
            break
        case .dense(let d):
            o["units"] = JSONValue(d.units)
            o["use_bias"] = JSONValue(d.useBias)
            if let a = d.activation { o["activation"] = .string(a.rawValue) }
        case .activation(let f):
            o["function"] = .string(f.rawValue)
        case .add(let a):
            if let f = a.activation { o["activation"] = .string(f.rawValue) }
        case .concat, .identity:
            break
        }
        if let inputs = layer.inputs { o["inputs"] = .array(inputs.map { .string($0) }) }
        return .object(o)
    }
}
