import Foundation
import NASArchitecture

/// One line of the public Sponner et al. data: `{"path": "dataset/<device folder>/…", "sample": {…}}`, in the
/// keys and units of the profiler that wrote it (Keras layer settings, time in seconds on the Pi).
enum SponnerLine {
    /// Maps the source repository's device folder to our device id.
    static func device(fromPath path: String) -> String? {
        let folders: [(String, String)] = [
            ("cuda_A100", "a100"), ("cuda_K80", "k80"), ("cuda_980ti", "gtx980ti"),
            ("haswell_E5-2680", "xeon"), ("haswell_i7-4790", "i7"), ("rasp4b", "pi4"),
        ]
        for (folder, id) in folders where path.contains(folder) { return id }
        return nil
    }

    /// The sample of a line, and the reason it is rejected if it cannot be physical.
    static func parse(_ line: JSONValue, source: String, expected: DeviceSpec?) throws -> (MeasuredSample, String?) {
        guard let path = line["path"]?.stringValue else { throw LineError("missing string 'path'") }
        guard let object = line["sample"]?.objectValue else { throw LineError("'sample' must be an object") }
        let detected = device(fromPath: path)
        if let expected, let detected, expected.id != detected {
            throw LineError("the line is from device '\(detected)' (path \(path)), not '\(expected.id)'")
        }
        guard let deviceID = detected ?? expected?.id else {
            throw LineError("cannot tell the device from path '\(path)'; pass --device")
        }
        let spec = DeviceSpec.named(deviceID)
        let s = SponnerSample(fields: object)
        let workload = try workload(s)
        do { try workload.checkSize() } catch { throw LineError("\(error)") }
        let (m, notes) = try measurements(s, deviceID: deviceID, spec: spec)
        let sample = MeasuredSample(source: source, origin: path, device: deviceID, workload: workload,
                                    measurements: m, notes: notes)
        if let io = m.ioBytes, io != 4 * workload.outputElements {
            return (sample, "io_size \(io) B is not the \(4 * workload.outputElements) B of the derived output \(workload.outH)×\(workload.outW)×\(workload.outC) (batch \(workload.batch))")
        }
        return (sample, DatasetReader.physicsViolation(workload, latencyMs: m.latencyMs!, spec: spec))
    }

    /// The layer the sample ran, derived from its Keras settings and input shape.
    static func workload(_ s: SponnerSample) throws -> LayerWorkload {
        guard let kindName = s.fields["workload"]?.stringValue else { throw LineError("missing string 'workload'") }
        guard let kind = WorkloadKind(rawValue: kindName), WorkloadKind.layerKinds.contains(kind) else {
            throw LineError("unknown workload '\(kindName)' (known: conv2d, dense, max_pool2d, avg_pool2d)")
        }
        let batch = try s.int("batch_size")
        guard batch > 0 else { throw LineError("'batch_size' must be positive, got \(batch)") }
        guard let shapeValues = s.fields["input shape"]?.arrayValue else { throw LineError("missing array 'input shape'") }
        let dims = shapeValues.dropFirst().map(\.intValue)
        if dims.contains(where: { $0 == nil }) || shapeValues.isEmpty {
            throw LineError("'input shape' must be [null, H, W, C] or [null, N] with integers")
        }
        let shape = dims.map { $0! }
        guard shape.allSatisfy({ $0 > 0 }) else { throw LineError("'input shape' sizes must be positive, got \(shape)") }
        switch kind {
        case .dense:
            guard shape.count == 1 else { throw LineError("dense needs 'input shape' [null, N], got \(shape)") }
            return try dense(s, batch: batch, inputs: shape[0])
        case .add, .concat:
            throw LineError("unknown workload '\(kindName)' (known: conv2d, dense, max_pool2d, avg_pool2d)")
        case .conv2d, .maxPool2d, .avgPool2d:
            guard shape.count == 3 else { throw LineError("\(kindName) needs 'input shape' [null, H, W, C], got \(shape)") }
            let (sh, sw) = try s.strides()
            guard sh > 0, sw > 0 else { throw LineError("strides must be positive, got [\(sh), \(sw)]") }
            let input = (h: shape[0], w: shape[1], c: shape[2])
            return kind == .conv2d
                ? try convolution(s, batch: batch, input: input, strides: (sh, sw))
                : try pooling(s, kind: kind, batch: batch, input: input, strides: (sh, sw))
        }
    }

    static func dense(_ s: SponnerSample, batch: Int, inputs: Int) throws -> LayerWorkload {
        let units = try s.int("units")
        guard units > 0 else { throw LineError("'units' must be positive, got \(units)") }
        if let f = s.fields["features"] {
            guard f.intValue == inputs else { throw LineError("'features' \(f.serialized(pretty: false)) disagrees with 'input shape' [\(inputs)]") }
        }
        return .dense(batch: batch, inputs: inputs, units: units, bias: false)
    }

