import NASArchitecture

/// Analytic figures of a candidate's network, to read a results file without decoding genotypes.
public struct ArchitectureSummary: Hashable, Sendable {
    public var name: String
    public var layers: Int
    public var macs: Int
    public var params: Int
    /// Peak memory of sequential f32 execution at the space's batch size, from tensor liveness.
    public var peakMemoryBytes: Int

    public init(name: String, layers: Int, macs: Int, params: Int, peakMemoryBytes: Int) {
        self.name = name; self.layers = layers; self.macs = macs; self.params = params
        self.peakMemoryBytes = peakMemoryBytes
    }

    public init(_ network: ResolvedNetwork, figures: NetworkFigures? = nil) {
        let f = figures ?? network.figures()
        self.init(name: network.architecture.name, layers: network.layers.count, macs: f.macs, params: f.params,
                  peakMemoryBytes: f.peakMemoryBytes)
    }
}

/// What evaluating an architecture yields, before it is scored against objectives and budgets.
public struct Evaluation: Hashable, Sendable {
    public var summary: ArchitectureSummary
    public var quality: QualityOutcome
    /// Predicted costs by device id.
    public var costs: [String: DeviceCosts]
}
