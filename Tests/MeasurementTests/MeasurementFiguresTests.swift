import Foundation
import Testing
import NASArchitecture
@testable import NASMeasurement

@Suite(.serialized) struct MeasurementFigures {
    let quick = MeasurementSettings(warmup: 1, repeats: 3, threads: 1)

    @Test func layerMemoryIsInputOutputWeightsAndScratchpad() throws {
        // 64 channels: every blocked layout oneDNN may pick holds these tensors without padding.
        let w = conv(2, 20, 20, 64, oc: 64, k: (3, 3), pad: (1, 1, 1, 1), act: .relu)
        let m = try HostBackend().measureLayer(w, settings: quick)
        #expect(m.memory.inputBytes == 2 * 64 * 20 * 20 * 4)
        #expect(m.memory.outputBytes == 2 * 64 * 20 * 20 * 4)
        #expect(m.memory.weightsBytes == (64 * 64 * 3 * 3 + 64) * 4)
        #expect(m.latency.samples == 3)
        #expect(m.implementation.count == 1)

        let p = try HostBackend().measureLayer(pool(.maxPool2d, 1, 16, 16, 32, k: (2, 2), s: (2, 2)), settings: quick)
        #expect(p.memory.weightsBytes == 0)
        #expect(p.memory.inputBytes == 16 * 16 * 32 * 4)
        #expect(p.memory.outputBytes == 8 * 8 * 32 * 4)

        let d = try HostBackend().measureLayer(.dense(batch: 4, inputs: 128, units: 64), settings: quick)
        #expect(d.memory.inputBytes == 4 * 128 * 4)
        #expect(d.memory.outputBytes == 4 * 64 * 4)
        #expect(d.memory.weightsBytes == (128 * 64 + 64) * 4)
    }

    @Test func networkPeakIsWeightsPlusTheWorstStep() throws {
        let net = try Architecture(json: Data("""
        {"name": "peak", "input": [16, 16, 16], "batch": 2, "layers": [
          {"type": "conv2d", "filters": 32, "kernel": 3, "padding": "same", "activation": "relu"},
          {"type": "max_pool2d", "pool_size": 2},
          {"type": "conv2d", "filters": 64, "kernel": 3, "padding": "same"},
          {"type": "global_avg_pool2d"},
          {"type": "dense", "units": 10, "activation": "softmax"}]}
        """.utf8)).resolved()
        let backend = try HostBackend()
        // Scratchpad sizes depend on the thread count the primitives are created for.
        _ = try backend.metadata(settings: quick)
        let program = try backend.networkProgram(net, batch: 2)
        // The first convolution's step holds at least its input (2×16×16×16 f32) and output (2×16×16×32 f32).
        #expect(program.liveBytesPerStep.max()! >= 2 * 16 * 16 * 16 * 4 + 2 * 16 * 16 * 32 * 4)
        let analyticWeights = net.figures(batch: 2).weightBytes
        #expect(program.weightsBytes >= analyticWeights)
        let m = try backend.measureNetwork(net, settings: quick)
        #expect(m.peakMemoryBytes == program.peakMemoryBytes)
        #expect(m.layers.count == 5)
        // The largest activation pair: the first conv's 16×16×16 input and 16×16×32 output.
        #expect(m.peakMemoryBytes >= m.weightsBytes + 2 * 16 * 16 * (16 + 32) * 4)
        #expect(m.layers.allSatisfy { $0.latency != nil })
    }

    @Test func fusedActivationsHaveNoTimeOfTheirOwn() throws {
        let net = try Architecture(json: Data("""
        {"name": "fused", "input": [8, 8, 8], "layers": [
          {"type": "conv2d", "filters": 16, "kernel": 3},
          {"type": "activation", "function": "relu"},
          {"type": "flatten"},
          {"type": "dense", "units": 4}]}
        """.utf8)).resolved()
        let m = try HostBackend().measureNetwork(net, settings: quick)
        #expect(m.layers[1].latency == nil)
        #expect(m.layers[1].fusedInto == 0)
        #expect(m.layers[2].latency == nil)
        #expect(m.layers[3].latency != nil)
    }

