import Foundation
import NASPredictors
import NASSearch

/// The one line a predicting command prints, before any table, for each device it uses without a learnt
/// predictor: an uncalibrated figure must never look like a calibrated one.
enum UncalibratedWarning {
    /// "warning: xu4 is uncalibrated (no measurements): its costs are the analytic roofline …"
    static func line(device: String, status: String) -> String {
        var why = status
        if why.hasPrefix("uncalibrated: ") { why.removeFirst("uncalibrated: ".count) }
        return "warning: \(device) is uncalibrated (\(why)): its costs are the analytic roofline max(FLOPs/peak, bytes/bandwidth), not learnt from measurements, and can be off by several times"
    }

    static func emit(_ predictors: [DevicePredictor]) {
        for p in predictors where !p.isCalibrated { write(line(device: p.spec.id, status: p.status)) }
    }

    /// For a run: from the estimator identities its config.json recorded when it was created.
    static func emit(_ configuration: SearchConfiguration) {
        for device in configuration.uncalibratedDevices {
            write(line(device: device, status: configuration.estimatorIdentities[device]?["status"] ?? "no learnt predictor"))
        }
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
