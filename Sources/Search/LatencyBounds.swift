import NASArchitecture
import NASPredictors

/// How a run checks each device's latency: on the calibrated upper bound at `confidence` (predicted × factor,
/// `NetworkLatencyBound`, for a calibrated host), on the sum of per-layer bounds (`LayerLatencyFactors`, for the
/// seven shipped devices), or on the point prediction, with the reason. Recorded in config.json, so a resumed
/// run and its reports use the same factors.
public struct LatencyBounds: Sendable, Equatable {
    /// `--confidence`; 0 checks every budget on the point prediction.
    public var confidence: Double
    /// By device: the factor on the predicted latency, and how many calibration networks it rests on.
    public var factors: [String: Factor]
    /// By device bounded layer by layer: each layer kind's factor. A candidate's bound is then
    /// `DeviceCosts.latencyBoundMs`, summed with its costs.
    public var layerwise: [String: LayerLatencyFactors]
    /// By device without a factor: why its latency is checked on the prediction.
    public var unbounded: [String: String]

    public struct Factor: Sendable, Equatable {
        public var value: Double
        public var networks: Int
        public init(value: Double, networks: Int) { self.value = value; self.networks = networks }
    }

    public init(confidence: Double, factors: [String: Factor] = [:], layerwise: [String: LayerLatencyFactors] = [:],
                unbounded: [String: String] = [:]) {
        self.confidence = confidence; self.factors = factors; self.layerwise = layerwise; self.unbounded = unbounded
    }

    /// Whether `device`'s latency is checked on a bound of either kind.
    public func isBounded(_ device: String) -> Bool { factors[device] != nil || layerwise[device] != nil }

    /// No bounds: today's behaviour, and what a run written before bounds existed means.
    public static let none = LatencyBounds(confidence: 0)

    /// Whether `c` is a confidence nas accepts: 0 (no bound) or in (0, 1).
    public static func check(confidence c: Double, option: String = "--confidence") throws {
        guard c.isFinite, c >= 0, c < 1 else {
            throw SearchError("\(option) must be 0 (no bound) or a level in (0, 1) such as 0.9, got \(c)")
        }
    }

    /// The factors of `estimators` at `confidence`.
    public static func resolve(confidence: Double, estimators: [any NetworkCostEstimator]) throws -> LatencyBounds {
        try check(confidence: confidence)
        var bounds = LatencyBounds(confidence: confidence)
        for e in estimators {
            guard confidence > 0 else { bounds.unbounded[e.deviceID] = "--confidence 0: checked on the prediction"; continue }
            guard let bound = e.latencyBound else {
                if let layerwise = e.layerLatencyFactors(confidence: confidence) {
                    bounds.layerwise[e.deviceID] = layerwise
                    continue
                }
                bounds.unbounded[e.deviceID] = e.deviceID == "host"
                    ? "no calibrated latency bound for host (`nas calibrate --device host` makes one)"
                    : "no calibrated latency bound for \(e.deviceID) (its predictor has neither a calibration set of whole networks nor out-of-fold layer errors)"
                continue
            }
            guard let f = bound.factor(confidence: confidence) else {
                bounds.unbounded[e.deviceID] = "\(bound.networks) calibration networks are too few for a bound at \(confidence) (\(NetworkLatencyBound.networksNeeded(confidence: confidence)) needed)"
                continue
            }
            bounds.factors[e.deviceID] = Factor(value: f, networks: bound.networks)
        }
        return bounds
    }

    /// "90 %".
    public static func percent(_ c: Double) -> String { Quantity.formatNumber(100 * c) + " %" }

    /// The upper bound of `predictedMs` on `device`, or nil when the device has no factor.
    public func upperBound(_ predictedMs: Double?, device: String) -> Double? {
        guard let f = factors[device], let predictedMs else { return nil }
        return predictedMs * f.value
    }

    /// The upper bound of a candidate's latency on `device`: predicted × factor, or the layer-by-layer sum
    /// recorded with its costs; nil when the device is not bounded (or the costs carry no bound).
    public func upperBound(_ costs: DeviceCosts?, device: String) -> Double? {
        if factors[device] != nil { return upperBound(costs?.latencyMs, device: device) }
        return layerwise[device] != nil ? costs?.latencyBoundMs : nil
    }

