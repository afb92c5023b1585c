import Foundation
import NASArchitecture

/// How far one model's predictions fall from measurements on layers it never saw: the ascending
/// ln(measured / predicted) of its nested outer-fold predictions. Order statistics of these give each
/// prediction a range with a finite-sample guarantee for an exchangeable new layer (split-conformal, as
/// `NetworkLatencyBound` does for whole networks).
public struct PredictionSpread: Hashable, Sendable {
    public let logRatios: [Double]

    public init(logRatios: [Double]) { self.logRatios = logRatios.sorted() }

    public var samples: Int { logRatios.count }

    /// Measured ≤ predicted × this factor with probability at least `confidence`; nil when the model has too
    /// few scored rows to say (the rank ⌈(n + 1)c⌉ exceeds n).
    public func upperFactor(confidence c: Double) -> Double? {
        guard let k = NetworkLatencyBound.rank(networks: samples, confidence: c) else { return nil }
        return Foundation.exp(logRatios[k - 1])
    }

    /// Measured ≥ predicted × this factor with probability at least `confidence`.
    public func lowerFactor(confidence c: Double) -> Double? {
        guard let k = NetworkLatencyBound.rank(networks: samples, confidence: c) else { return nil }
        return Foundation.exp(logRatios[samples - k])
    }

    /// The central range holding a new layer's measurement with probability at least `confidence`
    /// (each tail gets half of 1 − confidence), as factors of the prediction.
    public func range(confidence c: Double) -> ClosedRange<Double>? {
        let tail = (1 + c) / 2
        guard let lo = lowerFactor(confidence: tail), let hi = upperFactor(confidence: tail) else { return nil }
        return lo...hi
    }
}

extension DevicePredictor {
    /// The spread of (kind, metric)'s errors, from the bundle's nested cross-validation; nil for a model
    /// without one (the roofline, bundles trained before nested CV, derived energy).
    public func spread(_ kind: WorkloadKind, _ metric: Metric) -> PredictionSpread? {
        guard let ratios = manifest.entry(kind, metric)?.nested?.logRatios, !ratios.isEmpty else { return nil }
        return PredictionSpread(logRatios: ratios)
    }

    /// The range of one layer's latency at `confidence`, in milliseconds: the point prediction scaled by its
    /// model's spread. Nil when the prediction has no spread or is unavailable.
    public func latencyRange(_ w: LayerWorkload, confidence: Double) -> ClosedRange<Double>? {
        let e = predict(w)
        guard case .value(let ms) = e.latencyMs, case .learnt = e.latencySource,
              let r = spread(w.kind, .latency)?.range(confidence: confidence) else { return nil }
        return ms * r.lowerBound...ms * r.upperBound
    }
}

/// Per layer kind, the factor on a predicted layer latency under which its measurement falls with probability
/// at least `confidence`: the upper order statistic of the kind's out-of-fold log-ratios (`PredictionSpread`).
///
/// A network's bound is Σ layer prediction × its kind's factor. That is the network's quantile exactly when its
/// layers' errors are comonotone (a network whose convolutions are slow is slow in all of them, as an untuned
/// schedule or a throttled device makes them), and conservative when they are independent; it is not a
/// guarantee when errors of different layers cancel less than they add, which no layer-level data can rule out.
public struct LayerLatencyFactors: Sendable, Equatable {
    public var confidence: Double
    /// By kind: the factor.
    public var factors: [WorkloadKind: Double]
    /// Kinds whose own model has too few scored rows for `confidence` (or none), given the largest factor of
    /// the other kinds.
    public var borrowed: [WorkloadKind]

    public init(confidence: Double, factors: [WorkloadKind: Double], borrowed: [WorkloadKind] = []) {
        self.confidence = confidence; self.factors = factors; self.borrowed = borrowed
    }

    /// "conv2d ×1.83, dense ×1.21, max_pool2d ×1.83 (borrowed)…", in `WorkloadKind` order; add and concat
    /// are named only when they have factors of their own.
    public var summary: String {
        WorkloadKind.allCases.filter { !($0.joinsInputs && borrowed.contains($0)) }.compactMap { k in
            factors[k].map { "\(k.rawValue) ×\(String(format: "%.3g", $0))\(borrowed.contains(k) ? " (borrowed)" : "")" }
        }.joined(separator: ", ")
    }
}

extension DevicePredictor {
    /// The per-kind latency factors at `confidence` from the bundle's nested cross-validation; nil for an
    /// uncalibrated device or a bundle without nested scores for any learnt latency model.
    public func layerLatencyFactors(confidence c: Double) -> LayerLatencyFactors? {
        guard isCalibrated, c > 0, c < 1 else { return nil }
        var own: [WorkloadKind: Double] = [:]
        for k in WorkloadKind.allCases {
            if let f = spread(k, .latency)?.upperFactor(confidence: c), f.isFinite, f > 0 { own[k] = f }
        }
        guard let largest = own.values.max() else { return nil }
        let borrowed = WorkloadKind.allCases.filter { own[$0] == nil }
        for k in borrowed { own[k] = largest }
        return LayerLatencyFactors(confidence: c, factors: own, borrowed: borrowed)
    }
}
