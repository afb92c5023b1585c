import Foundation
import Testing
import NASArchitecture
import NASMeasurement
import NASPredictors
import NASSupport
@testable import NASVerification

@Suite struct CalibrationScoreTests {
    static func record(_ name: String, predicted: Double, measured: Double) -> CalibrationRecord {
        CalibrationRecord(network: name, batch: 1, layers: 3, predictedMs: predicted, measuredMs: measured, timestamp: "")
    }

    @Test func scoresByHand() throws {
        // Errors: −10 %, +25 %, −50 %, +5 %.
        let s = try #require(CalibrationScores([Self.record("a", predicted: 9, measured: 10), Self.record("b", predicted: 25, measured: 20),
                                                Self.record("c", predicted: 5, measured: 10), Self.record("d", predicted: 21, measured: 20)]))
        #expect(abs(s.mape - 0.225) < 1e-12)
        #expect(abs(s.medianAPE - 0.175) < 1e-12)        // (0.10 + 0.25) / 2
        #expect(s.within10 == 0.5)                        // −10 % (at the edge) and +5 %
        #expect(s.underPredicted == 0.5)
        #expect(abs(s.medianRatio - (10.0 / 9 + 20.0 / 21) / 2) < 1e-12) // ratios 0.8, 0.952, 1.111, 2
        #expect(CalibrationScores([]) == nil)
    }

    @Test func budgetsOutsideTheRangeAreRefused() {
        #expect(throws: CalibrationError.self) { try CalibrationPlan(budgetSeconds: 10, threads: 1, seed: 1) }
        #expect(throws: CalibrationError.self) { try CalibrationPlan(budgetSeconds: .nan, threads: 1, seed: 1) }
        #expect(throws: CalibrationError.self) { try CalibrationPlan(budgetSeconds: 1e9, threads: 1, seed: 1) }
        #expect((try? CalibrationPlan(budgetSeconds: 120, threads: 1, seed: 1))?.isolatedSeconds == 42)
    }
}

/// A whole calibration of a toy zoo, run twice: the second run continues the first without repeating anything.
@Suite struct HostCalibrationRunTests {
    @Test func calibratesAndResumesWithoutDuplicates() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nas-calibrate-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let zoo = [("lenet5", try Architecture.load(path: repoRoot + "/SearchSpaces/zoo/lenet5.json").resolved())]
        let plan = CalibrationPlan(testBudgetSeconds: 8, threads: 1, seed: 3)
        func calibrate() throws -> HostCalibrator.Outcome {
            try HostCalibrator(plan: plan, directory: dir, backend: try HostBackend(), zoo: zoo,
                               progress: ProgressReporter(style: .silent), log: { _ in }).run()
        }
        let first = try calibrate()
        #expect(first.isolatedSamples > 0 && first.inContextSamples > 0)
        #expect(first.manifest.calibrated)
        #expect(first.manifest.trainingData.map(\.file) == ["isolated.jsonl", "in-context.jsonl"])
        #expect(FileManager.default.fileExists(atPath: dir + "/host/manifest.json"))
        let second = try calibrate()
        #expect(second.isolatedSamples >= first.isolatedSamples)
        #expect(second.inContextSamples >= first.inContextSamples)
        #expect(second.records.count >= first.records.count)
        #expect(Set(second.records.map(\.network)).count == second.records.count)
        // Every in-context network is written once, whole.
        let lines = try String(contentsOfFile: dir + "/work/in-context.jsonl", encoding: .utf8).split(separator: "\n")
        let labels = lines.compactMap { line -> String? in
            guard let r = line.range(of: "\"label\":\"") else { return nil }
            return String(line[r.upperBound...].prefix { $0 != "\"" })
        }
        #expect(labels.count == lines.count && Set(labels).count == labels.count)
        // Each network's end-to-end time is written once, after its layers; the correction is fitted from them
        // when there are enough, loads with the bundle, and is gone when there are not.
        let totals = try JSONLines.read(InContextNetworkRecord.self, from: dir + "/work/in-context-networks.jsonl")
        #expect(Set(totals.map(\.network)).count == totals.count)
        let networksWithLayers = Set(labels.map { String($0.prefix { $0 != "#" }) })
        #expect(!totals.isEmpty && totals.allSatisfy { networksWithLayers.contains($0.network) && $0.measuredMs > 0 })
        let correctionFile = dir + "/host/" + NetworkLatencyCorrection.fileName
        switch second.correction {
        case .success(let c):
            #expect(c.networks == totals.count)
            #expect(try NetworkLatencyCorrection(file: correctionFile) == c)
            #expect(try DevicePredictor(directory: dir + "/host").identity["network_correction_sha256"] == c.sha256)
        case .failure(let why):
            #expect(totals.count < NetworkLatencyCorrection.minimumNetworks, "\(why)")
            #expect(!FileManager.default.fileExists(atPath: correctionFile))
        }
        // The bound comes from the space samples measured, is in the bundle, and loads with it.
        let drawn = second.records.filter { $0.network.hasPrefix(CalibrationNetworks.spacePrefix) }
        if drawn.isEmpty {
            #expect(second.bound == nil && !FileManager.default.fileExists(atPath: dir + "/host/" + NetworkLatencyBound.fileName))
        } else {
            let bound = try #require(second.bound)
            #expect(bound.networks == drawn.count)
            #expect(try NetworkLatencyBound(file: dir + "/host/" + NetworkLatencyBound.fileName) == bound)
            #expect(try DevicePredictor(directory: dir + "/host").identity["network_bound_sha256"] == bound.sha256)
        }
        // The bundle records this machine, so the catalog will take it for the host here.
        #expect(second.manifest.trainingData.allSatisfy { !$0.machines.isEmpty })
    }

    var repoRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }
}

