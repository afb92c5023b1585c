@preconcurrency import CGSL

/// A straight line y = intercept + slope·x fitted by ordinary least squares (`gsl_fit_linear`), with the
/// parameter covariances GSL estimates from the residual scatter.
///
/// Used for one-feature relations such as latency against FLOPs, where the slope's uncertainty
/// matters as much as its value.
public struct SimpleLinearFit: Equatable, Sendable, Codable {
    public var intercept: Double
    public var slope: Double
    /// Var(intercept) (GSL's cov00), estimated as s²·(XᵀX)⁻¹ with s² = residual sum of squares / (n − 2).
    public var interceptVariance: Double
    /// Cov(intercept, slope) (GSL's cov01).
    public var interceptSlopeCovariance: Double
    /// Var(slope) (GSL's cov11).
    public var slopeVariance: Double
    /// Σ (yᵢ − ŷᵢ)², GSL's `sumsq`.
    public var residualSumOfSquares: Double
    /// 1 − residual / total sum of squares. Defined as 1 when y is constant, since the line then fits
    /// it exactly and the ratio would be 0/0.
    public var rSquared: Double
    public var count: Int

    /// Fits the line. Needs at least three points, because with two the line is exact and no degree of
    /// freedom is left to estimate the covariances (GSL would return NaN), and x must vary.
    public init(x: [Double], y: [Double]) throws {
        GSL.disableAbortingErrorHandler()
        let context = "SimpleLinearFit"
        try Validate.pairs(x, y, context: context, minimumCount: 3)
        if x.allSatisfy({ $0 == x[0] }) {
            throw StatisticsError(.degenerateInput, context: context, message: "x is constant, so the slope is undefined")
        }
        var c0 = 0.0, c1 = 0.0, cov00 = 0.0, cov01 = 0.0, cov11 = 0.0, sumsq = 0.0
        try GSL.check(gsl_fit_linear(x, 1, y, 1, x.count, &c0, &c1, &cov00, &cov01, &cov11, &sumsq), context: context)
        intercept = c0
        slope = c1
        interceptVariance = cov00
        interceptSlopeCovariance = cov01
        slopeVariance = cov11
        residualSumOfSquares = sumsq
        count = x.count
        rSquared = Self.coefficientOfDetermination(residual: sumsq, y: y, centred: true)
    }

    /// ŷ at x.
    public func predict(_ x: Double) -> Double {
        intercept + slope * x
    }

    /// Standard error of the slope, sqrt(Var(slope)).
    public var slopeStandardError: Double { slopeVariance.squareRoot() }

    /// Standard error of the intercept, sqrt(Var(intercept)).
    public var interceptStandardError: Double { interceptVariance.squareRoot() }

    /// R² = 1 − residual / total. `centred` measures the total around the mean of y (models with an
    /// intercept); otherwise around zero, the convention for models through the origin (as statsmodels
    /// does), because the centred R² of such a model can go negative and stops meaning anything.
    static func coefficientOfDetermination(residual: Double, y: [Double], centred: Bool) -> Double {
        let centre = centred ? y.reduce(0, +) / Double(y.count) : 0
        let total = y.reduce(0) { $0 + ($1 - centre) * ($1 - centre) }
        return total > 0 ? 1 - residual / total : 1
    }
}
