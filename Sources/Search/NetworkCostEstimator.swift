import NASArchitecture
import NASPredictors

/// Predicts what a whole network costs on one device. The search asks it once per candidate and device.
public protocol NetworkCostEstimator: Sendable {
    /// Device id, e.g. `pi4`.
    var deviceID: String { get }
    /// What the predictions come from (bundle hash, version, calibration status…), recorded in a run's
    /// config.json; a resumed run refuses to continue when it changed.
    var identity: [String: String] { get }
    /// Predicted costs; nil for a metric the device's predictor has no data for (with the reason).
    func costs(of network: ResolvedNetwork) -> DeviceCosts
    /// The calibrated upper bound on whole-network latency, if the device has one (`LatencyBounds`).
    var latencyBound: NetworkLatencyBound? { get }
    /// Per-kind factors on layer latencies at `confidence`, for a device bounded layer by layer (the seven
    /// shipped devices, from their predictors' out-of-fold errors); nil without them.
    func layerLatencyFactors(confidence: Double) -> LayerLatencyFactors?
}

/// One device's predicted costs of one network.
public struct DeviceCosts: Sendable, Hashable, Codable {
    public var latencyMs: Double?
    public var energyMJ: Double?
    public var memoryMiB: Double?
    /// For each metric left nil (by `CostMetric.rawValue`), why.
    public var unavailable: [String: String]
    /// The upper bound on `latencyMs` summed layer by layer (`LatencyBounds.layerwise`); nil for a device
    /// bounded as a whole network, or not at all.
    public var latencyBoundMs: Double?

    public init(latencyMs: Double?, energyMJ: Double?, memoryMiB: Double?, unavailable: [String: String] = [:],
                latencyBoundMs: Double? = nil) {
        self.latencyMs = latencyMs; self.energyMJ = energyMJ; self.memoryMiB = memoryMiB
        self.unavailable = unavailable; self.latencyBoundMs = latencyBoundMs
    }

    public subscript(metric: CostMetric) -> Double? {
        switch metric {
        case .latency: return latencyMs
        case .energy: return energyMJ
        case .memory: return memoryMiB
        }
    }
}

/// An estimator whose network latency and energy are the sums, in layer order, of per-workload values, and
/// whose memory is the network's tensor-liveness peak. For such devices the search derives each candidate's
/// workloads and figures once and looks every distinct workload up once for all of them (`LayerCostTable`),
/// instead of once per device; the totals are the same numbers `costs(of:)` gives.
public protocol LayerwiseCostEstimator: NetworkCostEstimator {
    /// The costs of one layer's workload.
    func layerCosts(_ workload: LayerWorkload) -> LayerCosts
    /// The network-level correction on the layer sums, if the device applies one (a calibrated host);
    /// `costs(of:)` includes it, and so must any sum of `layerCosts`.
    var latencyCorrection: NetworkLatencyCorrection? { get }
}

extension LayerwiseCostEstimator {
    public var latencyCorrection: NetworkLatencyCorrection? { nil }
}

/// Latency (ms) and energy (mJ) of one workload on one device, NaN where unavailable, with the reason.
public struct LayerCosts: Sendable, Hashable {
    public var latencyMs: Double
    public var energyMJ: Double
    public var latencyReason: String?
    public var energyReason: String?

    public init(latencyMs: Double?, energyMJ: Double?, latencyReason: String? = nil, energyReason: String? = nil) {
        self.latencyMs = latencyMs ?? .nan
        self.energyMJ = energyMJ ?? .nan
        self.latencyReason = latencyMs == nil ? latencyReason ?? "no latency prediction" : nil
        self.energyReason = energyMJ == nil ? energyReason ?? "no energy prediction" : nil
    }
}
