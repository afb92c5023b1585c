import Foundation
import Testing
import NASArchitecture
@testable import NASPredictors
import NASSupport

/// Issue #11 item 3: the network-level correction on the sum of layer predictions.
@Suite struct NetworkLatencyCorrectionTests {
    /// Networks whose end-to-end time departs from their layer sum by a known law.
    static func samples(_ beta: [Double], count: Int = 60, seed: UInt64 = 5) -> [NetworkLatencyCorrection.Sample] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let layers = 5 + rng.below(40)
            let small = rng.below(layers + 1)
            let sum = 0.5 + Double(rng.below(1000)) / 20
            let f = NetworkLatencyCorrection.factor(beta, sumMs: sum, layers: layers, smallLayers: small)
            return .init(sumMs: sum, layers: layers, smallLayers: small, measuredMs: sum * f)
        }
    }

    @Test func theFitRecoversAKnownDepartureAndCrossValidationChoosesIt() throws {
        let beta = [0.2, -0.05, 0.04, 0.3]
        let c = try NetworkLatencyCorrection.fit(Self.samples(beta), seed: 1, source: "test")
        for (got, want) in zip(c.coefficients, beta) { #expect(abs(got - want) < 1e-3, "\(c.coefficients)") }
        #expect(c.applied && c.corrected.mape < 1e-3 && c.plain.mape > 0.1, "\(c.plain) \(c.corrected)")
        #expect(c.networks == 60)
    }

    @Test func withNoDepartureThePlainSumIsKept() throws {
        let c = try NetworkLatencyCorrection.fit(Self.samples([0, 0, 0, 0]), seed: 1, source: "test")
        #expect(!c.applied, "\(c.plain) \(c.corrected)")
        #expect(c.factor(sumMs: 3, layers: 10, smallLayers: 2) == 1, "not applied: the factor is 1")
    }

    @Test func theFactorIsClampedToAFactorOfTwo() {
        #expect(NetworkLatencyCorrection.factor([5, 0, 0, 0], sumMs: 1, layers: 3, smallLayers: 0) == 2)
        #expect(NetworkLatencyCorrection.factor([-5, 0, 0, 0], sumMs: 1, layers: 3, smallLayers: 0) == 0.5)
    }

    @Test func tooFewOrBrokenSamplesAreRefused() throws {
        #expect(throws: PredictorError.self) { try NetworkLatencyCorrection.fit(Self.samples([0.1, 0, 0, 0], count: 19), seed: 1, source: "t") }
        var bad = Self.samples([0.1, 0, 0, 0])
        bad[3].measuredMs = .nan
        #expect(throws: PredictorError.self) { try NetworkLatencyCorrection.fit(bad, seed: 1, source: "t") }
        bad = Self.samples([0.1, 0, 0, 0])
        bad[0].smallLayers = bad[0].layers + 1
        #expect(throws: PredictorError.self) { try NetworkLatencyCorrection.fit(bad, seed: 1, source: "t") }
    }

    @Test func theFileRoundTripsAndADamagedOneIsRefusedWithItsPath() throws {
        let c = try NetworkLatencyCorrection.fit(Self.samples([0.1, 0.02, 0, -0.2]), seed: 3, source: "test networks")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nas-correction-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/" + NetworkLatencyCorrection.fileName
        try c.write(to: path)
        #expect(try NetworkLatencyCorrection(file: path) == c)
        for damaged in ["{", "[]", "{\"format_version\": 2}",
                        c.fileText.replacingOccurrences(of: "\"networks\": 60", with: "\"networks\": 3"),
                        c.fileText.replacingOccurrences(of: "\"applied\"", with: "\"apply\"")] {
            try damaged.write(toFile: path, atomically: true, encoding: .utf8)
            #expect {
                try NetworkLatencyCorrection(file: path)
            } throws: { error in
                "\(error)".contains(path + ": corrupt network correction")
            }
        }
    }

    @Test func totalsAndEstimatesApplyTheSameFactorAndSaySo() throws {
        let shipped = try PredictorCatalog.load(device: "pi4")
        let bundle = try PredictorBundle.load(directory: try #require(shipped.directory))
        let c = try NetworkLatencyCorrection.fit(Self.samples([0.3, 0, 0, 0]), seed: 1, source: "test")
        let corrected = DevicePredictor(bundle: bundle, networkCorrection: c)
        let plain = DevicePredictor(bundle: bundle)
        let net = try Architecture.load(path: Support.repoRoot.appendingPathComponent("SearchSpaces/zoo/alexnet.json").path).resolved()
        let sum = try #require(plain.totals(net).latencyMs.value)
        let expected = sum * exp(0.3)   // the coefficients are stored as 32-bit floats: equal to about 1e-7
        #expect(abs(try #require(corrected.totals(net).latencyMs.value) - expected) < 1e-6 * expected)
        let e = corrected.estimate(net)
        #expect(abs(try #require(e.latencyMs.value) - expected) < 1e-6 * expected)
        #expect(e.latencyMs == corrected.totals(net).latencyMs)
        #expect(e.notes.contains { $0.contains("the latency total is the layer sum × 1.350") })
        #expect(plain.estimate(net).notes.allSatisfy { !$0.contains("layer sum ×") })
        #expect(corrected.identity["network_correction_sha256"] == c.sha256)
    }
}
