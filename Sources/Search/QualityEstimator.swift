import NASArchitecture

/// Scores how good a network is likely to be once trained; higher is better.
public protocol QualityEstimator: Sendable {
    /// `params`, `flops`, `synflow` or `external`.
    var name: String { get }
    /// Everything that determines the score (resolution, seed, command…), recorded in config.json.
    var settings: [String: String] { get }
    /// A sentence shown with the results when the score is computed with a simplification.
    var note: String? { get }
    /// The score, or the reason there is none. Called concurrently from several threads.
    func quality(of network: ResolvedNetwork) -> QualityOutcome
    /// The same, given the network's figures, which the search has computed anyway.
    func quality(of network: ResolvedNetwork, figures: NetworkFigures) -> QualityOutcome
}

extension QualityEstimator {
    public func quality(of network: ResolvedNetwork, figures: NetworkFigures) -> QualityOutcome { quality(of: network) }
}

/// A quality score, or why it could not be computed.
public struct QualityOutcome: Hashable, Sendable {
    public var value: Double?
    public var failure: String?
    public init(value: Double) { self.value = value; failure = nil }
    public init(failure: String) { value = nil; self.failure = failure }
}
