/// The choices a search makes when the user leaves them out.
public enum SearchDefaults {
    public static let space = "mobile-224"
    public static let evaluations = 1000
    public static let seed: UInt64 = 0
    /// `--confidence`: a latency budget is met when the calibrated upper bound at this confidence is within it.
    /// 0.9 is the level the calibration set can support on its own (a bound at c needs ⌈(n + 1)·c⌉ ≤ n networks:
    /// 9 at 0.9, 19 at 0.95, 99 at 0.99; calibrate measures up to 60) while giving away only the slowest tenth.
    public static let confidence = 0.9

    /// Without `--objectives`: quality, plus every budgeted metric (or latency when there are no budgets) on every device.
    public static func objectives(devices: [String], budgets: [Budget]) -> [Objective] {
        var out: [Objective] = [.quality]
        for d in devices {
            let metrics = budgets.filter { $0.device == d }.map(\.metric)
            for m in (metrics.isEmpty ? [.latency] : CostMetric.allCases.filter(metrics.contains)) {
                out.append(.cost(device: d, metric: m))
            }
        }
        return out
    }

    /// Evolution when one device is searched under budgets without explicit objectives, or when there is
    /// a single objective; NSGA-II whenever several objectives are asked for.
    public static func algorithm(devices: [String], budgets: [Budget], explicitObjectives: [Objective]?) -> AlgorithmSettings {
        if let o = explicitObjectives {
            return o.count == 1 ? .defaultEvolution : .defaultNSGA2
        }
        return devices.count == 1 && !budgets.isEmpty ? .defaultEvolution : .defaultNSGA2
    }
}
