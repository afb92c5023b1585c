import NASArchitecture

/// What a search optimises: a space, how candidates are measured (quality and per-device costs), the
/// objectives and the hard budgets.
public struct SearchProblem: Sendable {
    public let genome: Genome
    public let estimators: [any NetworkCostEstimator]
    public let quality: any QualityEstimator
    public let objectives: [Objective]
    public let budgets: [Budget]
    /// The estimators that are `LayerwiseCostEstimator`s, costed together; nil when there are none.
    private let layerTable: LayerCostTable?
    /// The other estimators, asked network by network.
    private let networkEstimators: [any NetworkCostEstimator]

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
        let layerwise = estimators.compactMap { $0 as? any LayerwiseCostEstimator }
        layerTable = layerwise.isEmpty ? nil : LayerCostTable(layerwise)
        networkEstimators = estimators.filter { !($0 is any LayerwiseCostEstimator) }
    }

    /// Decodes, runs shape inference, and asks the quality estimator and every device's estimator. The
    /// network's figures and layer workloads are derived once, whatever the number of devices.
    public func measure(_ g: Genotype) throws -> Measurement { try measure(g, worker: 0) }

    /// `measure(g)` on worker thread number `worker`.
    func measure(_ g: Genotype, worker: Int) throws -> Measurement {
        let network: ResolvedNetwork
        do {
            network = try genome.architecture(g).resolved()
        } catch {
            throw SearchError("genotype \(g) of space '\(space.name)' does not decode to a valid network: \(error)")
        }
        let figures = network.figures()
        var costs: [String: DeviceCosts] = Dictionary(minimumCapacity: estimators.count)
        if let layerTable {
            let perDevice = layerTable.costs(of: network, memoryMiB: Double(figures.peakMemoryBytes) / 1_048_576, worker: worker)
            for (e, c) in zip(layerTable.estimators, perDevice) { costs[e.deviceID] = c }
        }
        for e in networkEstimators { costs[e.deviceID] = e.costs(of: network) }
        return Measurement(summary: ArchitectureSummary(network, figures: figures),
                           quality: quality.quality(of: network, figures: figures), costs: costs)
    }

    /// Measures `genotypes` on up to `jobs` threads; the results are in order and do not depend on `jobs`.
    public func measure(_ genotypes: [Genotype], jobs: Int) throws -> [Measurement] {
        let problem = self
        let workers = BatchWorkers(jobs: min(jobs, genotypes.count))
        defer { workers.stop() }
        return try workers.map(genotypes) { g, worker in try problem.measure(g, worker: worker) }
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