    static func convolution(_ s: SponnerSample, batch: Int, input: (h: Int, w: Int, c: Int),
                            strides: (h: Int, w: Int)) throws -> LayerWorkload {
        let (h, w, c) = input
        guard let (kh, kw) = try s.pair(["kernel"]) else { throw LineError("missing 'kernel'") }
        let (dh, dw) = try s.pair(["dilation"]) ?? (1, 1)
        let groups = s.fields["groups"] == nil ? 1 : try s.int("groups")
        let filters = try s.int("filters")
        guard kh > 0, kw > 0, dh > 0, dw > 0, groups > 0, filters > 0 else {
            throw LineError("kernel, dilation, groups and filters must be positive")
        }
        guard c % groups == 0, filters % groups == 0 else {
            throw LineError("groups \(groups) must divide the input channels \(c) and the filters \(filters)")
        }
        // Quirk 1: the profiler compiled every layer without padding, whatever 'padding' says.
        let effH = (kh - 1) * dh + 1, effW = (kw - 1) * dw + 1
        guard effH <= h, effW <= w else {
            throw LineError("kernel \(effH)×\(effW) (dilated) is larger than the input \(h)×\(w)")
        }
        return LayerWorkload(kind: .conv2d, batch: batch, inH: h, inW: w, inC: c,
                             outH: (h - effH) / strides.h + 1, outW: (w - effW) / strides.w + 1, outC: filters,
                             kernelH: kh, kernelW: kw, strideH: strides.h, strideW: strides.w,
                             dilationH: dh, dilationW: dw, groups: groups)
    }

    static func pooling(_ s: SponnerSample, kind: WorkloadKind, batch: Int, input: (h: Int, w: Int, c: Int),
                        strides: (h: Int, w: Int)) throws -> LayerWorkload {
        let (h, w, c) = input
        // Quirk 3: random pool names are swapped; 'workload' is the truth.
        guard let (ph, pw) = try s.pair(["pool_size"]) else { throw LineError("missing 'pool_size'") }
        guard ph > 0, pw > 0 else { throw LineError("'pool_size' must be positive") }
        guard ph <= h, pw <= w else { throw LineError("pool window \(ph)×\(pw) is larger than the input \(h)×\(w)") }
        return LayerWorkload(kind: kind, batch: batch, inH: h, inW: w, inC: c,
                             outH: (h - ph) / strides.h + 1, outW: (w - pw) / strides.w + 1, outC: c,
                             kernelH: ph, kernelW: pw, strideH: strides.h, strideW: strides.w)
    }

    /// The sample's readings in the project's units, and the readings dropped as unphysical.
    static func measurements(_ s: SponnerSample, deviceID: String, spec: DeviceSpec?) throws -> (Measurements, [String]) {
        // Units differ by device (dataset README): time in s on the Pi, ms elsewhere.
        let rawTime = try s.number("time")
        guard rawTime > 0 else { throw LineError("'time' must be positive, got \(rawTime)") }
        var m = Measurements(latencyMs: deviceID == "pi4" ? rawTime * 1000 : rawTime)
        var notes: [String] = []
        if s.fields["power"] != nil {
            let p = try s.number("power")
            if p <= 0 {
                notes.append("power \(p) W dropped: not positive")
            } else if let spec, let ceiling = DatasetReader.powerCeiling(spec), p > ceiling {
                notes.append("power \(p) W dropped: above the \(spec.id) ceiling of \(ceiling) W")
            } else {
                m.powerW = p
            }
        }
        if s.fields["memory"] != nil {
            let gib = try s.number("memory")
            // -1 means not measured (Xeon, i7). On the GPUs it is device-wide allocated memory in GiB.
            if gib >= 0 { m.deviceAllocatedMiB = gib * 1024 }
        }
        if s.fields["io_size"] != nil || s.fields["ws_size"] != nil {
            let io = try s.int("io_size"), ws = try s.int("ws_size")
            guard io >= 0, ws >= 0 else { throw LineError("'io_size' and 'ws_size' must not be negative") }
            m.ioBytes = io
            m.workspaceBytes = ws
            m.memoryMiB = Double(io + ws) / 1_048_576
        }
        return (m, notes)
    }
}

/// The `sample` object of a Sponner line, read key by key with errors that name the key.
struct SponnerSample {
    var fields: [String: JSONValue]

    func number(_ key: String) throws -> Double {
        guard let v = fields[key] else { throw LineError("missing '\(key)'") }
        guard let d = v.doubleValue, d.isFinite else { throw LineError("'\(key)' must be a number") }
        return d
    }

    func int(_ key: String) throws -> Int {
        guard let v = fields[key] else { throw LineError("missing '\(key)'") }
        guard let n = v.intValue else { throw LineError("'\(key)' must be an integer") }
        return n
    }

    /// The first of `keys` present, as [height, width] or one number for both.
    func pair(_ keys: [String]) throws -> (Int, Int)? {
        for key in keys {
            guard let v = fields[key] else { continue }
            if let n = v.intValue { return (n, n) }
            if let a = v.arrayValue, a.count == 2, let h = a[0].intValue, let w = a[1].intValue { return (h, w) }
            throw LineError("'\(key)' must be [height, width]")
        }
        return nil
    }

    /// Strides under any of the names the data uses: `strides`, `stride`, or `strides_0` and `strides_1`.
    func strides() throws -> (Int, Int) {
        if let p = try pair(["strides", "stride"]) { return p }
        if fields["strides_0"] != nil || fields["strides_1"] != nil { return (try int("strides_0"), try int("strides_1")) }
        throw LineError("missing 'strides'")
    }
}
