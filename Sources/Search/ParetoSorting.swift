/// Pareto dominance, non-dominated sorting and crowding distance for minimisation problems
/// (Deb et al. 2002, "A fast and elitist multiobjective genetic algorithm: NSGA-II").
///
/// The work is done on `FlatPoints`, points stored row after row in one array, which the search's
/// survival step and archives use directly; the `[[Double]]` forms convert and give the same results.
public enum Pareto {
    /// True when `a` is no worse than `b` in every objective and better in at least one.
    public static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        precondition(a.count == b.count, "points of different dimension")
        var better = false
        for (x, y) in zip(a, b) {
            if x > y { return false }
            if x < y { better = true }
        }
        return better
    }

    /// Fronts of point indices, best first: the first front is the non-dominated set, the second is
    /// non-dominated once the first is removed, and so on. Within a front, indices ascend.
    public static func nonDominatedFronts(_ points: [[Double]]) -> [[Int]] {
        nonDominatedFronts(FlatPoints(points))
    }

    static func nonDominatedFronts(_ points: FlatPoints) -> [[Int]] {
        let n = points.count
        var dominatedBy = Array(repeating: 0, count: n)
        var dominates = Array(repeating: [Int](), count: n)
        let m = points.dimension
        points.values.withUnsafeBufferPointer { v in
            for i in 0..<n {
                let a = UnsafeBufferPointer(rebasing: v[(i * m)..<((i + 1) * m)])
                for j in (i + 1)..<n {
                    switch FlatPoints.relation(a, UnsafeBufferPointer(rebasing: v[(j * m)..<((j + 1) * m)])) {
                    case .dominates: dominates[i].append(j); dominatedBy[j] += 1
                    case .dominated: dominates[j].append(i); dominatedBy[i] += 1
                    case .neither: break
                    }
                }
            }
        }
        var fronts: [[Int]] = []
        var current = (0..<n).filter { dominatedBy[$0] == 0 }
        while !current.isEmpty {
            fronts.append(current)
            var next: [Int] = []
            for i in current {
                for j in dominates[i] {
                    dominatedBy[j] -= 1
                    if dominatedBy[j] == 0 { next.append(j) }
                }
            }
            current = next.sorted()
        }
        return fronts
    }

    /// Indices of the non-dominated points, ascending. Runs in O(n · front size), for long searches.
    ///
    /// Points are taken in lexicographic order, so that a point can only be dominated by one taken before
    /// it (a dominating point is lexicographically smaller): each is checked once against the front so far.
    public static func nonDominated(_ points: [[Double]]) -> [Int] {
        guard let d = points.first?.count else { return [] }
        precondition(points.allSatisfy { $0.count == d }, "points of different dimension")
        if points.contains(where: { $0.contains { $0.isNaN } }) {
            // NaN has no order; dominance treats it as equal to anything, so take the points as they come.
            var front = FlatFront()
            for (i, p) in points.enumerated() { front.insert(p, id: i) }
            return front.ids
        }
        let order = points.indices.sorted { a, b in
            points[a] != points[b] ? points[a].lexicographicallyPrecedes(points[b]) : a < b
        }
        var front = FlatPoints()
        var ids: [Int] = []
        var lastDominator = 0
        for i in order {
            let p = points[i]
            let dominated: Bool = front.values.withUnsafeBufferPointer { v in
                p.withUnsafeBufferPointer { q in
                    // The member that dominated the previous point is the likeliest to dominate this one.
                    for step in 0..<front.count {
                        let r = (lastDominator + step) % front.count
                        if FlatPoints.dominates(UnsafeBufferPointer(rebasing: v[(r * d)..<((r + 1) * d)]), q) {
                            lastDominator = r
                            return true
                        }
                    }
                    return false
                }
            }
            if !dominated { front.append(p); ids.append(i) }
        }
        return ids.sorted()
    }

    /// Crowding distance of each member of `front` (same order as `front`): the sum over objectives of the
    /// normalised gap between its neighbours along that objective. The two extremes of every objective get +∞.
    /// Ties along an objective are ordered by index, so the result is deterministic.
    public static func crowdingDistances(_ points: [[Double]], front: [Int]) -> [Double] {
        crowdingDistances(FlatPoints(points), front: front)
    }

    static func crowdingDistances(_ points: FlatPoints, front: [Int]) -> [Double] {
        let m = front.count
        guard m > 2 else { return Array(repeating: .infinity, count: m) }
        var distance = Array(repeating: 0.0, count: m)
        var column = Array(repeating: 0.0, count: m)
        for k in 0..<points.dimension {
            for a in 0..<m { column[a] = points[front[a], k] }
            let order = (0..<m).sorted { a, b in
                let (x, y) = (column[a], column[b])
                return x != y ? x < y : front[a] < front[b]
            }
            let lo = column[order[0]], hi = column[order[m - 1]]
            distance[order[0]] = .infinity
            distance[order[m - 1]] = .infinity
            guard hi > lo else { continue }
            for r in 1..<(m - 1) {
                let gap = column[order[r + 1]] - column[order[r - 1]]
                distance[order[r]] += gap / (hi - lo)
            }
        }
        return distance
    }
}

