/// One line of a profiling dataset (docs/profiling-format.md): the profiling line format, written by
/// NASMeasurement's profiler and read by NASPredictors' dataset reader. Those two modules do not import each
/// other, so this type is the one place where they agree on what a line holds.
///
/// `Metadata` and `Settings` are the measuring side's own types (which machine and library, how many runs):
/// the profiler writes its `DeviceMetadata` and `MeasurementSettings`, and the dataset reader, which only
/// looks at `logical_cpus`, reads both as plain `JSONValue`.
///
/// Reading is strict, so that a damaged or foreign line is reported instead of half-read: a newer
/// `format_version` is refused before anything else is looked at, then a key the format does not have, then a
/// value of the wrong JSON type. Keys the first profiles may lack (`format_version`, `status`) have defaults.
public struct ProfileRecord<Metadata: Codable & Sendable, Settings: Codable & Sendable>: Codable, Sendable {
    public static var formatVersion: Int { 1 }

    public var formatVersion: Int
    public var status: ProfileStatus
    /// The workload at the batch size this line is about; with the batch it is the line's identity.
    public var workload: LayerWorkload
    /// The catalog category (`conv`, `depthwise`, …) and label (`model:layer`) it was picked under.
    public var category: String?
    public var label: String?
    /// `host`, or an agent's own device id.
    public var device: String?
    /// ISO 8601 UTC, when the line was written.
    public var timestamp: String?
    /// What went wrong, on `failed` and `skipped` lines.
    public var error: String?

    // Measured (`ok`) lines only. Milliseconds, bytes, millijoules, watts.
    public var latencyMs: Double?
    public var latencyIQRMs: Double?
    public var latencyMinMs: Double?
    public var latencyMaxMs: Double?
    /// Timed runs made, and of those dropped as outliers.
    public var samples: Int?
    public var outliers: Int?
    public var memoryBytes: Int?
    public var memoryMiB: Double?
    public var memory: ProfiledMemory?
    /// Null with a reason where the machine has no readable counter: never a 0 standing in for "unknown".
    public var energyMJ: Double?
    public var energyUnavailable: String?
    public var powerW: Double?
    public var powerUnavailable: String?
    /// The library kernels that ran, in order.
    public var implementation: [String]?
    /// The 1-minute load average just before the timed runs.
    public var loadAverage1m: Double?

    public var metadata: Metadata?
    public var settings: Settings?

