import Foundation
import NASArchitecture
import CZlib

/// One layer's measured costs in the project's one schema. Any field may be missing.
public struct Measurements: Hashable, Sendable {
    /// Milliseconds.
    public var latencyMs: Double?
    /// Watts.
    public var powerW: Double?
    /// Runtime-allocated layer memory in MiB (Raspberry Pi: TVM `io_size + ws_size`).
    public var memoryMiB: Double?
    /// GPUs: device-wide allocated memory in MiB while the layer ran alone. Not a per-layer footprint.
    public var deviceAllocatedMiB: Double?
    /// Raspberry Pi: TVM's `io_size` (bytes of the computed output) and `ws_size` (workspace bytes).
    public var ioBytes: Int?
    public var workspaceBytes: Int?

    public init(latencyMs: Double? = nil, powerW: Double? = nil, memoryMiB: Double? = nil,
                deviceAllocatedMiB: Double? = nil, ioBytes: Int? = nil, workspaceBytes: Int? = nil) {
        self.latencyMs = latencyMs; self.powerW = powerW; self.memoryMiB = memoryMiB
        self.deviceAllocatedMiB = deviceAllocatedMiB; self.ioBytes = ioBytes; self.workspaceBytes = workspaceBytes
    }

    /// Millijoules: time × power of the same sample.
    public var energyMJ: Double? {
        guard let t = latencyMs, let p = powerW else { return nil }
        return t * p
    }

    public func value(_ metric: Metric) -> Double? {
        switch metric {
        case .latency: return latencyMs
        case .power: return powerW
        case .energy: return energyMJ
        case .memory: return memoryMiB
        case .deviceMemory: return deviceAllocatedMiB
        }
    }

    public var isEmpty: Bool { latencyMs == nil && powerW == nil && memoryMiB == nil && deviceAllocatedMiB == nil }
}

/// One measured layer: where it comes from, the workload it ran and what was measured.
public struct MeasuredSample: Hashable, Sendable {
    /// `file:line`.
    public var source: String
    /// The source repository path (Sponner) or a label from our own profiler.
    public var origin: String
    /// The device id the line says it was measured on, if it says.
    public var device: String?
    public var workload: LayerWorkload
    public var measurements: Measurements
    /// Things the reader dropped from this sample and why (e.g. a power reading above the device's ceiling).
    public var notes: [String]

    public init(source: String, origin: String, device: String?, workload: LayerWorkload,
                measurements: Measurements, notes: [String] = []) {
        self.source = source; self.origin = origin; self.device = device
        self.workload = workload; self.measurements = measurements; self.notes = notes
    }

    /// "depthwise", "dilated", "grouped" or nil for plain layers.
    public var subtype: String? { workload.subtype }
}

extension LayerWorkload {
    /// "depthwise", "dilated", "grouped" or nil for plain layers.
    public var subtype: String? {
        if isDepthwise { return "depthwise" }
        if isDilated { return "dilated" }
        if isGrouped { return "grouped" }
        return nil
    }
}

/// A sample the reader refused because it cannot be physical or cannot be used.
public struct RejectedSample: Hashable, Sendable {
    public var source: String
    public var reason: String
}

/// The samples of one file with the file's identity.
public struct LoadedDataset: Sendable {
    public var path: String
    /// Lowercase hex SHA-256 of the file's bytes.
    public var sha256: String
    public var lineCount: Int
    public var samples: [MeasuredSample]
    public var rejected: [RejectedSample]
    /// The format the lines were in ("sponner" or "nas-profile", or "mixed").
    public var format: String
    /// Doubts about the file as a whole, e.g. a profile taken on a busy machine.
    public var warnings: [String] = []
}

