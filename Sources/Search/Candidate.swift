import NASArchitecture

/// One evaluated architecture, as pymoo would hold it: the genotype X, objectives F (all minimised,
/// quality negated), constraints G (g ≤ 0 is met, normalised by the budget) and the violation CV.
public struct Candidate: Hashable, Sendable {
    /// Position in the run, from 0; also its line in candidates.jsonl (line = index + 1).
    public var index: Int
    public var genotype: Genotype
    public var evaluation: Evaluation
    /// One per objective; nil where the value is unknown (failed quality, metric without predictions).
    public var F: [Double?]
    /// One per budget; nil where the predicted value is unknown.
    public var G: [Double?]
    /// Σ max(0, g) over the known constraints.
    public var CV: Double

    public init(index: Int, genotype: Genotype, evaluation: Evaluation, F: [Double?], G: [Double?], CV: Double) {
        self.index = index; self.genotype = genotype; self.evaluation = evaluation
        self.F = F; self.G = G; self.CV = CV
    }

    /// Constraints and objectives that could not be evaluated. A candidate with any is never feasible.
    public var unknowns: Int {
        var n = 0
        for g in G where g == nil { n += 1 }
        for f in F where f == nil { n += 1 }
        return n
    }

    public var isFeasible: Bool { unknowns == 0 && CV == 0 }

    /// Deb's constraint handling: feasible first, then fewer unknowns, then less violation.
    public var violation: Violation { Violation(unknowns: unknowns, amount: CV) }

    /// F with every value known, or nil.
    public var knownF: [Double]? {
        let v = F.compactMap { $0 }
        return v.count == F.count ? v : nil
    }

    public var quality: Double? { evaluation.quality.value }
}

/// How far a candidate is from feasible, ordered so that smaller is better.
public struct Violation: Hashable, Sendable, Comparable {
    public var unknowns: Int
    public var amount: Double
    public static let none = Violation(unknowns: 0, amount: 0)
    public static func < (a: Violation, b: Violation) -> Bool {
        a.unknowns != b.unknowns ? a.unknowns < b.unknowns : a.amount < b.amount
    }
}
