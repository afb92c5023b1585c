import Foundation
import NASArchitecture
import NASSupport

/// A profiling line as the dataset reader sees it: metadata and settings as plain JSON, since all it needs
/// from them is `logical_cpus`.
typealias ReadProfileRecord = ProfileRecord<JSONValue, JSONValue>

/// One line of the project's own profiling output (`nas profile`, docs/profiling-format.md): the shared
/// `ProfileRecord`, turned into a sample in the project's units.
///
/// Per-layer memory is normalised to the meaning it has in the Pi data: what the runtime allocates for the
/// layer's output plus its workspace (`memory.output_bytes + memory.scratchpad_bytes`), so one network-level
/// formula serves both.
enum ProfileLine {
    /// The record on one line; errors name the key that is wrong.
    static func decode(_ text: String) throws -> ReadProfileRecord {
        do {
            return try JSONDecoder().decode(ReadProfileRecord.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw LineError(describe(error))
        }
    }

    /// What is wrong with a line, in the words of the part it is wrong in.
    static func describe(_ error: DecodingError) -> String {
        switch Self.firstKey(of: error) {
        case "workload": return "'workload' is not a layer workload (\(DecodingErrorText.describe(error, droppingFirst: 1)))"
        case "memory": return "'memory' needs non-negative integers 'output_bytes' and 'scratchpad_bytes'"
        default: return DecodingErrorText.describe(error)
        }
    }

    static func firstKey(of error: DecodingError) -> String? {
        switch error {
        case .keyNotFound(let key, let c): return (c.codingPath.first ?? key).stringValue
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): return c.codingPath.first?.stringValue
        @unknown default: return nil
        }
    }

    /// The sample of a record, and the reason it is rejected: not measured, or faster than the device can be.
    static func sample(_ record: ReadProfileRecord, source: String, expected: DeviceSpec?) throws -> (MeasuredSample, String?) {
        let workload = record.workload
        try validate(workload)
        var deviceID = expected?.id
        if let d = record.device {
            if let expected, expected.id != d { throw LineError("the line is from device '\(d)', not '\(expected.id)'") }
            deviceID = d
        }
        let origin = record.label ?? "nas profile"
        if record.status != .ok {
            let sample = MeasuredSample(source: source, origin: origin, device: deviceID, workload: workload, measurements: Measurements())
            return (sample, "status \(record.status.rawValue): \(record.error ?? "no error given")")
        }
        var m = Measurements()
        guard let t = record.latencyMs else { throw LineError("an ok line needs 'latency_ms'") }
        guard t > 0 else { throw LineError("'latency_ms' must be positive, got \(t)") }
        m.latencyMs = t
        var notes: [String] = []
        if let p = record.powerW {
            if p > 0 { m.powerW = p } else { notes.append("power \(p) W dropped: not positive") }
        } else if let why = record.powerUnavailable {
            notes.append("power unavailable: \(why)")
        }
        if let parts = record.memory {
            guard parts.outputBytes >= 0, parts.scratchpadBytes >= 0 else {
                throw LineError("'memory' needs non-negative integers 'output_bytes' and 'scratchpad_bytes'")
            }
            m.ioBytes = parts.outputBytes
            m.workspaceBytes = parts.scratchpadBytes
            m.memoryMiB = Double(parts.outputBytes + parts.scratchpadBytes) / 1_048_576
        }
        let sample = MeasuredSample(source: source, origin: origin, device: deviceID, workload: workload,
                                    measurements: m, notes: notes)
        if deviceID == "host", let ceiling = record.metadata.flatMap(DatasetReader.hostCeiling(metadata:)) {
            return (sample, DatasetReader.physicsViolation(workload, latencyMs: t, ceiling: ceiling, device: "measuring host"))
        }
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
        do { try w.checkSize() } catch { throw LineError("\(error)") }
        if w.kind == .conv2d, w.inC % w.groups != 0 || w.outC % w.groups != 0 {
            throw LineError("'workload' groups \(w.groups) must divide in_c \(w.inC) and out_c \(w.outC)")
        }
    }
}
