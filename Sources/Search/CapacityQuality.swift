import NASArchitecture

/// Capacity baselines: trainable parameters or FLOPs, on the view that a bigger network learns more.
public struct CapacityQuality: QualityEstimator {
    public enum Measure: String, Sendable { case params, flops }
    public let measure: Measure
    public init(_ measure: Measure) { self.measure = measure }

    public var name: String { measure.rawValue }
    public var settings: [String: String] { [:] }
    public var note: String? { nil }

    public func quality(of network: ResolvedNetwork) -> QualityOutcome {
        quality(of: network, figures: network.figures())
    }

    public func quality(of network: ResolvedNetwork, figures f: NetworkFigures) -> QualityOutcome {
        QualityOutcome(value: Double(measure == .params ? f.params : f.flops))
    }
}