/// Points of one dimension, stored row after row.
struct FlatPoints {
    private(set) var values: [Double] = []
    private(set) var dimension = 0
    private(set) var count = 0

    init() {}

    init(_ points: [[Double]]) {
        values.reserveCapacity(points.count * (points.first?.count ?? 0))
        for p in points { append(p) }
    }

    mutating func append(_ p: [Double]) {
        if count == 0 { dimension = p.count }
        precondition(p.count == dimension, "points of different dimension")
        values += p
        count += 1
    }

    subscript(i: Int, k: Int) -> Double { values[i * dimension + k] }

    /// Gives `body` the values to change in place (row after row).
    mutating func withMutableValues<R>(_ body: (UnsafeMutableBufferPointer<Double>) throws -> R) rethrows -> R {
        try values.withUnsafeMutableBufferPointer { try body(UnsafeMutableBufferPointer(rebasing: $0[...])) }
    }

    /// Drops the last `k` points.
    mutating func removeLast(_ k: Int) {
        values.removeLast(k * dimension)
        count -= k
    }

    func row(_ i: Int) -> [Double] { Array(values[(i * dimension)..<((i + 1) * dimension)]) }

    enum Relation { case dominates, dominated, neither }

    /// Whether `a` dominates `b` (NaN compares as equal).
    static func dominates(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>) -> Bool {
        var better = false
        for k in 0..<a.count {
            if a[k] > b[k] { return false }
            if a[k] < b[k] { better = true }
        }
        return better
    }

    /// Whether `a` dominates `b`, is dominated by it, or neither, as `Pareto.dominates` decides (NaN compares as equal).
    static func relation(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>) -> Relation {
        var better = false, worse = false
        for k in 0..<a.count {
            let x = a[k], y = b[k]
            if x < y { better = true } else if x > y { worse = true }
            if better && worse { return .neither }
        }
        if better { return .dominates }
        return worse ? .dominated : .neither
    }
}

/// The non-dominated set of points inserted one at a time, each with an id, in insertion order.
/// Equal points all stay, as they do in `Pareto.nonDominatedFronts`.
struct FlatFront {
    private(set) var points = FlatPoints()
    private(set) var ids: [Int] = []

    /// Adds `p` unless a member dominates it, dropping the members it dominates; returns whether it was added.
    /// One pass suffices: when a member dominates `p`, `p` dominates no member (they would dominate each
    /// other), so nothing has been dropped by the time a dominating member is met.
    @discardableResult
    mutating func insert(_ p: [Double], id: Int) -> Bool {
        let n = points.count
        guard n > 0 else { points.append(p); ids.append(id); return true }
        let m = points.dimension
        precondition(p.count == m, "points of different dimension")
        var kept = 0
        let rejected: Bool = points.withMutableValues { v in
            p.withUnsafeBufferPointer { q in
                for r in 0..<n {
                    switch FlatPoints.relation(UnsafeBufferPointer(rebasing: v[(r * m)..<((r + 1) * m)]), q) {
                    case .dominates:
                        return true
                    case .dominated:
                        continue
                    case .neither:
                        if kept != r {
                            for k in 0..<m { v[kept * m + k] = v[r * m + k] }
                            ids[kept] = ids[r]
                        }
                        kept += 1
                    }
                }
                return false
            }
        }
        if rejected { return false }
        if kept < n {
            points.removeLast(n - kept)
            ids.removeLast(n - kept)
        }
        points.append(p)
        ids.append(id)
        return true
    }
}
