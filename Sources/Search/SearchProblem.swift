import NASArchitecture

/// What a search optimises: a space, how candidates are measured (quality and per-device costs), the
/// objectives and the hard budgets.
public struct SearchProblem: Sendable {
    public let genome: Genome
    public let estimators: [any NetworkCostEstimator]
    public let quality: any QualityEstimator
    public let objectives: [Objective]
    public let budgets: [Budget]
    /// A latency budget of a device bounded here (a whole-network factor or layer factors) is checked on the
    /// upper bound; any other budget, on the prediction.
    public let latencyBounds: LatencyBounds
    /// The estimators that are `LayerwiseCostEstimator`s, costed together; nil when there are none.
    private let layerTable: LayerCostTable?
    /// The other estimators, asked network by network.
    private let networkEstimators: [any NetworkCostEstimator]

    public var space: SearchSpace { genome.space }
    public var devices: [String] { estimators.map(\.deviceID) }

    public init(space: SearchSpace, estimators: [any NetworkCostEstimator], quality: any QualityEstimator,
                objectives: [Objective], budgets: [Budget], latencyBounds: LatencyBounds = .none) throws {
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
        for (d, f) in latencyBounds.factors where !(f.value.isFinite && f.value > 0) || !devices.contains(d) {
            throw SearchError("latency bound factor \(f.value) for '\(d)' must be positive and finite, for a searched device")
        }
        let layerwiseDevices = Set(estimators.filter { $0 is any LayerwiseCostEstimator }.map(\.deviceID))
        for d in latencyBounds.layerwise.keys where !layerwiseDevices.contains(d) || latencyBounds.factors[d] != nil {
            throw SearchError("layer latency factors for '\(d)' need a searched device costed layer by layer, without a whole-network factor")
        }
        genome = Genome(space)
        self.latencyBounds = latencyBounds
        self.estimators = estimators
        self.quality = quality
        self.objectives = objectives
        self.budgets = budgets
        let layerwise = estimators.compactMap { $0 as? any LayerwiseCostEstimator }
        layerTable = layerwise.isEmpty ? nil : LayerCostTable(layerwise, boundFactors: layerwise.map { latencyBounds.layerwise[$0.deviceID] })
        networkEstimators = estimators.filter { !($0 is any LayerwiseCostEstimator) }
    }

    /// Decodes, runs shape inference, and asks the quality estimator and every device's estimator. The
    /// network's figures and layer workloads are derived once, whatever the number of devices.
    public func evaluate(_ g: Genotype) throws -> Evaluation { try evaluate(g, worker: 0) }

    /// `evaluate(g)` on worker thread number `worker`.
    func evaluate(_ g: Genotype, worker: Int) throws -> Evaluation {
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
        return Evaluation(summary: ArchitectureSummary(network, figures: figures),
                           quality: quality.quality(of: network, figures: figures), costs: costs)
    }

    /// Measures `genotypes` on up to `jobs` threads; the results are in order and do not depend on `jobs`.
    public func evaluate(_ genotypes: [Genotype], jobs: Int) throws -> [Evaluation] {
        let problem = self
        let workers = BatchWorkers(jobs: min(jobs, genotypes.count))
        defer { workers.stop() }
        return try workers.map(genotypes) { g, worker in try problem.evaluate(g, worker: worker) }
    }

    /// A candidate: its evaluation scored against the objectives (F) and checked against the budgets (G, CV).
    public func candidate(index: Int, genotype: Genotype, evaluation e: Evaluation) -> Candidate {
        let check = budgetCheck(e)
        return Candidate(index: index, genotype: genotype, evaluation: e, F: objectiveValues(e), G: check.G, CV: check.CV)
    }

    /// F: one value per objective, all minimised (quality negated); nil where the evaluation has no value.
    public func objectiveValues(_ e: Evaluation) -> [Double?] {
        objectives.map { o in
            switch o {
            case .quality: return e.quality.value.map { -$0 }
            case .cost(let d, let metric): return e.costs[d]?[metric]
            }
        }
    }

    /// **The budget check.** G: one `Budget.violation` per budget (≤ 0 met, > 0 by how much it is broken,
    /// nil when the cost is unknown) of the value `checkedCost` gives; CV: the sum of the positive parts, 0 for a
    /// feasible candidate.
    public func budgetCheck(_ e: Evaluation) -> (G: [Double?], CV: Double) {
        let G: [Double?] = budgets.map { b in b.violation(checkedCost(e, b)) }
        return (G, G.reduce(0.0) { $0 + max(0, $1 ?? 0) })
    }

    /// What budget `b` is checked against (`LatencyBounds.checkedValue`).
    public func checkedCost(_ e: Evaluation, _ b: Budget) -> Double? {
        latencyBounds.checkedValue(e.costs[b.device], for: b)
    }
}