/// `nas verify` re-times one zoo network of the calibration set to show how far the machine drifted.
@Suite struct CalibrationDriftTests {
    static let repo: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    func folder(_ records: [CalibrationRecord]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nas-drift-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/work", withIntermediateDirectories: true)
        let text = try records.map { try JSONLines.line($0) }.joined(separator: "\n") + "\n"
        try text.write(toFile: dir + "/work/calibration.jsonl", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func theReferenceIsTheZooNetworkNearestTenMilliseconds() throws {
        let dir = try folder([CalibrationScoreTests.record("space:cifar-32:0", predicted: 9, measured: 10),
                              CalibrationScoreTests.record("zoo:lenet5", predicted: 0.05, measured: 0.06),
                              CalibrationScoreTests.record("zoo:not_in_the_zoo", predicted: 9, measured: 10),
                              CalibrationScoreTests.record("zoo:mobilenet_v1", predicted: 14, measured: 14.2),
                              CalibrationScoreTests.record("zoo:alexnet", predicted: 30, measured: 31.7)])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (record, network) = try #require(try CalibrationDrift.reference(calibrationFolder: dir, zooDirectory: Self.repo + "/SearchSpaces/zoo"))
        #expect(record.network == "zoo:mobilenet_v1" && network.architecture.name.lowercased().contains("mobilenet"))
        #expect(try CalibrationDrift.reference(calibrationFolder: dir + "/nowhere", zooDirectory: Self.repo + "/SearchSpaces/zoo") == nil)
        let slower = CalibrationDrift(network: "zoo:mobilenet_v1", calibratedMs: 14.2, nowMs: 15.62)
        #expect(abs(slower.ratio - 1.1) < 1e-12)
        #expect(slower.line.contains("(+10.0 %)") && slower.line.contains("a drift this large"))
        #expect(!CalibrationDrift(network: "n", calibratedMs: 10, nowMs: 10.2).line.contains("a drift this large"))
    }

    @Test func reTimingMeasuresTheReferenceOnTheHost() throws {
        let dir = try folder([CalibrationScoreTests.record("zoo:lenet5", predicted: 0.05, measured: 0.06)])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let drift = try #require(try CalibrationDrift.measure(calibrationFolder: dir, zooDirectory: Self.repo + "/SearchSpaces/zoo",
                                                              backend: try HostBackend(), threads: 1))
        #expect(drift.network == "zoo:lenet5" && drift.calibratedMs == 0.06 && drift.nowMs > 0)
    }
}
