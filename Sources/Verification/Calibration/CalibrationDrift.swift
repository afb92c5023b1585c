import Foundation
import NASArchitecture
import NASMeasurement
import NASPredictors
import NASSearch
import NASSupport

/// How this machine runs one network of its calibration set now, against when the calibration measured it.
///
/// A split-conformal bound assumes that later networks are measured like the calibration set was. On a VM
/// the speed can drift between sessions (docs/verification.md found 9–22 % minutes apart), and then the bound
/// is wrong however well it was calibrated. `nas verify` re-times one zoo network of the calibration set, with
/// the calibration's settings, and reports the ratio beside the guarantee.
public struct CalibrationDrift: Sendable, Equatable {
    public var network: String
    public var calibratedMs: Double
    public var nowMs: Double
    /// now / calibrated: above 1 when the machine runs slower than during calibration.
    public var ratio: Double { nowMs / calibratedMs }

    /// The zoo network of the calibration folder's records nearest 10 ms (long enough to time steadily, short
    /// enough to cost a second), or nil when the folder has no zoo record whose file is in `zooDirectory`.
    public static func reference(calibrationFolder: String, zooDirectory: String) throws -> (CalibrationRecord, ResolvedNetwork)? {
        let path = (calibrationFolder as NSString).appendingPathComponent("work/calibration.jsonl")
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let zoo = try JSONLines.read(CalibrationRecord.self, from: path).filter { $0.network.hasPrefix("zoo:") }
        for record in zoo.sorted(by: { abs(log($0.measuredMs / 10)) < abs(log($1.measuredMs / 10)) }) {
            let file = (zooDirectory as NSString).appendingPathComponent(String(record.network.dropFirst(4)) + ".json")
            guard FileManager.default.fileExists(atPath: file) else { continue }
            var architecture = try Architecture.load(path: file)
            architecture.batch = record.batch
            return (record, try architecture.resolved())
        }
        return nil
    }

    /// Where `nas calibrate` reads its zoo by default, and so where the reference networks are found.
    public static let defaultZoo = "SearchSpaces/zoo"

    /// Re-times the reference network of the calibration folder `predictor` was loaded from (its bundle's parent),
    /// at the thread count it was profiled with; nil for a predictor that is not from a calibration folder.
    public static func measure(_ predictor: DevicePredictor, backend: MeasurementBackend,
                               zooDirectory: String = defaultZoo) throws -> CalibrationDrift? {
        guard let bundle = predictor.directory else { return nil }
        let threads = predictor.manifest.trainingData.lazy.flatMap(\.machines).compactMap(\.threads).first ?? 1
        return try measure(calibrationFolder: (bundle as NSString).deletingLastPathComponent, zooDirectory: zooDirectory,
                           backend: backend, threads: threads)
    }

    /// Re-times the reference network with the calibration's whole-network settings.
    public static func measure(calibrationFolder: String, zooDirectory: String, backend: MeasurementBackend,
                               threads: Int) throws -> CalibrationDrift? {
        guard let (record, network) = try reference(calibrationFolder: calibrationFolder, zooDirectory: zooDirectory) else { return nil }
        let settings = try HostCalibrator.networkSettings(threads: threads)
        let m = try backend.measureNetwork(network, settings: settings)
        return CalibrationDrift(network: record.network, calibratedMs: record.measuredMs, nowMs: m.latency.medianMs)
    }

    public var line: String {
        let change = String(format: "%+.1f %%", 100 * (ratio - 1))
        return "drift since calibration: \(network) takes \(Quantity.formatNumber(nowMs, significant: 4)) ms now, \(Quantity.formatNumber(calibratedMs, significant: 4)) ms when calibrated (\(change)); the bound assumes the machine runs as it did then" + (abs(ratio - 1) > 0.05 ? ": a drift this large shifts every measured latency against the bound by as much" : "")
    }
}
