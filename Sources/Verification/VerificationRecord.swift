import Foundation
import NASArchitecture
import NASMeasurement
import NASSupport

/// One verified candidate: its predictions beside its measurement, as one line of `verify.jsonl`.
public struct VerificationRecord: Sendable {
    public var candidate: Int
    public var device: String
    public var backend: String
    /// "top" for the run's best feasible candidates, "infeasible" for sampled infeasible ones.
    public var sampledAs: String
    public var predictedLatencyMs: Double?
    public var predictedEnergyMJ: Double?
    public var predictedMemoryMiB: Double?
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
                predictColdSeconds: Double, predictMemoizedSeconds: Double, timestamp: String) {
        self.candidate = candidate; self.device = device; self.backend = backend; self.sampledAs = sampledAs
        self.predictedLatencyMs = predictedLatencyMs; self.predictedEnergyMJ = predictedEnergyMJ
        self.predictedMemoryMiB = predictedMemoryMiB; self.measurement = measurement
        self.predictColdSeconds = predictColdSeconds; self.predictMemoizedSeconds = predictMemoizedSeconds
        self.timestamp = timestamp
    }

    public var jsonLine: String {
        func num(_ v: Double?) -> JSONValue { v.map { .number($0) } ?? .null }
        let m = (try? JSONValue.parse(JSONEncoder.verification.encode(measurement))) ?? .null
        return JSONValue.object([
            "candidate": JSONValue(candidate), "device": .string(device), "backend": .string(backend),
            "sampled_as": .string(sampledAs), "timestamp": .string(timestamp),
            "predicted": .object(["latency_ms": num(predictedLatencyMs), "energy_mj": num(predictedEnergyMJ),
                                  "memory_mib": num(predictedMemoryMiB)]),
            "predict_cold_s": .number(predictColdSeconds), "predict_memoized_s": .number(predictMemoizedSeconds),
            "measurement": m,
        ]).serialized(pretty: false)
    }

    public init(jsonLine line: String) throws {
        let v = try JSONValue.parse(line)
        guard let o = v.objectValue, let candidate = o["candidate"]?.intValue, let device = o["device"]?.stringValue,
              let backend = o["backend"]?.stringValue, let sampled = o["sampled_as"]?.stringValue,
              let predicted = o["predicted"]?.objectValue, let cold = o["predict_cold_s"]?.doubleValue,
              let memo = o["predict_memoized_s"]?.doubleValue, let m = o["measurement"] else {
            throw MeasurementError.invalidSettings("missing or malformed keys")
        }
        let measurement = try JSONDecoder().decode(NetworkMeasurement.self, from: Data(m.serialized(pretty: false).utf8))
        self.init(candidate: candidate, device: device, backend: backend, sampledAs: sampled,
                  predictedLatencyMs: predicted["latency_ms"]?.doubleValue, predictedEnergyMJ: predicted["energy_mj"]?.doubleValue,
                  predictedMemoryMiB: predicted["memory_mib"]?.doubleValue, measurement: measurement,
                  predictColdSeconds: cold, predictMemoizedSeconds: memo, timestamp: o["timestamp"]?.stringValue ?? "")
    }
}

/// `verify.jsonl`: append-only, one record per line; a truncated last line (a killed run) is ignored on reading
/// and overwritten on the next append.
public struct VerificationLog: Sendable {
    public let path: String
    public init(path: String) { self.path = path }

    public func read() throws -> [VerificationRecord] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        let complete = text.hasSuffix("\n") || text.isEmpty
        if !complete { lines.removeLast() }
        var out: [VerificationRecord] = []
        for (i, line) in lines.enumerated() where !line.isEmpty {
            do { out.append(try VerificationRecord(jsonLine: line)) } catch {
                throw MeasurementError.invalidSettings("\(path):\(i + 1): \(error)")
            }
        }
        return out
    }

    /// Appends one record as one whole line, dropping a truncated tail first, and syncs it to disk: each
    /// record stands for a benchmark that took seconds.
    public func append(_ record: VerificationRecord) throws {
        try JSONLinesFile(appendingTo: path, sync: .everyLine).append(line: record.jsonLine)
    }
}

extension JSONEncoder {
    static var verification: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
