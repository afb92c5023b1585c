import NASSearch
import NASSupport
/// The hypervolume indicator: the volume dominated by a point set and bounded by a reference point,
/// all objectives minimized (pymoo's convention). Bigger is better; it means nothing without its
/// reference point, so every caller reports the point alongside the value.
public enum Hypervolume {
    public struct Result: Hashable, Sendable {
        public var value: Double
        /// How it was computed: "exact" or "monte-carlo".
        public var method: String
        /// One standard error of the estimate; zero when exact.
        public var standardError: Double
    }

    /// Exact for two and three objectives, and for more when the front is small enough that slicing stays cheap;
    /// otherwise a seeded Monte-Carlo estimate whose standard error is reported. Points not strictly better than the reference point in
    /// every objective contribute nothing and are dropped.
    public static func compute(_ points: [[Double]], reference: [Double], exactLimit: Int = 200,
                               samples: Int = 200_000, seed: UInt64 = 1) -> Result {
        let d = reference.count
        let inside = points.filter { p in p.count == d && zip(p, reference).allSatisfy { $0 < $1 } }
        if inside.isEmpty { return Result(value: 0, method: "exact", standardError: 0) }
        switch d {
        case 1: return Result(value: reference[0] - inside.map { $0[0] }.min()!, method: "exact", standardError: 0)
        case 2: return Result(value: exact2D(inside, reference), method: "exact", standardError: 0)
        case 3: return Result(value: exact3D(inside, reference), method: "exact", standardError: 0)
        default:
            // Slicing costs about n^(d−1): exact only while that stays small.
            let affordable = min(exactLimit, d == 4 ? 150 : d == 5 ? 40 : 12)
            if inside.count <= affordable {
                return Result(value: slicing(nonDominated(inside), reference), method: "exact", standardError: 0)
            }
            return monteCarlo(inside, reference, samples: samples, seed: seed)
        }
    }

    /// Sweep in the first objective: O(n log n).
    static func exact2D(_ points: [[Double]], _ r: [Double]) -> Double {
        let sorted = points.sorted { $0[0] != $1[0] ? $0[0] < $1[0] : $0[1] < $1[1] }
        var volume = 0.0
        var bestY = r[1]
        for p in sorted where p[1] < bestY {
            volume += (r[0] - p[0]) * (bestY - p[1])
            bestY = p[1]
        }
        return volume
    }

    /// Slices along the third objective; each slab is a 2-D problem. O(n² log n), fine for fronts of thousands.
    static func exact3D(_ points: [[Double]], _ r: [Double]) -> Double {
        let sorted = points.sorted { $0[2] < $1[2] }
        var volume = 0.0
        var active: [[Double]] = []
        for (i, p) in sorted.enumerated() {
            active.append([p[0], p[1]])
            let nextZ = i + 1 < sorted.count ? sorted[i + 1][2] : r[2]
            let depth = nextZ - p[2]
            if depth > 0 { volume += depth * exact2D(active, [r[0], r[1]]) }
        }
        return volume
    }

    /// Hypervolume by slicing objectives (HSO) for four or more objectives: recursive and exact, exponential
    /// in the number of objectives, so only used on small fronts.
    static func slicing(_ points: [[Double]], _ r: [Double]) -> Double {
        let d = r.count
        if points.isEmpty { return 0 }
        if d == 3 { return exact3D(points, r) }
        let sorted = points.sorted { $0[d - 1] < $1[d - 1] }
        var volume = 0.0
        var active: [[Double]] = []
        for (i, p) in sorted.enumerated() {
            active.append(Array(p.prefix(d - 1)))
            let next = i + 1 < sorted.count ? sorted[i + 1][d - 1] : r[d - 1]
            let depth = next - p[d - 1]
            if depth > 0 { volume += depth * slicing(nonDominated(active), Array(r.prefix(d - 1))) }
        }
        return volume
    }

    static func nonDominated(_ points: [[Double]]) -> [[Double]] {
        points.enumerated().filter { i, p in
            !points.enumerated().contains { j, q in j != i && Pareto.dominates(q, p) || (j < i && q == p) }
        }.map(\.element)
    }

    /// Uniform samples in the box [ideal, reference]; the standard error is box·sqrt(p(1−p)/N).
    static func monteCarlo(_ points: [[Double]], _ r: [Double], samples: Int, seed: UInt64) -> Result {
        let d = r.count
        var lower = r
        for p in points { for k in 0..<d { lower[k] = min(lower[k], p[k]) } }
        let box = zip(lower, r).reduce(1.0) { $0 * ($1.1 - $1.0) }
        var rng = SplitMix64(seed: seed)
        var hits = 0
        var x = [Double](repeating: 0, count: d)
        for _ in 0..<samples {
            for k in 0..<d {
                x[k] = lower[k] + rng.uniform() * (r[k] - lower[k])
            }
            if points.contains(where: { p in zip(p, x).allSatisfy { $0 <= $1 } }) { hits += 1 }
        }
        let p = Double(hits) / Double(samples)
        return Result(value: box * p, method: "monte-carlo", standardError: box * (p * (1 - p) / Double(samples)).squareRoot())
    }
}
