/// Min-max scaling of objective vectors to [0, 1] per objective, so that milliseconds and millijoules weigh
/// alike in hypervolume and distances. The bounds are kept so that reports can say what 1.0 means.
public struct ObjectiveNormalization: Hashable, Sendable, Codable {
    public var ideal: [Double]
    public var nadir: [Double]

    public init(ideal: [Double], nadir: [Double]) {
        self.ideal = ideal
        self.nadir = nadir
    }

    /// Bounds from a point set (componentwise min and max).
    public init(points: [[Double]]) {
        let d = points.first?.count ?? 0
        var lo = [Double](repeating: .infinity, count: d), hi = [Double](repeating: -.infinity, count: d)
        for p in points {
            for k in 0..<d {
                lo[k] = min(lo[k], p[k])
                hi[k] = max(hi[k], p[k])
            }
        }
        self.init(ideal: lo, nadir: hi)
    }

    public func apply(_ p: [Double]) -> [Double] {
        (0..<p.count).map { k in
            let span = nadir[k] - ideal[k]
            return span > 0 ? (p[k] - ideal[k]) / span : 0
        }
    }

    public func invert(_ p: [Double]) -> [Double] {
        (0..<p.count).map { k in ideal[k] + p[k] * (nadir[k] - ideal[k]) }
    }
}
