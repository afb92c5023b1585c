/// The non-dominated set of the points seen so far, kept up to date one point at a time.
/// Equal points all stay, as they do in `Pareto.nonDominatedFronts`.
public struct ParetoArchive: Sendable {
    private var front = FlatFront()
    public init() {}

    public var points: [[Double]] { (0..<front.points.count).map { front.points.row($0) } }
    public var count: Int { front.points.count }

    /// Adds `p` unless a member dominates it, dropping the members it dominates; returns whether it was added.
    @discardableResult
    public mutating func insert(_ p: [Double]) -> Bool { front.insert(p, id: count) }
}
