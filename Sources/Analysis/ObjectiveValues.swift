import NASSearch

extension Objective {
    /// The objective's value for a candidate in minimisation form (quality negated), or nil when unknown.
    public func minimised(_ c: Candidate) -> Double? {
        switch self {
        case .quality: return c.quality.map { -$0 }
        case .cost(let device, let metric): return c.evaluation.costs[device]?[metric]
        }
    }

    /// The value in natural units (quality as scored), for tables and plots.
    public func natural(_ c: Candidate) -> Double? {
        switch self {
        case .quality: return c.quality
        case .cost(let device, let metric): return c.evaluation.costs[device]?[metric]
        }
    }

    /// Converts between natural units and minimisation form (the same map both ways).
    public func flip(_ v: Double) -> Double {
        if case .quality = self { return -v }
        return v
    }

    /// Axis label with unit: "quality (synflow)", "pi4 latency (ms)".
    public func axisLabel(quality: String? = nil) -> String {
        switch self {
        case .quality: return quality.map { "quality (\($0))" } ?? "quality"
        case .cost(let device, let metric): return "\(device) \(metric.rawValue) (\(metric.unit))"
        }
    }
}
