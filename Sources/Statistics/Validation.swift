/// Input checks shared by every entry point, kept in one place so all functions reject the same things
/// with the same wording.
enum Validate {
    /// Rejects an empty sample and any NaN or infinity. Infinities are rejected as well as NaN because
    /// GSL's running sums turn them into NaN (the variance of [inf, 1] is NaN) without reporting anything.
    static func finite(_ values: [Double], context: String, name: String = "input", minimumCount: Int = 1) throws {
        if values.isEmpty {
            throw StatisticsError(.emptyInput, context: context, message: "\(name) is empty")
        }
        if values.count < minimumCount {
            throw StatisticsError(
                .tooFewObservations, context: context,
                message: "\(name) has \(values.count) value\(values.count == 1 ? "" : "s"), at least \(minimumCount) needed")
        }
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            let what = values[index].isNaN ? "NaN" : "an infinity"
            throw StatisticsError(.nonFiniteInput, context: context, message: "\(name) contains \(what) at index \(index)")
        }
    }

    /// Checks two samples that pair element by element: same length, at least `minimumCount` pairs, all finite.
    static func pairs(_ x: [Double], _ y: [Double], context: String, minimumCount: Int = 2) throws {
        if x.count != y.count {
            throw StatisticsError(
                .lengthMismatch, context: context,
                message: "x has \(x.count) values but y has \(y.count); they must pair up")
        }
        try finite(x, context: context, name: "x", minimumCount: minimumCount)
        try finite(y, context: context, name: "y", minimumCount: minimumCount)
    }

    /// Checks a probability-like level lies in the closed interval [0, 1].
    static func unitInterval(_ p: Double, context: String, name: String) throws {
        guard p.isFinite, p >= 0, p <= 1 else {
            throw StatisticsError(.invalidArgument, context: context, message: "\(name) must lie in [0, 1], got \(p)")
        }
    }
}
