import NASArchitecture

/// What a search optimises: a space, how candidates are measured (quality and per-device costs), the
/// objectives and the hard budgets.
public struct SearchProblem: Sendable {
    public let genome: Genome
    public let estimators: [any NetworkCostEstimator]
    public let quality: any QualityEstimator
    public let objectives: [Objective]
    public let budgets: [Budget]

    public var space: SearchSpace { genome.space }
    public var devices: [String] { estimators.map(\.deviceID) }

    public init(space: SearchSpace, estimators: [any NetworkCostEstimator], quality: any QualityEstimator,
                objectives: [Objective], budgets: [Budget]) throws {
        let devices = estimators.map(\.deviceID)
        guard !devices.isEmpty else { throw SearchError("a search needs at least one device") }
        for (i, d) in devices.enumerated() where devices[..<i].contains(d) {
            throw SearchError("device '\(d)' has two estimators")
        }
        guard !objectives.isEmpty else { throw SearchError("a search needs at least one objective") }
        for o in objectives {
            if case .cost(let d, _) = o, !devices.contains(d) {
                throw SearchError("objective '\(o.name)' names device '\(d)', which is not searched (\(devices.joined(separator: ", ")))")
            }
        }
        for (i, b) in budgets.enumerated() {
            guard devices.contains(b.device) else {
                throw SearchError("budget \(b.name) names device '\(b.device)', which is not searched (\(devices.joined(separator: ", ")))")
            }
            guard b.limit > 0, b.limit.isFinite else { throw SearchError("budget \(b.name) must be positive and finite") }
            guard !budgets[..<i].contains(where: { $0.name == b.name }) else { throw SearchError("budget \(b.name) is given twice") }
        }
        genome = Genome(space)
        self.estimators = estimators
        self.quality = quality
        self.objectives = objectives
        self.budgets = budgets
    }

    /// Decodes, runs shape inference, and asks the quality estimator and every device's estimator.
    public func measure(_ g: Genotype) throws -> Measurement {
        let network: ResolvedNetwork
        do {
            network = try genome.architecture(g).resolved()
        } catch {
            throw SearchError("genotype \(g) of space '\(space.name)' does not decode to a valid network: \(error)")
        }
        var costs: [String: DeviceCosts] = [:]
        for e in estimators { costs[e.deviceID] = e.costs(of: network) }
        return Measurement(summary: ArchitectureSummary(network), quality: quality.quality(of: network), costs: costs)
    }

    /// Scores a measurement against the objectives and budgets.
    public func candidate(index: Int, genotype: Genotype, measurement m: Measurement) -> Candidate {
        let F: [Double?] = objectives.map { o in
            switch o {
            case .quality: return m.quality.value.map { -$0 }
            case .cost(let d, let metric): return m.costs[d]?[metric]
            }
        }
        let G: [Double?] = budgets.map { b in b.violation(m.costs[b.device]?[b.metric]) }
        let cv = G.reduce(0.0) { $0 + max(0, $1 ?? 0) }
        return Candidate(index: index, genotype: genotype, measurement: m, F: F, G: G, CV: cv)
    }
}