    public init(status: ProfileStatus, workload: LayerWorkload, category: String?, label: String?, device: String?,
                timestamp: String?) {
        formatVersion = Self.formatVersion
        self.status = status; self.workload = workload; self.category = category; self.label = label
        self.device = device; self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case formatVersion = "format_version", status, workload, category, label, device, timestamp, error
        case latencyMs = "latency_ms", latencyIQRMs = "latency_iqr_ms", latencyMinMs = "latency_min_ms"
        case latencyMaxMs = "latency_max_ms", samples, outliers
        case memoryBytes = "memory_bytes", memoryMiB = "memory_mib", memory
        case energyMJ = "energy_mj", energyUnavailable = "energy_unavailable", powerW = "power_w"
        case powerUnavailable = "power_unavailable", implementation, loadAverage1m = "load_avg_1m", metadata, settings
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decodeIfPresent(Int.self, forKey: .formatVersion) ?? Self.formatVersion
        guard formatVersion <= Self.formatVersion else {
            throw Self.invalid("format_version \(formatVersion) is newer than this nas reads (\(Self.formatVersion))")
        }
        guard formatVersion >= 1 else { throw Self.invalid("format_version \(formatVersion) does not exist (versions start at 1)") }
        let known = Set(CodingKeys.allCases.map(\.stringValue))
        if let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue).sorted()
            .first(where: { !known.contains($0) }) {
            throw Self.invalid("unknown key '\(unknown)'")
        }
        status = try ProfileStatus.decode(c.decodeIfPresent(String.self, forKey: .status))
        workload = try c.decode(LayerWorkload.self, forKey: .workload)
        category = try c.decodeIfPresent(String.self, forKey: .category)
        label = try c.decodeIfPresent(String.self, forKey: .label)
        device = try c.decodeIfPresent(String.self, forKey: .device)
        timestamp = try c.decodeIfPresent(String.self, forKey: .timestamp)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        latencyMs = try c.decodeIfPresent(Double.self, forKey: .latencyMs)
        latencyIQRMs = try c.decodeIfPresent(Double.self, forKey: .latencyIQRMs)
        latencyMinMs = try c.decodeIfPresent(Double.self, forKey: .latencyMinMs)
        latencyMaxMs = try c.decodeIfPresent(Double.self, forKey: .latencyMaxMs)
        samples = try c.decodeIfPresent(Int.self, forKey: .samples)
        outliers = try c.decodeIfPresent(Int.self, forKey: .outliers)
        memoryBytes = try c.decodeIfPresent(Int.self, forKey: .memoryBytes)
        memoryMiB = try c.decodeIfPresent(Double.self, forKey: .memoryMiB)
        memory = try c.decodeIfPresent(ProfiledMemory.self, forKey: .memory)
        energyMJ = try c.decodeIfPresent(Double.self, forKey: .energyMJ)
        energyUnavailable = try c.decodeIfPresent(String.self, forKey: .energyUnavailable)
        powerW = try c.decodeIfPresent(Double.self, forKey: .powerW)
        powerUnavailable = try c.decodeIfPresent(String.self, forKey: .powerUnavailable)
        implementation = try c.decodeIfPresent([String].self, forKey: .implementation)
        loadAverage1m = try c.decodeIfPresent(Double.self, forKey: .loadAverage1m)
        metadata = try c.decodeIfPresent(Metadata.self, forKey: .metadata)
        settings = try c.decodeIfPresent(Settings.self, forKey: .settings)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(formatVersion, forKey: .formatVersion)
        try c.encode(status, forKey: .status)
        try c.encode(workload, forKey: .workload)
        try c.encodeIfPresent(category, forKey: .category)
        try c.encodeIfPresent(label, forKey: .label)
        try c.encodeIfPresent(device, forKey: .device)
        try c.encodeIfPresent(timestamp, forKey: .timestamp)
        try c.encodeIfPresent(error, forKey: .error)
        for (value, key) in [(latencyMs, CodingKeys.latencyMs), (latencyIQRMs, .latencyIQRMs), (latencyMinMs, .latencyMinMs),
                             (latencyMaxMs, .latencyMaxMs), (memoryMiB, .memoryMiB)] {
            try Self.encode(value, key, nullWhenAbsent: false, into: &c)
        }
        try c.encodeIfPresent(samples, forKey: .samples)
        try c.encodeIfPresent(outliers, forKey: .outliers)
        try c.encodeIfPresent(memoryBytes, forKey: .memoryBytes)
        try c.encodeIfPresent(memory, forKey: .memory)
        // A measured line names its energy, power and load even when they are unknown: null, not a missing key.
        for (value, key) in [(energyMJ, CodingKeys.energyMJ), (powerW, .powerW), (loadAverage1m, .loadAverage1m)] {
            try Self.encode(value, key, nullWhenAbsent: status == .ok, into: &c)
        }
        try c.encodeIfPresent(energyUnavailable, forKey: .energyUnavailable)
        try c.encodeIfPresent(powerUnavailable, forKey: .powerUnavailable)
        try c.encodeIfPresent(implementation, forKey: .implementation)
        try c.encodeIfPresent(metadata, forKey: .metadata)
        try c.encodeIfPresent(settings, forKey: .settings)
    }

    /// A number, or null where there is none to write (and for NaN or infinity, which JSON cannot hold).
    private static func encode(_ value: Double?, _ key: CodingKeys, nullWhenAbsent: Bool,
                               into c: inout KeyedEncodingContainer<CodingKeys>) throws {
        if let value, value.isFinite {
            try c.encode(value, forKey: key)
        } else if value != nil || nullWhenAbsent {
            try c.encodeNil(forKey: key)
        }
    }

    static func invalid(_ message: String) -> DecodingError {
        DecodingError.dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: message))
    }

    /// Any key at all, to find the ones `CodingKeys` does not know.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// What became of a (workload, batch) pair.
public enum ProfileStatus: String, Codable, Sendable, CaseIterable {
    /// Measured.
    case ok
    /// The backend could not run it.
    case failed
    /// Not tried, because a smaller batch of the same workload failed.
    case skipped

    /// A line without `status` is from before the key existed, when every line was a measurement.
    static func decode(_ text: String?) throws -> ProfileStatus {
        guard let text else { return .ok }
        guard let status = ProfileStatus(rawValue: text) else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: [], debugDescription: "'status' must be ok, failed or skipped, got '\(text)'"))
        }
        return status
    }
}

/// The bytes a measured layer touched, in parts (`memory` of an `ok` line), from the layouts the library chose.
public struct ProfiledMemory: Codable, Sendable, Hashable {
    public var inputBytes: Int?
    public var outputBytes: Int
    public var weightsBytes: Int?
    public var scratchpadBytes: Int
    public var totalBytes: Int?

    public init(inputBytes: Int, outputBytes: Int, weightsBytes: Int, scratchpadBytes: Int) {
        self.inputBytes = inputBytes; self.outputBytes = outputBytes; self.weightsBytes = weightsBytes
        self.scratchpadBytes = scratchpadBytes
        totalBytes = inputBytes + outputBytes + weightsBytes + scratchpadBytes
    }

    enum CodingKeys: String, CodingKey {
        case inputBytes = "input_bytes", outputBytes = "output_bytes", weightsBytes = "weights_bytes"
        case scratchpadBytes = "scratchpad_bytes", totalBytes = "total_bytes"
    }
}
