/// What a search optimises. Internally every objective is minimised (pymoo's convention), so quality enters negated.
public enum Objective: Hashable, Sendable, CustomStringConvertible {
    /// The quality estimator's score, maximised.
    case quality
    /// A predicted per-device cost, minimised.
    case cost(device: String, metric: CostMetric)

    /// `quality` or `pi4.latency`.
    public var name: String {
        switch self {
        case .quality: return "quality"
        case .cost(let d, let m): return "\(d).\(m.rawValue)"
        }
    }

    public var description: String { name }

    /// Column name with unit for tables and CSV: `quality`, `pi4_latency_ms`.
    public var column: String {
        switch self {
        case .quality: return "quality"
        case .cost(let d, let m): return "\(d)_\(m.key)"
        }
    }

    /// Reads `--objectives quality,pi4.latency,xu4.energy`. Errors name the option and the entry.
    public static func parse(_ text: String, devices: [String]) throws -> [Objective] {
        var out: [Objective] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let o: Objective
            if entry == "quality" {
                o = .quality
            } else {
                let parts = entry.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else {
                    throw SearchError("--objectives '\(entry)': write quality or DEVICE.METRIC (e.g. pi4.latency)")
                }
                guard devices.contains(parts[0]) else {
                    throw SearchError("--objectives '\(entry)': device '\(parts[0])' is not among --device (\(devices.joined(separator: ", ")))")
                }
                guard let m = CostMetric(rawValue: parts[1]) else {
                    throw SearchError("--objectives '\(entry)': unknown metric '\(parts[1])' (use latency, energy or memory)")
                }
                o = .cost(device: parts[0], metric: m)
            }
            guard !out.contains(o) else { throw SearchError("--objectives '\(text)': '\(entry)' is given twice") }
            out.append(o)
        }
        return out
    }
}
