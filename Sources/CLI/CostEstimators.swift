import NASPredictors
import NASSearch

/// The per-device network cost estimators a search uses, one per device id in order, from the shipped
/// predictor bundles (or `NAS_BUNDLES`).
func makeEstimators(devices: [String]) throws -> [any NetworkCostEstimator] {
    guard !devices.isEmpty else { throw SearchError("--device lists no device") }
    do {
        return try PredictorCostEstimator.load(devices: devices)
    } catch let e as PredictorError {
        throw SearchError(e.description)
    }
}