    @Test func energyIsUnavailableWithAReasonNotZero() throws {
        let m = try HostBackend().measureLayer(.dense(batch: 1, inputs: 16, units: 8), settings: quick)
        if case .failure = EnergyCounter.open() {
            guard case .unavailable(let reason) = m.energyJ else {
                Issue.record("energy must be unavailable on a machine without RAPL, got \(m.energyJ)")
                return
            }
            #expect(reason.contains("RAPL"))
            #expect(m.energyJ.value == nil)
            #expect(m.powerW.value == nil)
            let json = String(decoding: try JSONEncoder().encode(m), as: UTF8.self)
            #expect(json.contains("\"energy_j\":{"))
            #expect(json.contains("\"status\":\"unavailable\""))
        }
        let missing = EnergyCounter.open(root: "/nonexistent/powercap")
        guard case .failure(let e) = missing else { Issue.record("a missing powercap root must fail"); return }
        #expect(e.reason.contains("/nonexistent/powercap"))
    }

    @Test func raplCountersAreReadAndWrapAround() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("powercap-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let zone = root.appendingPathComponent("intel-rapl:0")
        try FileManager.default.createDirectory(at: zone, withIntermediateDirectories: true)
        try "1000\n".write(to: zone.appendingPathComponent("energy_uj"), atomically: true, encoding: .utf8)
        try "262143328850\n".write(to: zone.appendingPathComponent("max_energy_range_uj"), atomically: true, encoding: .utf8)
        // A sub-zone is part of its package and must not be counted twice.
        let sub = root.appendingPathComponent("intel-rapl:0:0")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try "5\n".write(to: sub.appendingPathComponent("energy_uj"), atomically: true, encoding: .utf8)

        guard case .success(let c) = EnergyCounter.open(root: root.path) else { Issue.record("counter should open"); return }
        #expect(c.domains.count == 1)
        #expect(c.read() == [1000])
        #expect(c.joules(from: [1_000_000], to: [3_500_000]) == 2.5)
        #expect(c.joules(from: [262_143_328_850 - 1_000_000], to: [500_000]) == 1.5)

        let unreadable = root.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: unreadable.appendingPathComponent("intel-rapl:0"), withIntermediateDirectories: true)
        guard case .failure(let e) = EnergyCounter.open(root: unreadable.path) else { Issue.record("no energy_uj must fail"); return }
        #expect(e.reason.contains("energy_uj"))
    }

    @Test func outliersBeyondOneAndAHalfIQRAreDropped() throws {
        let s = try LatencyStats(samplesMs: [1.0, 1.1, 0.9, 1.0, 1.05, 0.95, 9.0])
        #expect(s.outliers == 1)
        #expect(s.samples == 7)
        #expect(s.maxMs == 1.1)
        #expect(s.medianMs == 1.0)
        let one = try LatencyStats(samplesMs: [2.5])
        #expect(one.medianMs == 2.5 && one.iqrMs == 0 && one.outliers == 0)
    }

    @Test func resultsAreSnakeCaseJSONThatReadsBack() throws {
        let m = try HostBackend().measureLayer(pool(.avgPool2d, 1, 8, 8, 16, k: (2, 2), s: (2, 2)), settings: quick)
        let data = try JSONEncoder().encode(m)
        let text = String(decoding: data, as: UTF8.self)
        for key in ["\"median_ms\"", "\"iqr_ms\"", "\"input_bytes\"", "\"scratchpad_bytes\"", "\"device_id\":\"host\"",
                    "\"library_version\"", "\"isa\"", "\"in_h\"", "\"power_w\""] {
            #expect(text.contains(key), "missing \(key)")
        }
        #expect(try JSONDecoder().decode(LayerMeasurement.self, from: data) == m)
        #expect(m.metadata.libraryVersion.hasPrefix("2."))
        #expect(m.metadata.threads == 1)
    }

    @Test func badWorkloadsFailWithAMessageNamingThem() throws {
        var w = conv(1, 10, 10, 6, oc: 8, k: (3, 3), g: 4)
        w.outC = 8
        #expect(throws: MeasurementError.self) { try HostBackend().measureLayer(w, settings: quick) }
        var bad = conv(1, 10, 10, 8, oc: 8, k: (3, 3))
        bad.outH = 9
        do {
            _ = try HostBackend().measureLayer(bad, settings: quick)
            Issue.record("an inconsistent output size must be refused")
        } catch let e as MeasurementError {
            #expect(e.description.contains("conv2d b1 10×10×8"))
            #expect(e.description.contains("expected 8×8"))
        }
    }
}
