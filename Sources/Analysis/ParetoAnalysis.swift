import NASSearch
import NASStatistics

/// Everything `nas pareto` reports about a set of candidates under chosen objectives, as plain data.
///
/// Objectives are minimised (quality negated, pymoo's convention). Only feasible candidates with every
/// objective known take part; duplicates of an architecture count once (its first evaluation).
public struct ParetoAnalysis: Sendable {
    public var objectives: [Objective]
    /// Candidates that take part, in evaluation order.
    public var candidates: [Candidate]
    /// Minimised objective vectors, aligned with `candidates`.
    public var F: [[Double]]
    /// Every non-dominated front, best first, as positions in `candidates`.
    public var fronts: [[Int]]
    /// Crowding distance of each member of each front, aligned with `fronts`.
    public var crowding: [[Double]]
    /// Normalization used for hypervolume, IGD+ and knees.
    public var normalization: ObjectiveNormalization
    /// Reference point in minimised natural units, and normalized.
    public var referencePoint: [Double]
    public var normalizedReferencePoint: [Double]
    public var hypervolume: Hypervolume.Result
    /// (evaluations so far, hypervolume of the feasible front so far) with the same normalization and reference.
    public var hypervolumeHistory: [(evaluations: Int, value: Double)]
    /// IGD+ against a reference front, when one is given.
    public var igdPlus: Double?
    /// The knee of the first front (position in `candidates`).
    public var knee: Int?
    /// Per-objective summaries over the first front and over all feasible candidates (natural units).
    public var frontStatistics: [Summary?]
    public var feasibleStatistics: [Summary?]
    /// Counts over the whole run, before filtering.
    public var evaluated: Int
    public var infeasible: Int
    public var unknown: Int
    public var duplicates: Int

    public var firstFront: [Int] { fronts.first ?? [] }

    public struct Options: Sendable {
        /// In natural units per objective (quality as scored); nil: 1.1 in normalized space.
        public var referencePoint: [Double]?
        /// Minimised vectors of a reference front for IGD+.
        public var referenceFront: [[Double]]?
        /// Points of the hypervolume-over-evaluations curve.
        public var historyPoints = 40
        /// Which candidates count as feasible; by default every budget of the run must be met.
        /// Per-device fronts pass a test of that device's budgets only.
        public var isFeasible: @Sendable (Candidate) -> Bool = { $0.isFeasible }
        public init(referencePoint: [Double]? = nil, referenceFront: [[Double]]? = nil) {
            self.referencePoint = referencePoint
            self.referenceFront = referenceFront
        }
    }

    public init(candidates all: [Candidate], objectives: [Objective], options: Options = Options()) throws {
        guard !objectives.isEmpty else { throw SearchError("no objectives to analyse") }
        if let r = options.referencePoint, r.count != objectives.count {
            throw SearchError("--reference-point has \(r.count) values for \(objectives.count) objectives (\(objectives.map(\.name).joined(separator: ",")))")
        }
        self.objectives = objectives
        evaluated = all.count
        var seen = Set<Genotype>()
        var kept: [Candidate] = [], values: [[Double]] = []
        var infeasible = 0, unknown = 0, duplicates = 0
        for c in all {
            guard seen.insert(c.genotype).inserted else { duplicates += 1; continue }
            guard options.isFeasible(c) else { infeasible += 1; continue }
            let f = objectives.map { $0.minimised(c) }
            guard f.allSatisfy({ $0 != nil }) else { unknown += 1; continue }
            kept.append(c)
            values.append(f.map { $0! })
        }
        self.infeasible = infeasible
        self.unknown = unknown
        self.duplicates = duplicates
        candidates = kept
        F = values
        fronts = Pareto.nonDominatedFronts(values)
        crowding = fronts.map { Pareto.crowdingDistances(values, front: $0) }

        var bounds = values
        if let ref = options.referenceFront { bounds += ref }
        normalization = ObjectiveNormalization(points: bounds)
        if let r = options.referencePoint {
            referencePoint = zip(objectives, r).map { $0.flip($1) }
            normalizedReferencePoint = normalization.apply(referencePoint)
        } else {
            normalizedReferencePoint = Array(repeating: 1.1, count: objectives.count)
            referencePoint = values.isEmpty ? normalizedReferencePoint : normalization.invert(normalizedReferencePoint)
        }
        let norm = normalization, ref = normalizedReferencePoint
        let front = fronts.first ?? []
        let normalizedFront = front.map { norm.apply(values[$0]) }
        hypervolume = Hypervolume.compute(normalizedFront, reference: ref)

        var history: [(Int, Double)] = []
        if !kept.isEmpty {
            let steps = max(1, min(options.historyPoints, all.count))
            var checkpoints = (1...steps).map { all.count * $0 / steps }
            checkpoints = Array(Set(checkpoints)).sorted()
            for upTo in checkpoints {
                let pts = kept.indices.filter { kept[$0].index < upTo }.map { norm.apply(values[$0]) }
                let nd = Pareto.nonDominated(pts).map { pts[$0] }
                history.append((upTo, Hypervolume.compute(nd, reference: ref, samples: 20_000).value))
            }
        }
        hypervolumeHistory = history
        igdPlus = options.referenceFront.flatMap { rf in
            IGDPlus.compute(approximation: normalizedFront, reference: rf.map { norm.apply($0) })
        }
        knee = KneePoint.index(normalizedFront: normalizedFront).map { front[$0] }

        func summaries(_ rows: [Int]) -> [Summary?] {
            objectives.indices.map { k in
                try? Summary(rows.map { objectives[k].flip(values[$0][k]) })
            }
        }
        frontStatistics = summaries(front)
        feasibleStatistics = summaries(Array(kept.indices))
    }

    /// Natural-unit value of objective `k` for the candidate at position `i`.
    public func natural(_ i: Int, _ k: Int) -> Double { objectives[k].flip(F[i][k]) }
}
