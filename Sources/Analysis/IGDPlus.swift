/// IGD+ (Ishibuchi et al. 2015): the mean, over a reference front, of the distance from each reference point
/// to the nearest approximation point, counting only the objectives in which the approximation is worse.
/// Weakly Pareto-compliant, unlike plain IGD. Smaller is better; zero when the approximation covers the reference.
public enum IGDPlus {
    public static func compute(approximation: [[Double]], reference: [[Double]]) -> Double? {
        guard !approximation.isEmpty, !reference.isEmpty else { return nil }
        var total = 0.0
        for r in reference {
            var best = Double.infinity
            for a in approximation {
                var s = 0.0
                for (ai, ri) in zip(a, r) {
                    let d = max(ai - ri, 0)
                    s += d * d
                }
                best = min(best, s)
            }
            total += best.squareRoot()
        }
        return total / Double(reference.count)
    }
}
