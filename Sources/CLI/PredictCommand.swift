import ArgumentParser
import Foundation
import NASArchitecture
import NASPredictors
import NASSupport

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict every layer of a sample file; score the predictions where the lines carry measurements.",
        discussion: """
        Lines may be in the public Sponner et al. format ({"path", "sample"}) or `nas profile` output (a "workload"
        object). A line that cannot be read (malformed JSON, an impossible shape, another device's measurement) is
        skipped with one line on stderr saying why. Prints one prediction per line, then, for lines with measurements, MAPE, median APE and the share
        within ±10 % per workload and metric.
        """)

    @Option(help: "Device id: \(DeviceSpec.allIDs.joined(separator: ", ")).", transform: DeviceID.parse) var device: DeviceID
    @Option(help: "Sample file (JSON lines).") var samples: String
    @Option(help: "Read the bundle from this directory instead of the shipped one.") var bundle: String?
    @Flag(help: "Print JSON lines (one per sample, then one summary object).") var json = false

    func run() throws {
        let predictor = try bundle.map { try DevicePredictor(directory: $0) } ?? PredictorCatalog.load(device: device.id)
        guard predictor.spec.id == device.id else {
            throw ValidationError("the bundle in \(bundle ?? "?") is for '\(predictor.spec.id)', not '\(device)'")
        }
        // Scoring is not training: a bad line costs its own prediction, not the whole file's.
        let data = try DatasetReader.read(path: samples, device: predictor.spec, badLines: .skip)
        if data.samples.isEmpty, let first = data.rejected.first {
            let more = data.rejected.count - 1
            let others = more > 0 ? " (and \(more) more line\(more == 1 ? "" : "s"))" : ""
            throw ValidationError("no usable line in \(samples): \(first.source): \(first.reason)\(others)")
        }
        for r in data.rejected {
            FileHandle.standardError.write(Data("nas predict: skipped \(r.source): \(r.reason)\n".utf8))
        }
        let metrics: [Metric] = [.latency, .power, .energy, .memory, .deviceMemory]
        // (kind, metric) → (actual, predicted)
        var pairs: [WorkloadKind: [Metric: ([Double], [Double])]] = [:]
        if !json {
            print("device \(predictor.spec.id): \(predictor.status)")
            if !predictor.isCalibrated { print("latency is the analytic roofline (\(BundleManifest.uncalibratedStatus)), never learnt") }
        }
        for s in data.samples {
            let e = predictor.predict(s.workload)
            var fields: [String: JSONValue] = ["source": .string(s.source), "workload": .string(s.workload.description)]
            var parts: [String] = []
            for metric in metrics {
                let predicted = e.value(metric)
                let measured = s.measurements.value(metric)
                if case .unavailable = predicted, measured == nil { continue }
                var text = "\(metric.rawValue) \(PredictorOutput.value(predicted, metric.unit))"
                var entry: [String: JSONValue] = ["predicted": PredictorOutput.json(predicted)]
                if let m = measured {
                    entry["measured"] = .number(m)
                    if let p = predicted.value, m > 0 {
                        let ape = 100 * abs(p - m) / m
                        entry["ape"] = .number(ape)
                        text += " (measured \(PredictorOutput.number(m)), APE \(String(format: "%.1f", ape)) %)"
                        pairs[s.workload.kind, default: [:]][metric, default: ([], [])].0.append(m)
                        pairs[s.workload.kind, default: [:]][metric, default: ([], [])].1.append(p)
                    } else {
                        text += " (measured \(PredictorOutput.number(m)))"
                    }
                }
                fields[metric.rawValue] = .object(entry)
                parts.append(text)
            }
            if let c = e.caveat { fields["caveat"] = .string(c) }
            if json {
                print(JSONValue.object(fields).serialized(pretty: false))
            } else {
                print("\(s.source)  \(s.workload.description)")
                print("    " + parts.joined(separator: "; ") + (e.caveat.map { "  [\($0)]" } ?? ""))
            }
        }
        // Error summary.
        var summary: [String: JSONValue] = [:]
        var table = Table(["workload", "metric", "n", "MAPE", "median APE", "within ±10 %"], leftAligned: [0, 1])
        for kind in WorkloadKind.allCases {
            for metric in metrics {
                guard let (actual, predicted) = pairs[kind]?[metric], !actual.isEmpty else { continue }
                let s = Scores(actual: actual, predicted: predicted)
                table.add([kind.rawValue, metric.rawValue, String(s.count), String(format: "%.1f %%", s.mape),
                           String(format: "%.1f %%", s.medianAPE), String(format: "%.0f %%", s.within10)])
                summary["\(kind.rawValue)/\(metric.rawValue)"] = .object([
                    "n": JSONValue(s.count), "mape": .number(s.mape), "median_ape": .number(s.medianAPE),
                    "within_10pct": .number(s.within10)])
            }
        }
        if json {
            print(JSONValue.object(["summary": .object(summary), "device": .string(predictor.spec.id),
                                    "calibrated": .bool(predictor.isCalibrated), "samples": JSONValue(data.samples.count),
                                    "skipped": JSONValue(data.rejected.count)]).serialized(pretty: false))
        } else if !summary.isEmpty {
            print("")
            print("error summary (\(data.samples.count) samples, \(data.rejected.count) skipped):")
            print(table.text(rule: true))
        } else {
            print("")
            print("no measurements in \(samples): nothing to score")
        }
    }
}
