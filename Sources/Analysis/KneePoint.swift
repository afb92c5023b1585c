/// Knee points of a front: where a small gain in one objective costs a large loss in another.
public enum KneePoint {
    /// Index of the knee of a normalized front (minimization): the point farthest below the hyperplane through
    /// the extreme points; in two objectives, the line between the two ends. With fewer than three points, or when
    /// the extremes coincide, the point closest to the ideal point (the origin after normalization) is returned.
    public static func index(normalizedFront front: [[Double]]) -> Int? {
        guard !front.isEmpty else { return nil }
        let d = front[0].count
        if front.count >= 3 && d == 2 {
            let a = front.min { $0[0] < $1[0] }!, b = front.min { $0[1] < $1[1] }!
            let dx = b[0] - a[0], dy = b[1] - a[1]
            let length = (dx * dx + dy * dy).squareRoot()
            if length > 0 {
                // Signed distance to the line a→b; points below it (towards the ideal) are positive.
                let distances = front.map { p in (dx * (p[1] - a[1]) - dy * (p[0] - a[0])) / length * -1 }
                let best = distances.indices.max { distances[$0] < distances[$1] }!
                if distances[best] > 0 { return best }
            }
        }
        let norms = front.map { p in p.reduce(0) { $0 + $1 * $1 } }
        return norms.indices.min { norms[$0] < norms[$1] }
    }
}
