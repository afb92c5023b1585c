import Foundation
import NASMeasurement
import NASSearch
import NASSupport

/// One verified candidate: its predictions beside its measurement, as one line of `verify.jsonl`
/// (keys sorted, as `JSONLines.encoder()` writes them).
public struct VerificationRecord: Codable, Sendable {
    public var candidate: Int
    public var device: String
    public var backend: String
    /// "top" for the run's best feasible candidates, "infeasible" for sampled infeasible ones.
    public var sampledAs: String
    public var predictedLatencyMs: Double?
    public var predictedEnergyMJ: Double?
    public var predictedMemoryMiB: Double?
    /// The search's layer-by-layer upper bound on the latency, for a device bounded that way (`LatencyBounds`).
    public var predictedLatencyBoundMs: Double?
    public var measurement: NetworkMeasurement
    /// Wall time of predicting this network on the device, from an empty memo and from a warm one.
    public var predictColdSeconds: Double
    public var predictMemoizedSeconds: Double
    public var timestamp: String

    public var measuredLatencyMs: Double { measurement.latency.medianMs }
    public var measuredMemoryMiB: Double { Double(measurement.peakMemoryBytes) / 1_048_576 }
    /// Energy of one inference in mJ, or why it could not be measured.
    public var measuredEnergyMJ: Reading {
        switch measurement.energyJ {
        case .measured(let j): return .measured(j * 1000)
        case .unavailable(let why): return .unavailable(reason: why)
        }
    }

    public init(candidate: Int, device: String, backend: String, sampledAs: String, predictedLatencyMs: Double?,
                predictedEnergyMJ: Double?, predictedMemoryMiB: Double?, measurement: NetworkMeasurement,
                predictColdSeconds: Double, predictMemoizedSeconds: Double, timestamp: String,
                predictedLatencyBoundMs: Double? = nil) {
        self.candidate = candidate; self.device = device; self.backend = backend; self.sampledAs = sampledAs
        self.predictedLatencyMs = predictedLatencyMs; self.predictedEnergyMJ = predictedEnergyMJ
        self.predictedMemoryMiB = predictedMemoryMiB; self.measurement = measurement
        self.predictColdSeconds = predictColdSeconds; self.predictMemoizedSeconds = predictMemoizedSeconds
        self.timestamp = timestamp; self.predictedLatencyBoundMs = predictedLatencyBoundMs
    }

    /// The search's costs of the candidate, as `LatencyBounds.checkedValue` takes them.
    public var predictedCosts: DeviceCosts {
        DeviceCosts(latencyMs: predictedLatencyMs, energyMJ: predictedEnergyMJ, memoryMiB: predictedMemoryMiB,
                    latencyBoundMs: predictedLatencyBoundMs)
    }

    enum CodingKeys: String, CodingKey {
        case candidate, device, backend, sampledAs = "sampled_as", predicted, measurement
        case predictColdSeconds = "predict_cold_s", predictMemoizedSeconds = "predict_memoized_s", timestamp
    }

    /// The `predicted` object: the search's figures for the device, each null where it predicted none.
    enum PredictedKeys: String, CodingKey {
        case latencyMs = "latency_ms", energyMJ = "energy_mj", memoryMiB = "memory_mib", latencyBoundMs = "latency_bound_ms"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let p = try c.nestedContainer(keyedBy: PredictedKeys.self, forKey: .predicted)
        self.init(candidate: try c.decode(Int.self, forKey: .candidate), device: try c.decode(String.self, forKey: .device),
                  backend: try c.decode(String.self, forKey: .backend), sampledAs: try c.decode(String.self, forKey: .sampledAs),
                  predictedLatencyMs: try p.decodeIfPresent(Double.self, forKey: .latencyMs),
                  predictedEnergyMJ: try p.decodeIfPresent(Double.self, forKey: .energyMJ),
                  predictedMemoryMiB: try p.decodeIfPresent(Double.self, forKey: .memoryMiB),
                  measurement: try c.decode(NetworkMeasurement.self, forKey: .measurement),
                  predictColdSeconds: try c.decode(Double.self, forKey: .predictColdSeconds),
                  predictMemoizedSeconds: try c.decode(Double.self, forKey: .predictMemoizedSeconds),
                  timestamp: try c.decodeIfPresent(String.self, forKey: .timestamp) ?? "",
                  predictedLatencyBoundMs: try p.decodeIfPresent(Double.self, forKey: .latencyBoundMs))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(candidate, forKey: .candidate)
        try c.encode(device, forKey: .device)
        try c.encode(backend, forKey: .backend)
        try c.encode(sampledAs, forKey: .sampledAs)
        var p = c.nestedContainer(keyedBy: PredictedKeys.self, forKey: .predicted)
        // Optional values encode as null: a missing prediction is written, not left out.
        try p.encode(predictedLatencyMs, forKey: .latencyMs)
        try p.encode(predictedEnergyMJ, forKey: .energyMJ)
        try p.encode(predictedMemoryMiB, forKey: .memoryMiB)
        try p.encodeIfPresent(predictedLatencyBoundMs, forKey: .latencyBoundMs)
        try c.encode(measurement, forKey: .measurement)
        try c.encode(predictColdSeconds, forKey: .predictColdSeconds)
        try c.encode(predictMemoizedSeconds, forKey: .predictMemoizedSeconds)
        try c.encode(timestamp, forKey: .timestamp)
    }
}

/// `verify.jsonl`: append-only, one record per line; a truncated last line (a killed run) is ignored on reading
/// and overwritten on the next append.
public struct VerificationLog: Sendable {
    public let path: String
    public init(path: String) { self.path = path }

    /// Every complete record; a malformed line throws `verify.jsonl:LINE: what is wrong`.
    public func read() throws -> [VerificationRecord] {
        try JSONLines.readChained(VerificationRecord.self, from: path)
    }

    /// Appends one record as one whole line, dropping a truncated tail first, and syncs it to disk: each
    /// record stands for a benchmark that took seconds.
    public func append(_ record: VerificationRecord) throws {
        try JSONLinesFile(appendingTo: path, sync: .everyLine).appendChained(record)
    }
}
