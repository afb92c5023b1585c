import Foundation
import Testing
@testable import NASPredictors

/// Issue #11 item 4: the split-conformal arithmetic on fixed scores, and the bound's file.
@Suite struct NetworkLatencyBoundTests {
    @Test func rankIsTheFiniteSampleCorrectedQuantile() {
        // k = ⌈(n + 1)·c⌉, and no bound when k > n.
        #expect(NetworkLatencyBound.rank(networks: 9, confidence: 0.9) == 9)
        #expect(NetworkLatencyBound.rank(networks: 8, confidence: 0.9) == nil)
        #expect(NetworkLatencyBound.rank(networks: 10, confidence: 0.9) == 10)      // ⌈9.9⌉
        #expect(NetworkLatencyBound.rank(networks: 60, confidence: 0.9) == 55)      // ⌈54.9⌉
        #expect(NetworkLatencyBound.rank(networks: 19, confidence: 0.95) == 19)     // (n + 1)·c = 19 exactly
        #expect(NetworkLatencyBound.rank(networks: 99, confidence: 0.99) == 99)     // 99 exactly
        #expect(NetworkLatencyBound.rank(networks: 100, confidence: 0.5) == 51)     // ⌈50.5⌉
        #expect(NetworkLatencyBound.rank(networks: 3, confidence: 0.1) == 1)
        #expect(NetworkLatencyBound.rank(networks: 10, confidence: 0) == nil)
        #expect(NetworkLatencyBound.rank(networks: 10, confidence: 1) == nil)
        #expect(NetworkLatencyBound.rank(networks: 0, confidence: 0.5) == nil)
        #expect(NetworkLatencyBound.networksNeeded(confidence: 0.9) == 9)
        #expect(NetworkLatencyBound.networksNeeded(confidence: 0.95) == 19)
    }

    @Test func factorIsTheExponentOfTheRankedScore() throws {
        // Ten networks measured 0.95, 1.00, …, 1.40 × their predictions, given out of order.
        let ratios = (0..<10).map { 0.95 + 0.05 * Double($0) }.reversed().map { log($0) }
        let bound = try NetworkLatencyBound(logRatios: ratios, source: "test")
        #expect(bound.logRatios == bound.logRatios.sorted())
        #expect(abs(try #require(bound.factor(confidence: 0.9)) - 1.40) < 1e-12)   // rank 10 of 10
        #expect(abs(try #require(bound.factor(confidence: 0.5)) - 1.20) < 1e-12)   // rank ⌈5.5⌉ = 6
        #expect(bound.factor(confidence: 0.95) == nil)                              // needs 19
        #expect(throws: PredictorError.self) { try NetworkLatencyBound(logRatios: [], source: "") }
        #expect(throws: PredictorError.self) { try NetworkLatencyBound(logRatios: [.nan], source: "") }
        #expect(throws: PredictorError.self) { try NetworkLatencyBound(logRatios: [25], source: "") }
    }

    @Test func fileRoundTripsAndDamageIsRefusedWithItsPath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nas-bound-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/" + NetworkLatencyBound.fileName
        let bound = try NetworkLatencyBound(logRatios: [0.1, -0.05, 0.2], source: "three networks")
        try bound.write(to: path)
        #expect(try NetworkLatencyBound(file: path) == bound)
        let good = try String(contentsOfFile: path, encoding: .utf8)
        let damaged = [
            good.replacingOccurrences(of: "\"networks\": 3", with: "\"networks\": 4"),
            good.replacingOccurrences(of: "-0.05", with: "0.5"),                      // no longer ascending
            good.replacingOccurrences(of: "\"source\"", with: "\"extra\": 1, \"source\""),
            good.replacingOccurrences(of: "\"format_version\": 1", with: "\"format_version\": 2"),
            String(good.prefix(good.count / 2)),
            "",
        ]
        for text in damaged {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let error = #expect(throws: PredictorError.self) { try NetworkLatencyBound(file: path) }
            #expect(error?.message.hasPrefix(path + ": ") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aBundleWithADamagedBoundIsRefusedNotUsedWithoutIt() throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Predictors/Resources/bundles/pi4")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("nas-bound-bundle-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: shipped, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let plain = try DevicePredictor(directory: copy.path)
        #expect(plain.latencyBound == nil && plain.identity["network_bound_sha256"] == nil)
        let bound = try NetworkLatencyBound(logRatios: [0.1, 0.2], source: "two")
        try bound.write(to: copy.path + "/" + NetworkLatencyBound.fileName)
        let bounded = try DevicePredictor(directory: copy.path)
        #expect(bounded.latencyBound == bound)
        #expect(bounded.identity["network_bound_sha256"] == bound.sha256)
        try "{".write(toFile: copy.path + "/" + NetworkLatencyBound.fileName, atomically: true, encoding: .utf8)
        #expect(throws: PredictorError.self) { try DevicePredictor(directory: copy.path) }
    }
}
