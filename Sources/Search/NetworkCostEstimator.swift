import NASArchitecture

/// Predicts what a whole network costs on one device. The search asks it once per candidate and device.
public protocol NetworkCostEstimator: Sendable {
    /// Device id, e.g. `pi4`.
    var deviceID: String { get }
    /// What the predictions come from (bundle hash, version, calibration status…), recorded in a run's
    /// config.json; a resumed run refuses to continue when it changed.
    var identity: [String: String] { get }
    /// Predicted costs; nil for a metric the device's predictor has no data for (with the reason).
    func costs(of network: ResolvedNetwork) -> DeviceCosts
}

/// One device's predicted costs of one network.
public struct DeviceCosts: Sendable, Hashable, Codable {
    public var latencyMs: Double?
    public var energyMJ: Double?
    public var memoryMiB: Double?
    /// For each metric left nil (by `CostMetric.rawValue`), why.
    public var unavailable: [String: String]

    public init(latencyMs: Double?, energyMJ: Double?, memoryMiB: Double?, unavailable: [String: String] = [:]) {
        self.latencyMs = latencyMs; self.energyMJ = energyMJ; self.memoryMiB = memoryMiB
        self.unavailable = unavailable
    }

    public subscript(metric: CostMetric) -> Double? {
        switch metric {
        case .latency: return latencyMs
        case .energy: return energyMJ
        case .memory: return memoryMiB
        }
    }
}
