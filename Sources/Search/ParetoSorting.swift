/// Pareto dominance, non-dominated sorting and crowding distance for minimisation problems
/// (Deb et al. 2002, "A fast and elitist multiobjective genetic algorithm: NSGA-II").
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
        let n = points.count
        var dominatedBy = Array(repeating: 0, count: n)
        var dominates = Array(repeating: [Int](), count: n)
        for i in 0..<n {
            for j in (i + 1)..<n {
                if Self.dominates(points[i], points[j]) {
                    dominates[i].append(j); dominatedBy[j] += 1
                } else if Self.dominates(points[j], points[i]) {
                    dominates[j].append(i); dominatedBy[i] += 1
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
    public static func nonDominated(_ points: [[Double]]) -> [Int] {
        var front: [Int] = []
        for i in points.indices {
            if front.contains(where: { dominates(points[$0], points[i]) }) { continue }
            front.removeAll { dominates(points[i], points[$0]) }
            front.append(i)
        }
        return front
    }

    /// Crowding distance of each member of `front` (same order as `front`): the sum over objectives of the
    /// normalised gap between its neighbours along that objective. The two extremes of every objective get +∞.
    /// Ties along an objective are ordered by index, so the result is deterministic.
    public static func crowdingDistances(_ points: [[Double]], front: [Int]) -> [Double] {
        let m = front.count
        guard m > 2 else { return Array(repeating: .infinity, count: m) }
        var distance = Array(repeating: 0.0, count: m)
        let objectives = points[front[0]].count
        for k in 0..<objectives {
            let order = (0..<m).sorted { a, b in
                let (x, y) = (points[front[a]][k], points[front[b]][k])
                return x != y ? x < y : front[a] < front[b]
            }
            let lo = points[front[order[0]]][k], hi = points[front[order[m - 1]]][k]
            distance[order[0]] = .infinity
            distance[order[m - 1]] = .infinity
            guard hi > lo else { continue }
            for r in 1..<(m - 1) {
                let gap = points[front[order[r + 1]]][k] - points[front[order[r - 1]]][k]
                distance[order[r]] += gap / (hi - lo)
            }
        }
        return distance
    }
}
