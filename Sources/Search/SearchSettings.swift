import NASSupport
/// How long and how a search runs. The seed determines every random choice; the thread count does not matter.
public struct SearchSettings: Hashable, Sendable {
    public var algorithm: AlgorithmSettings
    public var evaluations: Int
    public var seed: UInt64
    public init(algorithm: AlgorithmSettings, evaluations: Int, seed: UInt64) {
        self.algorithm = algorithm; self.evaluations = evaluations; self.seed = seed
    }

    /// The algorithm's own random stream, apart from the quality estimator's.
    public var algorithmSeed: UInt64 { SplitMix64.derive(seed, 1) }
    /// Seed of the quality estimator's weights (synflow).
    public var qualitySeed: UInt64 { SplitMix64.derive(seed, 2) }
}
