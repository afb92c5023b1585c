/// Everything a search evaluated, in pymoo's terms, and its feasible Pareto front.
public struct SearchResult: Sendable {
    public var objectives: [Objective]
    public var budgets: [Budget]
    public var candidates: [Candidate]
    /// Indices into `candidates` of the feasible Pareto front over all objectives, one per architecture
    /// (its first evaluation), ordered by the first objective.
    public var front: [Int]
    /// How each latency budget was checked (on a bound or on the prediction), for the messages.
    public var latencyBounds: LatencyBounds

    public init(objectives: [Objective], budgets: [Budget], candidates: [Candidate], genome: Genome,
                latencyBounds: LatencyBounds = .none) {
        self.objectives = objectives
        self.budgets = budgets
        self.latencyBounds = latencyBounds
        self.candidates = candidates
        let unique = SearchResult.firstOfEachArchitecture(candidates, genome).filter { candidates[$0].isFeasible }
        let points = unique.map { candidates[$0].knownF! }
        front = Pareto.nonDominated(points).map { unique[$0] }.sorted { a, b in
            let (x, y) = (candidates[a].knownF!, candidates[b].knownF!)
            return x != y ? x.lexicographicallyPrecedes(y) : a < b
        }
    }

    /// Decision vectors.
    public var X: [Genotype] { candidates.map(\.genotype) }
    /// Objective values, all minimised (quality negated).
    public var F: [[Double?]] { candidates.map(\.F) }
    /// Constraint values, g ≤ 0 met.
    public var G: [[Double?]] { candidates.map(\.G) }
    public var CV: [Double] { candidates.map(\.CV) }

    public var feasibleCount: Int { candidates.filter(\.isFeasible).count }

    /// Indices of the first evaluation of each distinct architecture.
    static func firstOfEachArchitecture(_ candidates: [Candidate], _ genome: Genome) -> [Int] {
        var seen = Set<Genotype>(minimumCapacity: candidates.count)
        return candidates.indices.filter { seen.insert(genome.canonical(candidates[$0].genotype)).inserted }
    }

    /// Up to `k` feasible candidates, distinct architectures, best quality first (ties by index).
    /// Without a quality objective, the front's order is used.
    public func top(_ k: Int, genome: Genome) -> [Candidate] {
        let unique = SearchResult.firstOfEachArchitecture(candidates, genome).map { candidates[$0] }.filter(\.isFeasible)
        let ranked: [Candidate]
        if objectives.contains(.quality) {
            ranked = unique.sorted { a, b in
                let (x, y) = (a.quality ?? -.infinity, b.quality ?? -.infinity)
                return x != y ? x > y : a.index < b.index
            }
        } else {
            ranked = front.map { candidates[$0] }
        }
        return Array(ranked.prefix(k))
    }

    /// The candidate with the lowest value that `budget` was checked on (`LatencyBounds.checkedValue`: its
    /// upper bound where the budget is checked on one, else the prediction), among those where it is known.
    public func cheapest(for budget: Budget) -> (value: Double, candidate: Int)? {
        var best: (Double, Int)?
        for c in candidates {
            guard let v = latencyBounds.checkedValue(c.evaluation.costs[budget.device], for: budget) else { continue }
            if best == nil || v < best!.0 { best = (v, c.index) }
        }
        return best
    }

    /// Best quality among feasible candidates.
    public var bestFeasibleQuality: Double? {
        candidates.filter(\.isFeasible).compactMap(\.quality).max()
    }

    /// One line when no candidate met every budget: each budget with the cheapest value found for it.
    public var infeasibilityMessage: String? {
        guard feasibleCount == 0, !candidates.isEmpty else { return nil }
        guard !budgets.isEmpty else {
            return "no candidate could be scored on every objective (see the quality and costs in candidates.jsonl)"
        }
        let parts = budgets.map { b -> String in
            guard let (v, i) = cheapest(for: b) else { return "\(b.name) ≤ \(Quantity.format(b.limit, b.metric)): no prediction available" }
            let what = b.metric == .latency && latencyBounds.isBounded(b.device)
                ? "lowest \(LatencyBounds.percent(latencyBounds.confidence)) upper bound found" : "cheapest found"
            let met = b.isMet(by: v) ? "met alone by candidate \(i)" : "\(what) \(Quantity.format(v, b.metric, significant: 6)) (candidate \(i))"
            return "\(b.name) ≤ \(Quantity.format(b.limit, b.metric)): \(met)"
        }
        return "no candidate among \(candidates.count) met every budget; " + parts.joined(separator: "; ")
    }
}
