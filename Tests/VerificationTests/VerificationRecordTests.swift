import Foundation
import NASSupport
import Testing
import NASMeasurement
@testable import NASVerification

/// `verify.jsonl` lines: a plain `Codable` record, with the keys and values the first `nas verify` wrote.
@Suite struct VerificationRecordTests {
    /// A line as the earlier, hand-assembled writer produced it (sorted keys, predictions null where missing).
    static let line = #"{"backend":"host","candidate":7,"device":"host","measurement":{"batch":1,"energy_j":{"reason":"no RAPL: /sys","status":"unavailable"},"entry_reorder":{"iqr_ms":0.30000000000000004,"max_ms":2,"median_ms":1.25,"min_ms":1,"outliers":0,"samples":3},"latency":{"iqr_ms":0.30000000000000004,"max_ms":2,"median_ms":1.25,"min_ms":1,"outliers":0,"samples":3},"layers":[{"implementation":["a/b"],"index":0,"latency":{"iqr_ms":0.30000000000000004,"max_ms":2,"median_ms":1.25,"min_ms":1,"outliers":0,"samples":3},"memory":{"input_bytes":1,"output_bytes":2,"scratchpad_bytes":4,"total_bytes":10,"weights_bytes":3},"name":"c1","type":"conv2d"},{"fused_into":0,"implementation":[],"index":1,"name":"r","type":"relu"}],"metadata":{"backend":"host","cpu_model":"AMD EPYC/7B13","device_id":"host","isa":"avx512_core_bf16","library":"oneDNN","library_version":"2.6.3","logical_cpus":2,"threads":1},"name":"net","peak_memory_bytes":123456,"power_w":{"status":"measured","value":3.5},"stages":{"setup_s":0.5,"timed_runs":3,"timed_s":1e-05,"warmup_runs":1,"warmup_s":0.25},"weights_bytes":789},"predict_cold_s":0.001,"predict_memoized_s":2e-07,"predicted":{"energy_mj":null,"latency_ms":1.5,"memory_mib":0.75},"sampled_as":"top","timestamp":"2026-01-01T00:00:00Z"}"#

    static func record() -> VerificationRecord {
        let metadata = DeviceMetadata(deviceID: "host", cpuModel: "AMD EPYC/7B13", backend: "host", library: "oneDNN",
                                      libraryVersion: "2.6.3", isa: "avx512_core_bf16", threads: 1, logicalCPUs: 2)
        let latency = LatencyStats(medianMs: 1.25, iqrMs: 0.1 + 0.2, minMs: 1.0, maxMs: 2.0, samples: 3, outliers: 0)
        let layers = [
            NetworkLayerMeasurement(index: 0, name: "c1", type: "conv2d", latency: latency, fusedInto: nil,
                                    memory: MemoryFigures(inputBytes: 1, outputBytes: 2, weightsBytes: 3, scratchpadBytes: 4),
                                    implementation: ["a/b"]),
            NetworkLayerMeasurement(index: 1, name: "r", type: "relu", latency: nil, fusedInto: 0, memory: nil, implementation: []),
        ]
        let measurement = NetworkMeasurement(
            name: "net", batch: 1, latency: latency, layers: layers, entryReorder: latency, exitReorder: nil,
            peakMemoryBytes: 123456, weightsBytes: 789, energyJ: .unavailable(reason: "no RAPL: /sys"), powerW: .measured(3.5),
            metadata: metadata, loadAverage1m: nil,
            stages: BenchmarkStages(setupSeconds: 0.5, warmupSeconds: 0.25, timedSeconds: 1e-05, warmupRuns: 1, timedRuns: 3))
        return VerificationRecord(candidate: 7, device: "host", backend: "host", sampledAs: "top", predictedLatencyMs: 1.5,
                                  predictedEnergyMJ: nil, predictedMemoryMiB: 0.75, measurement: measurement,
                                  predictColdSeconds: 0.001, predictMemoizedSeconds: 2e-07, timestamp: "2026-01-01T00:00:00Z")
    }

    func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "nas-verify-record-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/verify.jsonl"
    }

    @Test func aRecordIsWrittenWithTheSameKeysAndValuesAsBefore() throws {
        let path = try scratch()
        try VerificationLog(path: path).append(Self.record())
        let sealed = String(decoding: LineChain.seal(Array(Self.line.utf8), after: LineChain.start).line, as: UTF8.self)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == sealed + "\n")
        #expect(sealed.hasPrefix(String(Self.line.dropLast())) && sealed.hasSuffix(#""}"#))
        #expect(try VerificationLog(path: path).read().count == 1)
    }

    @Test func anEarlierLineReadsBackAndATornTailIsIgnored() throws {
        let path = try scratch()
        try (Self.line + "\n" + Self.line.prefix(40)).write(toFile: path, atomically: true, encoding: .utf8)
        let records = try VerificationLog(path: path).read()
        #expect(records.count == 1)
        let r = try #require(records.first)
        #expect(r.candidate == 7 && r.sampledAs == "top" && r.predictedEnergyMJ == nil && r.predictedMemoryMiB == 0.75)
        #expect(r.measurement == Self.record().measurement && r.timestamp == "2026-01-01T00:00:00Z")
    }

    @Test func aMalformedLineNamesFileAndLine() throws {
        let path = try scratch()
        let bad = Self.line.replacingOccurrences(of: "\"candidate\":7,", with: "")
        try (Self.line + "\n" + bad + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try VerificationLog(path: path).read()
            Issue.record("a line without 'candidate' was read")
        } catch {
            #expect("\(error)" == "\(path):2: missing 'candidate'")
        }
    }
}
