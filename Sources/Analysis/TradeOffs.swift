import NASSearch

/// How much quality each extra unit of cost buys, walking along a quality-vs-cost front.
public struct TradeOffStep: Sendable, Hashable {
    /// Candidate indices (run numbering) of the cheaper and the dearer neighbour.
    public var from: Int
    public var to: Int
    public var costDelta: Double
    public var qualityDelta: Double
    /// Quality gained per unit of cost (per ms, per mJ, per MiB).
    public var qualityPerUnit: Double { costDelta > 0 ? qualityDelta / costDelta : .infinity }
}

public enum TradeOffs {
    /// The 2-D front of quality against one cost over the given candidates, cheapest first, with the steps
    /// between neighbours. Candidates without quality or that cost are skipped.
    public static func along(_ candidates: [Candidate], cost: Objective) -> (front: [Candidate], steps: [TradeOffStep]) {
        let usable = candidates.compactMap { c -> (Candidate, Double, Double)? in
            guard let q = c.quality, let v = cost.natural(c) else { return nil }
            return (c, q, v)
        }
        let points = usable.map { [-$0.1, $0.2] }
        let front = Pareto.nonDominated(points).map { usable[$0] }.sorted { $0.2 != $1.2 ? $0.2 < $1.2 : $0.1 < $1.1 }
        var steps: [TradeOffStep] = []
        for (a, b) in zip(front, front.dropFirst()) {
            steps.append(TradeOffStep(from: a.0.index, to: b.0.index, costDelta: b.2 - a.2, qualityDelta: b.1 - a.1))
        }
        return (front.map(\.0), steps)
    }
}