/// Reads measurement files: the public Sponner et al. data (`{"path", "sample"}` lines) and the project's
/// own profiling output (lines with a `"workload"` object), telling them apart line by line.
public enum DatasetReader {
    /// Reads a JSON-lines file. Malformed lines throw `file:line: what is wrong`; samples that are
    /// well-formed but unphysical (faster than the device's peak) are returned in `rejected`.
    ///
    /// - Parameter device: the device the file is expected to hold. Sponner lines name their device in
    ///   `path`, and a line from another device is an error. Own-format lines are taken to be from it.
    public static func read(path: String, device: DeviceSpec? = nil) throws -> LoadedDataset {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PredictorError(file: path, "cannot read file (\((error as NSError).localizedDescription))")
        }
        if data.starts(with: [0x1F, 0x8B]) {
            return try read(data: try gunzip(path: path), path: path, device: device)
        }
        return try read(data: data, path: path, device: device)
    }

    /// The decompressed contents of a gzip file (zlib's gzread).
    public static func gunzip(path: String) throws -> Data {
        guard let file = gzopen(path, "rb") else { throw PredictorError(file: path, "cannot open gzip file") }
        defer { gzclose(file) }
        var out = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 { throw PredictorError(file: path, "corrupt gzip data") }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<Int(n)])
        }
        return out
    }

    public static func read(data: Data, path: String, device: DeviceSpec? = nil) throws -> LoadedDataset {
        let name = path
        var samples: [MeasuredSample] = []
        var rejected: [RejectedSample] = []
        var formats: Set<String> = []
        /// (1-min load average, logical CPUs) of profile lines that record them.
        var loads: [(Double, Int)] = []
        var lineNumber = 0
        var lineCount = 0
        let bytes = [UInt8](data)
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            let lineBytes = bytes[start..<end]
            start = end + 1
            if end == bytes.count && lineBytes.isEmpty { break }
            let text = String(decoding: lineBytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            lineCount += 1
            let json: JSONValue
            do {
                json = try JSONValue.parse(text)
            } catch let e as JSONValueError {
                // A last line without its newline that does not parse was cut off mid-write (docs/profiling-format.md):
                // ignore it, as the profiler itself does, but say so.
                if end == bytes.count {
                    rejected.append(RejectedSample(source: "\(name):\(lineNumber)", reason: "incomplete last line (no newline, not valid JSON) ignored"))
                    break
                }
                throw PredictorError(file: name, line: lineNumber, e.description.replacingOccurrences(of: " at line 1,", with: " at"))
            }
            let source = "\(name):\(lineNumber)"
            let parsed: (MeasuredSample, String?)
            do {
                if json["sample"] != nil {
                    parsed = try SponnerLine.parse(json, source: source, expected: device)
                    formats.insert("sponner")
                } else if json["workload"]?.objectValue != nil {
                    parsed = try ProfileLine.parse(json, source: source, expected: device)
                    formats.insert("nas-profile")
                    if let load = json["load_avg_1m"]?.doubleValue {
                        loads.append((load, json["metadata"]?["logical_cpus"]?.intValue ?? ProcessInfo.processInfo.activeProcessorCount))
                    }
                } else {
                    throw LineError("neither a Sponner line ({\"path\", \"sample\"}) nor a profiling line (with a \"workload\" object)")
                }
            } catch let e as LineError {
                throw PredictorError(file: name, line: lineNumber, e.message)
            }
            if let reason = parsed.1 {
                rejected.append(RejectedSample(source: source, reason: reason))
            } else {
                samples.append(parsed.0)
            }
        }
        let format = formats.count == 1 ? formats.first! : (formats.isEmpty ? "empty" : "mixed")
        var warnings: [String] = []
        if !loads.isEmpty {
            let sorted = loads.map(\.0).sorted()
            let median = sorted[sorted.count / 2]
            let cpus = loads.map(\.1).max() ?? 1
            if median > 0.5 * Double(cpus) {
                warnings.append(String(format: "profiled on a busy machine: median 1-min load average %.2f (range %.2f–%.2f) on %d logical CPUs, so latencies include CPU contention",
                                       median, sorted.first!, sorted.last!, cpus))
            }
        }
        return LoadedDataset(path: path, sha256: SHA256.hex(bytes), lineCount: lineCount, samples: samples,
                             rejected: rejected, format: format, warnings: warnings)
    }

    /// The physics check shared by both formats: nothing may run faster than the device's peak rate.
    /// Returns the reason for rejection, or nil.
    static func physicsViolation(_ w: LayerWorkload, latencyMs: Double, spec: DeviceSpec?) -> String? {
        guard let spec else { return nil }
        let rate = effectiveFlops(w) / (latencyMs / 1000)
        let ceiling = physicsCeiling(spec)
        if rate > ceiling {
            return String(format: "%.3g FLOP/s exceeds the %@ peak of %.3g FLOP/s (check the time unit)",
                          rate, spec.id, ceiling)
        }
        return nil
    }

    /// FLOPs of the window taps that land inside the input. With zero padding (and more so with dilation), some
    /// taps only ever read padding, and libraries skip them; counting them would make honest samples look faster
    /// than the device's peak. Equal to `w.flops` without padding.
    static func effectiveFlops(_ w: LayerWorkload) -> Double {
        func taps(input: Int, output: Int, stride: Int, kernel: Int, dilation: Int, pad: Int) -> Int {
            var n = 0
            for o in 0..<output {
                for t in 0..<kernel {
                    let i = o * stride - pad + t * dilation
                    if i >= 0 && i < input { n += 1 }
                }
            }
            return n
        }
        switch w.kind {
        case .dense: return Double(w.flops)
        case .conv2d, .maxPool2d, .avgPool2d:
            let h = taps(input: w.inH, output: w.outH, stride: w.strideH, kernel: w.kernelH, dilation: w.dilationH, pad: w.padTop)
            let v = taps(input: w.inW, output: w.outW, stride: w.strideW, kernel: w.kernelW, dilation: w.dilationW, pad: w.padLeft)
            if w.kind == .conv2d {
                return 2 * Double(w.batch) * Double(w.outC) * Double(w.inC / max(w.groups, 1)) * Double(h) * Double(v)
            }
            return Double(w.batch) * Double(w.outC) * Double(h) * Double(v)
        }
    }

    /// The FLOP/s no sample may exceed: the vendor peak, or for the host, whose peak is estimated from the
    /// nominal clock, 1.5× the estimate (turbo clocks).
    static func physicsCeiling(_ spec: DeviceSpec) -> Double {
        spec.id == "host" ? 1.5 * spec.peakFlops : spec.peakFlops
    }

    /// The highest power reading `spec` can physically draw, or nil where the meter covers more than the device.
    static func powerCeiling(_ spec: DeviceSpec) -> Double? {
        switch spec.id {
        // The Xeon's readings come from a node meter (CPU plus DRAM of a blade): no ceiling from the CPU's TDP.
        case "xeon", "host": return nil
        // RAPL package power: the dataset README calls readings above the 84 W TDP unphysical.
        case "i7": return 84
        default: return spec.tdpWatts.map { $0 * 1.25 }
        }
    }
}

