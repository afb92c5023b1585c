import ArgumentParser
import Foundation
import NASArchitecture
import NASMeasurement
import NASPredictors
import NASSearch
import NASVerification

/// `nas calibrate --device host`: this machine's predictor in one resumable command.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Make this machine's host predictor: profile, train and check it on whole networks (resumable).",
        discussion: """
            Profiles isolated layers (as nas profile) and layers inside whole random networks of every shipped \
            search space, trains the host bundle from both, then predicts and measures a calibration set of whole \
            networks and prints the errors. Everything goes to --out (default: a folder per machine fingerprint \
            under $XDG_DATA_HOME/nas/devices, where every nas command on this machine then finds the predictor). \
            Running the command again continues a killed calibration and retrains.
            """
    )

    @Option(help: "The device to calibrate: host (other devices are covered by their shipped predictors).", transform: DeviceID.parse)
    var device = DeviceID.host
    @Option(help: "Total time, e.g. 6m (default) or 2m for a quick, coarser calibration.", transform: TimeSpan.parse)
    var budget = try! TimeSpan.parse("6m")
    @Option(help: "CPU threads to calibrate for (default 1: steady on a shared machine).") var threads = 1
    @Option(help: "Folder to write into (default: this machine's folder under $XDG_DATA_HOME/nas/devices).") var out: String?
    @Option(help: "Directory of architecture JSON files for the isolated layers and the calibration set.") var zoo = CalibrationDrift.defaultZoo
    @Option(help: "Seed of the sampled networks and workloads.") var seed: UInt64 = 1

    func validate() throws {
        guard device == .host else {
            throw ValidationError("--device \(device): only the host can be calibrated here (the seven targets ship with predictors; measure a remote device with nas profile --backend agent:'…')")
        }
        _ = try OptionCheck.measurement(warmup: 1, repeats: 1, threads: threads)
        _ = try CalibrationPlan(budgetSeconds: budget.seconds, threads: threads, seed: seed)
        var isDirectory: ObjCBool = false
        if let out, FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ValidationError("--out \(out) is a file; give a folder to calibrate into (it is made if missing)")
        }
    }

    func run() throws {
        let plan = try CalibrationPlan(budgetSeconds: budget.seconds, threads: threads, seed: seed)
        guard let directory = out ?? DeviceSpec.hostFingerprint.flatMap({ CalibrationStore.directory(for: $0, threads: threads) }) else {
            throw ValidationError("no $XDG_DATA_HOME or $HOME to keep the calibration in: give --out DIR")
        }
        let start = Date()
        let calibrator = try HostCalibrator(plan: plan, directory: directory, backend: try HostBackend(),
                                            zoo: try WorkloadCatalog.loadZoo(directory: zoo)) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        let outcome = try calibrator.run()
        print(CalibrationSummary.text(outcome, directory: directory, seconds: Date().timeIntervalSince(start),
                                      isDefaultLocation: out == nil))
    }
}

/// What `nas calibrate` prints at the end.
enum CalibrationSummary {
    static func text(_ o: HostCalibrator.Outcome, directory: String, seconds: Double, isDefaultLocation: Bool) -> String {
        var lines = ["calibrated host in \(Int(seconds.rounded())) s: \(o.isolatedSamples) isolated layers, \(o.inContextSamples) layers in context"]
        let cv = [WorkloadKind.conv2d, .dense, .maxPool2d, .avgPool2d].compactMap { kind -> String? in
            guard let e = o.manifest.entry(kind, .latency), e.chosen != nil else { return nil }
            return "\(kind.rawValue) \(String(format: "%.1f %%", e.scores.mape))"
        }
        lines.append("layer latency, cross-validated MAPE: " + (cv.isEmpty ? "no learnt model" : cv.joined(separator: ", ")))
        switch o.correction {
        case .success(let c): lines.append(c.summary)
        case .failure(let why): lines.append("network-level correction: none (\(why))")
        }
        if let s = o.scores {
            let corrected = (try? o.correction.get())?.applied == true
            let plain = corrected ? o.plainScores.map { "; the plain layer sum: MAPE \(percent($0.mape)), median measured/predicted \(String(format: "%.3f", $0.medianRatio))" } ?? "" : ""
            lines.append("whole networks of the calibration set (\(s.networks), never trained on; \(corrected ? "corrected layer sum" : "sum of layer predictions") vs end to end): MAPE \(percent(s.mape)), median APE \(percent(s.medianAPE)), \(percent(s.within10)) within ±10 %, \(percent(s.underPredicted)) predicted faster than measured (median measured/predicted \(String(format: "%.3f", s.medianRatio)))" + plain)
        } else {
            lines.append("whole networks: none measured (the budget ran out first); run the command again to continue")
        }
        lines.append(boundLine(o.bound))
        lines.append("predictor: \(directory)/host" + (isDefaultLocation ? " (found automatically by every nas command on this machine)" : " (use it with NAS_BUNDLES=\(directory))"))
        return lines.joined(separator: "\n")
    }

    static func boundLine(_ bound: NetworkLatencyBound?) -> String {
        let c = SearchDefaults.confidence
        guard let bound else { return "latency bound: none (no random network of the calibration set was measured)" }
        guard let f = bound.factor(confidence: c) else {
            return "latency bound: none at \(percent(c)) yet: \(bound.networks) random networks measured, \(NetworkLatencyBound.networksNeeded(confidence: c)) needed; run the command again to measure more"
        }
        return "latency bound at \(percent(c)) confidence: measured ≤ predicted × \(String(format: "%.3f", f)) (split-conformal over \(bound.networks) random networks; searches use it for their latency budgets)"
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f %%", 100 * x) }
}
