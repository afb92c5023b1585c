/// The non-dominated set of the points seen so far, kept up to date one point at a time.
/// Equal points all stay, as they do in `Pareto.nonDominatedFronts`.
public struct ParetoArchive: Sendable {
    public private(set) var points: [[Double]] = []
    public init() {}

    public var count: Int { points.count }

    /// Adds `p` unless a member dominates it, dropping the members it dominates; returns whether it was added.
    @discardableResult
    public mutating func insert(_ p: [Double]) -> Bool {
        if points.contains(where: { Pareto.dominates($0, p) }) { return false }
        points.removeAll { Pareto.dominates(p, $0) }
        points.append(p)
        return true
    }
}