/// An error inside one line, turned into `file:line: message` by the reader.
struct LineError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// One line of the public Sponner et al. data.
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

    static func parse(_ line: JSONValue, source: String, expected: DeviceSpec?) throws -> (MeasuredSample, String?) {
        guard let path = line["path"]?.stringValue else { throw LineError("missing string 'path'") }
        guard let s = line["sample"]?.objectValue else { throw LineError("'sample' must be an object") }
        let detected = device(fromPath: path)
        if let expected, let detected, expected.id != detected {
            throw LineError("the line is from device '\(detected)' (path \(path)), not '\(expected.id)'")
        }
        guard let deviceID = detected ?? expected?.id else {
            throw LineError("cannot tell the device from path '\(path)'; pass --device")
        }
        let spec = DeviceSpec.named(deviceID)

        func number(_ key: String) throws -> Double {
            guard let v = s[key] else { throw LineError("missing '\(key)'") }
            guard let d = v.doubleValue, d.isFinite else { throw LineError("'\(key)' must be a number") }
            return d
        }
        func int(_ key: String) throws -> Int {
            guard let v = s[key] else { throw LineError("missing '\(key)'") }
            guard let n = v.intValue else { throw LineError("'\(key)' must be an integer") }
            return n
        }
        func pair(_ keys: [String]) throws -> (Int, Int)? {
            for key in keys {
                guard let v = s[key] else { continue }
                if let n = v.intValue { return (n, n) }
                if let a = v.arrayValue, a.count == 2, let h = a[0].intValue, let w = a[1].intValue { return (h, w) }
                throw LineError("'\(key)' must be [height, width]")
            }
            return nil
        }
        func strides() throws -> (Int, Int) {
            if let p = try pair(["strides", "stride"]) { return p }
            if s["strides_0"] != nil || s["strides_1"] != nil { return (try int("strides_0"), try int("strides_1")) }
            throw LineError("missing 'strides'")
        }

        guard let kindName = s["workload"]?.stringValue else { throw LineError("missing string 'workload'") }
        guard let kind = WorkloadKind(rawValue: kindName) else {
            throw LineError("unknown workload '\(kindName)' (known: conv2d, dense, max_pool2d, avg_pool2d)")
        }
        let batch = try int("batch_size")
        guard batch > 0 else { throw LineError("'batch_size' must be positive, got \(batch)") }
        guard let shapeValues = s["input shape"]?.arrayValue else { throw LineError("missing array 'input shape'") }
        let dims = shapeValues.dropFirst().map(\.intValue)
        if dims.contains(where: { $0 == nil }) || shapeValues.isEmpty {
            throw LineError("'input shape' must be [null, H, W, C] or [null, N] with integers")
        }
        let shape = dims.map { $0! }
        guard shape.allSatisfy({ $0 > 0 }) else { throw LineError("'input shape' sizes must be positive, got \(shape)") }

        var workload: LayerWorkload
        switch kind {
        case .dense:
            guard shape.count == 1 else { throw LineError("dense needs 'input shape' [null, N], got \(shape)") }
            let units = try int("units")
            guard units > 0 else { throw LineError("'units' must be positive, got \(units)") }
            if let f = s["features"] {
                guard f.intValue == shape[0] else { throw LineError("'features' \(f.serialized(pretty: false)) disagrees with 'input shape' \(shape)") }
            }
            workload = .dense(batch: batch, inputs: shape[0], units: units, bias: false)
        case .conv2d, .maxPool2d, .avgPool2d:
            guard shape.count == 3 else { throw LineError("\(kindName) needs 'input shape' [null, H, W, C], got \(shape)") }
            let (h, w, c) = (shape[0], shape[1], shape[2])
            let (sh, sw) = try strides()
            guard sh > 0, sw > 0 else { throw LineError("strides must be positive, got [\(sh), \(sw)]") }
            if kind == .conv2d {
                guard let (kh, kw) = try pair(["kernel"]) else { throw LineError("missing 'kernel'") }
                let (dh, dw) = try pair(["dilation"]) ?? (1, 1)
                let groups = s["groups"] == nil ? 1 : try int("groups")
                let filters = try int("filters")
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
                workload = LayerWorkload(kind: .conv2d, batch: batch, inH: h, inW: w, inC: c,
                                         outH: (h - effH) / sh + 1, outW: (w - effW) / sw + 1, outC: filters,
                                         kernelH: kh, kernelW: kw, strideH: sh, strideW: sw,
                                         dilationH: dh, dilationW: dw, groups: groups)
            } else {
                // Quirk 3: random pool names are swapped; 'workload' is the truth.
                guard let (ph, pw) = try pair(["pool_size"]) else { throw LineError("missing 'pool_size'") }
                guard ph > 0, pw > 0 else { throw LineError("'pool_size' must be positive") }
                guard ph <= h, pw <= w else { throw LineError("pool window \(ph)×\(pw) is larger than the input \(h)×\(w)") }
                workload = LayerWorkload(kind: kind, batch: batch, inH: h, inW: w, inC: c,
                                         outH: (h - ph) / sh + 1, outW: (w - pw) / sw + 1, outC: c,
                                         kernelH: ph, kernelW: pw, strideH: sh, strideW: sw)
            }
        }

        // Units differ by device (dataset README): time in s on the Pi, ms elsewhere.
        let rawTime = try number("time")
        guard rawTime > 0 else { throw LineError("'time' must be positive, got \(rawTime)") }
        let latency = deviceID == "pi4" ? rawTime * 1000 : rawTime
        var m = Measurements(latencyMs: latency)
        var notes: [String] = []
        if s["power"] != nil {
            let p = try number("power")
            if p <= 0 {
                notes.append("power \(p) W dropped: not positive")
            } else if let spec, let ceiling = DatasetReader.powerCeiling(spec), p > ceiling {
                notes.append("power \(p) W dropped: above the \(spec.id) ceiling of \(ceiling) W")
            } else {
                m.powerW = p
            }
        }
        if s["memory"] != nil {
            let gib = try number("memory")
            // -1 means not measured (Xeon, i7). On the GPUs it is device-wide allocated memory in GiB.
            if gib >= 0 { m.deviceAllocatedMiB = gib * 1024 }
        }
        if s["io_size"] != nil || s["ws_size"] != nil {
            let io = try int("io_size"), ws = try int("ws_size")
            guard io >= 0, ws >= 0 else { throw LineError("'io_size' and 'ws_size' must not be negative") }
            m.ioBytes = io
            m.workspaceBytes = ws
            m.memoryMiB = Double(io + ws) / 1_048_576
        }
        let sample = MeasuredSample(source: source, origin: path, device: deviceID, workload: workload,
                                    measurements: m, notes: notes)
        if let io = m.ioBytes, io != 4 * workload.outputElements {
            return (sample, "io_size \(io) B is not the \(4 * workload.outputElements) B of the derived output \(workload.outH)×\(workload.outW)×\(workload.outC) (batch \(batch))")
        }
        return (sample, DatasetReader.physicsViolation(workload, latencyMs: latency, spec: spec))
    }
}

