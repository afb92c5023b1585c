import NASSearch

/// The per-device network cost estimators a search uses, one per device id in order.
///
/// Waiting on NASPredictors' network estimation: until it is wired here, every search stops with this error.
func makeEstimators(devices: [String]) throws -> [any NetworkCostEstimator] {
    guard let first = devices.first else { throw SearchError("--device lists no device") }
    throw SearchError("predictors for \(first) are not available yet")
}
