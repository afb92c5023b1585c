import Foundation
import NASArchitecture
import NASPredictors

/// The search's view of a device predictor: totals only, memoized per layer by the predictor.
///
/// Memory is the exact tensor-liveness peak of sequential execution (the predictors' default memory
/// figure), so it is available on every device; latency and energy come from the learnt layer models, or
/// are unavailable with the predictor's reason.
public struct PredictorCostEstimator: LayerwiseCostEstimator {
    public let predictor: DevicePredictor

    public init(_ predictor: DevicePredictor) { self.predictor = predictor }

    public var deviceID: String { predictor.id }
    public var identity: [String: String] { predictor.identity }
    public var latencyBound: NetworkLatencyBound? { predictor.latencyBound }
    public var latencyCorrection: NetworkLatencyCorrection? { predictor.latencyCorrection }
    public func layerLatencyFactors(confidence: Double) -> LayerLatencyFactors? { predictor.layerLatencyFactors(confidence: confidence) }

    public func costs(of network: ResolvedNetwork) -> DeviceCosts {
        let totals = predictor.totals(network)
        var unavailable: [String: String] = [:]
        if let why = totals.latencyMs.reason { unavailable[CostMetric.latency.rawValue] = why }
        if let why = totals.energyMJ.reason { unavailable[CostMetric.energy.rawValue] = why }
        let memoryMiB = Double(network.figures().peakMemoryBytes) / 1_048_576
        return DeviceCosts(latencyMs: totals.latencyMs.value, energyMJ: totals.energyMJ.value, memoryMiB: memoryMiB,
                           unavailable: unavailable)
    }

    /// `DevicePredictor.totals` adds exactly these per-layer values, in layer order (then applies `latencyCorrection`).
    public func layerCosts(_ workload: LayerWorkload) -> LayerCosts {
        let e = predictor.predict(workload)
        return LayerCosts(latencyMs: e.latencyMs.value, energyMJ: e.energyMJ.value,
                          latencyReason: e.latencyMs.reason, energyReason: e.energyMJ.reason)
    }

    /// Estimators for device ids, loaded from the shipped bundles (shared, so their memos are shared too),
    /// several at a time.
    public static func load(devices: [String]) throws -> [PredictorCostEstimator] {
        try parallelMap(devices, jobs: ProcessInfo.processInfo.activeProcessorCount) {
            PredictorCostEstimator(try PredictorCatalog.load(device: $0))
        }
    }
}
