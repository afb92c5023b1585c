import Foundation
import Testing
import NASArchitecture
@testable import NASMeasurement
import NASSupport

/// The profiler's side of the profiling line format (`ProfileRecord`, shared with the dataset reader).
@Suite struct ProfileRecordTests {
    /// The example line of docs/profiling-format.md, a real line written by an earlier `nas profile`.
    static func documentedLine() throws -> String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let doc = try String(contentsOf: url.appendingPathComponent("docs/profiling-format.md"), encoding: .utf8)
        return try #require(doc.split(separator: "\n").first { $0.hasPrefix("{\"category\"") }.map(String.init))
    }

    /// The measurement the documented line records.
    static let documented: (CatalogEntry, LayerMeasurement) = {
        let w = LayerWorkload(kind: .conv2d, batch: 1, inH: 224, inW: 224, inC: 3, outH: 55, outW: 55, outC: 64,
                              kernelH: 11, kernelW: 11, strideH: 4, strideW: 4,
                              padTop: 2, padBottom: 2, padLeft: 2, padRight: 2, bias: true, activation: .relu)
        let metadata = DeviceMetadata(deviceID: "host", cpuModel: "AMD EPYC", backend: "host", library: "oneDNN",
                                      libraryVersion: "2.6.3", isa: "avx512_core_bf16", threads: 2, logicalCPUs: 2)
        let rapl = "no readable RAPL counter: /sys/class/powercap does not exist (the kernel exposes no powercap interface here)"
        let m = LayerMeasurement(
            workload: w,
            latency: LatencyStats(medianMs: 0.640521, iqrMs: 0.024168999999999996, minMs: 0.638598, maxMs: 0.698497, samples: 10, outliers: 2),
            memory: MemoryFigures(inputBytes: 602112, outputBytes: 774400, weightsBytes: 93184, scratchpadBytes: 12288),
            energyJ: .unavailable(reason: rapl), powerW: .unavailable(reason: rapl), implementation: ["brgconv:avx512_core"],
            metadata: metadata, loadAverage1m: 1.69)
        return (CatalogEntry(workload: w, category: "conv", label: "alexnet:conv1"), m)
    }()

    @Test func aMeasuredLineIsWrittenExactlyAsDocumented() throws {
        let (entry, m) = Self.documented
        let record = MeasuredProfileRecord(entry, m, settings: MeasurementSettings(warmup: 2, repeats: 10),
                                           timestamp: "2026-11-25T02:40:27Z")
        let expected = try Self.documentedLine()
        #expect(try JSONLines.line(record) == expected)
        // And the line reads back into the same record.
        let back = try JSONDecoder().decode(MeasuredProfileRecord.self, from: Data(expected.utf8))
        #expect(try JSONLines.line(back) == expected)
        #expect(back.metadata == m.metadata && back.workload == m.workload && back.status == .ok)
    }

    @Test func aFailedLineCarriesTheErrorAndNoMeasurementKeys() throws {
        let (entry, m) = Self.documented
        let record = MeasuredProfileRecord(entry, batch: 16, status: .skipped, error: "batch 1 failed: out of memory",
                                           metadata: m.metadata, settings: MeasurementSettings(warmup: 2, repeats: 10, threads: 1),
                                           timestamp: "T")
        let line = try JSONLines.line(record)
        #expect(line.hasPrefix(#"{"category":"conv","device":"host","error":"batch 1 failed: out of memory","format_version":1,"label":"alexnet:conv1","metadata":{"#))
        #expect(line.contains(#""settings":{"repeats":10,"threads":1,"warmup":2},"status":"skipped","timestamp":"T","workload":{"activation":"relu","batch":16,"#))
        for key in ["latency_ms", "energy_mj", "power_w", "load_avg_1m", "memory"] { #expect(!line.contains("\"\(key)\"")) }
    }

    @Test func aMeasuredLineWritesUnknownEnergyPowerAndLoadAsNull() throws {
        var (entry, m) = Self.documented
        m.loadAverage1m = nil
        m.powerW = .measured(12.5)
        entry.label = "a → b"
        let line = try JSONLines.line(MeasuredProfileRecord(entry, m, settings: MeasurementSettings(), timestamp: "T"))
        #expect(line.contains(#""energy_mj":null,"#) && line.contains(#""load_avg_1m":null,"#) && line.contains(#""power_w":12.5,"#))
        #expect(!line.contains("power_unavailable") && line.contains(#""label":"a → b""#))
    }

    @Test func resumingStopsAtALineThatIsNotAProfilingLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let good = try Self.documentedLine()
        for (line, why) in [(good.replacingOccurrences(of: "\"samples\":10", with: "\"sample\":10"), "unknown key 'sample'"),
                            (good.replacingOccurrences(of: "\"status\":\"ok\"", with: "\"status\":\"done\""), "'status' must be ok, failed or skipped, got 'done'"),
                            (good.replacingOccurrences(of: "\"in_c\":3,", with: ""), "missing 'workload.in_c'")] {
            try (good + "\n" + line + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: MeasurementError.invalidSettings("\(path):2: \(why); the dataset is damaged, not resuming")) {
                _ = try ProfileResume(path: path)
            }
        }
    }
}