/// One line of the project's own profiling output (`nas profile`, docs/profiling-format.md, format_version 1):
/// a `"workload"` object in the `LayerWorkload` JSON form plus measurements in the project's units.
///
/// Per-layer memory is normalised to the meaning it has in the Pi data: what the runtime allocates for the
/// layer's output plus its workspace (`memory.output_bytes + memory.scratchpad_bytes`), so one network-level
/// formula serves both.
enum ProfileLine {
    static let formatVersion = 1

    static func parse(_ line: JSONValue, source: String, expected: DeviceSpec?) throws -> (MeasuredSample, String?) {
        guard let object = line.objectValue, let workloadValue = object["workload"] else {
            throw LineError("missing object 'workload'")
        }
        if let v = object["format_version"] {
            guard let n = v.intValue else { throw LineError("'format_version' must be an integer") }
            guard n <= formatVersion else { throw LineError("format_version \(n) is newer than this nas reads (\(formatVersion))") }
        }
        let workload: LayerWorkload
        do {
            workload = try JSONDecoder().decode(LayerWorkload.self, from: Data(workloadValue.serialized(pretty: false).utf8))
        } catch {
            throw LineError("'workload' is not a layer workload (\(describe(error)))")
        }
        try validate(workload)
        var deviceID = expected?.id
        if let d = object["device"] {
            guard let s = d.stringValue else { throw LineError("'device' must be a string") }
            if let expected, expected.id != s { throw LineError("the line is from device '\(s)', not '\(expected.id)'") }
            deviceID = s
        }
        let origin = object["label"]?.stringValue ?? "nas profile"
        if let status = object["status"] {
            guard let st = status.stringValue else { throw LineError("'status' must be a string") }
            if st != "ok" {
                let why = object["error"]?.stringValue ?? "no error given"
                let sample = MeasuredSample(source: source, origin: origin, device: deviceID, workload: workload, measurements: Measurements())
                return (sample, "status \(st): \(why)")
            }
        }
        func optionalNumber(_ key: String) throws -> Double? {
            guard let v = object[key] else { return nil }
            if case .null = v { return nil }
            guard let d = v.doubleValue, d.isFinite else { throw LineError("'\(key)' must be a number") }
            return d
        }
        var m = Measurements()
        guard let t = try optionalNumber("latency_ms") else { throw LineError("an ok line needs 'latency_ms'") }
        guard t > 0 else { throw LineError("'latency_ms' must be positive, got \(t)") }
        m.latencyMs = t
        var notes: [String] = []
        if let p = try optionalNumber("power_w") {
            if p > 0 { m.powerW = p } else { notes.append("power \(p) W dropped: not positive") }
        } else if let why = object["power_unavailable"]?.stringValue {
            notes.append("power unavailable: \(why)")
        }
        if let parts = object["memory"]?.objectValue {
            guard let out = parts["output_bytes"]?.intValue, let scratch = parts["scratchpad_bytes"]?.intValue,
                  out >= 0, scratch >= 0 else {
                throw LineError("'memory' needs non-negative integers 'output_bytes' and 'scratchpad_bytes'")
            }
            m.ioBytes = out
            m.workspaceBytes = scratch
            m.memoryMiB = Double(out + scratch) / 1_048_576
        }
        let sample = MeasuredSample(source: source, origin: origin, device: deviceID, workload: workload,
                                    measurements: m, notes: notes)
        let spec = deviceID.flatMap(DeviceSpec.named)
        return (sample, DatasetReader.physicsViolation(workload, latencyMs: t, spec: spec))
    }

    static func validate(_ w: LayerWorkload) throws {
        let sizes = [w.batch, w.inH, w.inW, w.inC, w.outH, w.outW, w.outC, w.kernelH, w.kernelW, w.strideH, w.strideW,
                     w.dilationH, w.dilationW, w.groups]
        guard sizes.allSatisfy({ $0 > 0 }) else { throw LineError("'workload' sizes must be positive") }
        guard [w.padTop, w.padBottom, w.padLeft, w.padRight].allSatisfy({ $0 >= 0 }) else {
            throw LineError("'workload' padding must not be negative")
        }
        if w.kind == .conv2d, w.inC % w.groups != 0 || w.outC % w.groups != 0 {
            throw LineError("'workload' groups \(w.groups) must divide in_c \(w.inC) and out_c \(w.outC)")
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let c): return "wrong type at '\(c.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let c): return c.debugDescription
        case DecodingError.valueNotFound(_, let c): return "null at '\(c.codingPath.map(\.stringValue).joined(separator: "."))'"
        default: return "\(error)"
        }
    }
}
