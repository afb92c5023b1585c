import NASArchitecture

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
    /// The machines the profile lines were measured on (from their metadata), sorted, each once; empty for Sponner data.
    public var machines: [MachineFingerprint] = []
}
