import Foundation
import NASArchitecture
import NASPredictors

/// Shared wording and formatting of predictor output.
enum PredictorOutput {
    /// The metrics a bundle predicts, as shown by `nas devices`.
    static func availableMetrics(_ m: BundleManifest) -> [String] {
        if !m.calibrated { return ["latency (roofline only, uncalibrated)"] }
        var out: [String] = []
        for metric in Metric.allCases where WorkloadKind.allCases.contains(where: { m.entry($0, metric) != nil }) {
            switch metric {
            case .memory: out.append("memory (per-layer, learnt)")
            case .deviceMemory: out.append("device memory (device-wide allocated)")
            default: out.append(metric.rawValue)
            }
        }
        return out
    }

    /// "12.3 ms", or "unavailable: why".
    static func value(_ v: MetricValue, _ unit: String, digits: Int = 4) -> String {
        switch v {
        case .value(let x): return "\(number(x, digits: digits)) \(unit)"
        case .unavailable(let why): return "unavailable: \(why)"
        }
    }

    /// A compact cell: the number or "n/a".
    static func cell(_ v: MetricValue, digits: Int = 4) -> String {
        v.value.map { number($0, digits: digits) } ?? "n/a"
    }

    static func number(_ x: Double, digits: Int = 4) -> String {
        let a = abs(x)
        if a == 0 { return "0" }
        if a >= 1e5 || a < 1e-4 { return String(format: "%.\(digits - 1)e", x) }
        let decimals = max(0, digits - 1 - Int(floor(log10(a))))
        return String(format: "%.\(decimals)f", x)
    }

    static func json(_ v: MetricValue) -> JSONValue {
        switch v {
        case .value(let x): return .number(x)
        case .unavailable(let why): return .object(["unavailable": .string(why)])
        }
    }
}
