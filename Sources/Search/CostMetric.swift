/// A per-device cost the predictors estimate, each in one fixed unit.
public enum CostMetric: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
    case latency, energy, memory

    public var unit: String {
        switch self {
        case .latency: return "ms"
        case .energy: return "mJ"
        case .memory: return "MiB"
        }
    }

    /// Column and JSON key with the unit: `latency_ms`, `energy_mj`, `memory_mib`.
    public var key: String { "\(rawValue)_\(unit.lowercased())" }

    public static func < (a: CostMetric, b: CostMetric) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