    /// **What budget `b` is checked against**: the upper bound of a predicted latency where `b`'s device is
    /// bounded, else the prediction itself. The search's G and verify's false-feasible count both go through here.
    public func checkedValue(_ costs: DeviceCosts?, for b: Budget) -> Double? {
        b.metric == .latency && isBounded(b.device) ? upperBound(costs, device: b.device) : costs?[b.metric]
    }

    // MARK: config.json

    var jsonValue: JSONValue {
        .object([
            "confidence": JSONValue(confidence),
            "factors": .object(factors.mapValues { ["factor": JSONValue($0.value), "networks": JSONValue($0.networks)] }),
            "layerwise": .object(layerwise.mapValues { l in
                .object(["factors": .object(Dictionary(uniqueKeysWithValues: l.factors.map { ($0.key.rawValue, JSONValue($0.value)) })),
                         "borrowed": .array(l.borrowed.map { .string($0.rawValue) })])
            }),
            "unbounded": .object(unbounded.mapValues { .string($0) }),
        ])
    }

    init(jsonValue v: JSONValue) throws {
        func fail(_ why: String) -> SearchError { SearchError("config.json: 'latency_bounds' \(why)") }
        guard let o = v.objectValue, let c = o["confidence"]?.doubleValue else { throw fail("needs a 'confidence'") }
        do { try Self.check(confidence: c, option: "'latency_bounds.confidence'") } catch { throw fail("has a confidence outside [0, 1)") }
        var factors: [String: Factor] = [:]
        for (device, f) in o["factors"]?.objectValue ?? [:] {
            guard let value = f.objectValue?["factor"]?.doubleValue, value.isFinite, value > 0,
                  let n = f.objectValue?["networks"]?.intValue, n > 0 else {
                throw fail("has a malformed factor for '\(device)'")
            }
            factors[device] = Factor(value: value, networks: n)
        }
        var layerwise: [String: LayerLatencyFactors] = [:]
        for (device, l) in o["layerwise"]?.objectValue ?? [:] {
            var kinds: [WorkloadKind: Double] = [:]
            for (k, f) in l["factors"]?.objectValue ?? [:] {
                guard let kind = WorkloadKind(rawValue: k), let f = f.doubleValue, f.isFinite, f > 0 else {
                    throw fail("has a malformed layer factor '\(k)' for '\(device)'")
                }
                kinds[kind] = f
            }
            guard !kinds.isEmpty else { throw fail("has no layer factors for '\(device)'") }
            let borrowed = (l["borrowed"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(WorkloadKind.init(rawValue:)) }
            layerwise[device] = LayerLatencyFactors(confidence: c, factors: kinds, borrowed: borrowed)
        }
        let unbounded = (o["unbounded"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        self.init(confidence: c, factors: factors, layerwise: layerwise, unbounded: unbounded)
    }
}

extension NetworkCostEstimator {
    /// Estimators without a calibrated whole-network bound.
    public var latencyBound: NetworkLatencyBound? { nil }
    /// Estimators without layer-by-layer bounds.
    public func layerLatencyFactors(confidence: Double) -> LayerLatencyFactors? { nil }
}

extension SearchConfiguration {
    /// How each latency budget is checked, one line per budgeted device: on the bound (with its factor) or on the
    /// prediction (with why).
    public var latencyBudgetNotes: [String] {
        let b = latencyBounds
        return budgets.filter { $0.metric == .latency }.map { budget in
            let d = budget.device
            if let f = b.factors[d] {
                return "\(d) latency budget checked on the \(LatencyBounds.percent(b.confidence)) upper bound: predicted × \(String(format: "%.3f", f.value)) (split-conformal, \(f.networks) calibration networks)"
            }
            if let l = b.layerwise[d] {
                return "\(d) latency budget checked on the \(LatencyBounds.percent(b.confidence)) upper bound: each layer's prediction × its kind's out-of-fold factor (\(l.summary)), summed; this assumes a network's layer errors move together (docs/predictors.md)"
            }
            return "\(d) latency budget checked on the point prediction: \(b.unbounded[d] ?? "no bound")"
        }
    }
}
