import ArgumentParser
import Foundation
import NASArchitecture
import NASPredictors
import NASSearch
import NASSupport

struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the target devices, their predictor bundles, metrics, sample counts and CV errors.")

    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        var rows: [JSONValue] = []
        var footnotes: [String] = []
        var table = Table(["device", "name", "status", "samples", "metrics", "latency MAPE conv/dense/max/avg",
                           "conv latency median APE, ±10 %", "power MAPE conv/dense/max/avg"], leftAligned: [0, 1, 2, 4])
        for id in PredictorCatalog.deviceIDs {
            let p = try PredictorCatalog.load(device: id)
            let m = p.manifest
            let metrics = PredictorOutput.availableMetrics(m)
            func mapes(_ metric: Metric) -> String {
                let values = WorkloadKind.allCases.map { k in m.mape(k, metric).map { String(format: "%.0f%%", $0) } ?? "–" }
                return values.allSatisfy { $0 == "–" } ? "–" : values.joined(separator: "/")
            }
            var shortStatus: String
            if !p.isCalibrated {
                shortStatus = "uncalibrated (\(footnotes.count + 1))"
                footnotes.append("\(id): \(p.status)")
            } else if p.status.contains("caution") {
                shortStatus = "learnt, caution (\(footnotes.count + 1))"
                footnotes.append("\(id): \(p.status)")
            } else {
                shortStatus = "learnt"
            }
            if let bound = p.latencyBound {
                let c = SearchDefaults.confidence
                let factor = bound.factor(confidence: c).map { "× " + String(format: "%.3f", $0) } ?? "none yet (\(NetworkLatencyBound.networksNeeded(confidence: c)) networks needed)"
                shortStatus += ", bound (\(footnotes.count + 1))"
                footnotes.append("\(id): whole-network latency bound at \(Int(100 * c)) %: \(factor), split-conformal over \(bound.networks) calibration networks (\(bound.source)); searches check latency budgets on it")
            }
            if let correction = p.latencyCorrection {
                shortStatus += ", corrected (\(footnotes.count + 1))"
                footnotes.append("\(id): \(correction.summary); network latency = layer sum × a factor of the network's size and share of small layers")
            }
            if m.models.contains(where: { $0.nested == nil && $0.chosen != nil }) {
                shortStatus += ", selection CV (\(footnotes.count + 1))"
                footnotes.append("\(id): trained before nested cross-validation: its figures come from the folds that also chose each model, so they are optimistic (retrain with `nas train` or `nas calibrate`)")
            }
            let conv = m.entry(.conv2d, .latency).map { String(format: "%.0f%%, %.0f%%", $0.scores.medianAPE, $0.scores.within10) } ?? "–"
            table.add([id, p.spec.name, shortStatus, String(m.sampleCount),
                       metrics.joined(separator: ", "), mapes(.latency), conv, mapes(.power)])
            var cv: [String: JSONValue] = [:]
            for e in m.models {
                var o: [String: JSONValue] = [
                    "model": .string(e.chosen?.rawValue ?? e.derived ?? ""), "samples": JSONValue(e.samples),
                    "mape": .number(e.scores.mape), "median_ape": .number(e.scores.medianAPE),
                    "within_10pct": .number(e.scores.within10),
                    "scoring": .string(e.nested != nil || e.chosen == nil && m.models.contains { $0.nested != nil } ? "nested_cv" : "selection_cv"),
                    "outliers_excluded": JSONValue(e.outliers.count)]
                if !e.pooledOver.isEmpty { o["pooled_over"] = .array(e.pooledOver.map { .string($0) }) }
                cv["\(e.kind.rawValue)/\(e.metric.rawValue)"] = .object(o)
            }
            rows.append(.object([
                "id": .string(id), "name": .string(p.spec.name), "calibrated": .bool(p.isCalibrated),
                "status": .string(p.status), "samples": JSONValue(m.sampleCount),
                "metrics": .array(metrics.map { .string($0) }), "cv": .object(cv),
                "bundle": p.directory.map { .string($0) } ?? .null,
                "peak_flops": .number(p.spec.peakFlops), "memory_bandwidth_bytes_per_s": .number(p.spec.memoryBandwidth),
            ]))
        }
        if json {
            print(JSONValue.array(rows).serialized(pretty: true))
            return
        }
        print(table.text(rule: true))
        print("")
        for (i, note) in footnotes.enumerated() { print("(\(i + 1)) \(note)") }
        if !footnotes.isEmpty { print("") }
        print("Samples are the measured layers each bundle was trained on: for the six measured targets, the public sample")
        print("of Sponner et al.'s data (mostly convolutions: the pooling and dense errors rest on few samples each, as")
        print("`nas predictors report` shows); for the host, a `nas profile` run. Errors are nested cross-validation: each")
        print("outer fold ran the whole training procedure (outlier rule, model selection, refit) without its rows and scored")
        print("them, outliers included. `nas predictors report --device ID` has the full table, the pooled models and the")
        print("outliers left out of fitting. Uncalibrated devices use the analytic roofline")
        print("max(FLOPs/peak, bytes/bandwidth) for latency and have no power, energy or memory model.")
    }
}
