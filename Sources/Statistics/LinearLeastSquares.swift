@preconcurrency import CGSL

/// Multiple linear regression y ≈ Xβ by least squares (`gsl_multifit_linear`, an SVD solve), optionally
/// with an intercept column.
///
/// This is the workhorse for the log-log latency predictors: fit log(latency) against log(FLOPs),
/// log(bytes), ... and predict on new feature rows. It is a plain value type so fitted models can be
/// stored, copied into concurrent search tasks and encoded alongside a device bundle.
public struct LinearLeastSquares: Equatable, Sendable, Codable {
    /// Fitted β. With an intercept, `coefficients[0]` is the intercept and the feature weights follow.
    public var coefficients: [Double]
    /// Covariance matrix of `coefficients` (same order), estimated as s²·(XᵀX)⁻¹ with s² = χ² / (n − p);
    /// for a weighted fit GSL's (XᵀWX)⁻¹, i.e. the weights taken as inverse variances.
    public var covariance: [[Double]]
    /// Residual sum of squares Σ (yᵢ − ŷᵢ)², GSL's `chisq` (unweighted, also for a weighted fit).
    public var chiSquared: Double
    /// Centred R² with an intercept, uncentred (around zero) without one; see
    /// `SimpleLinearFit.coefficientOfDetermination` for why. 1 when y is constant and fitted exactly.
    public var rSquared: Double
    public var hasIntercept: Bool
    /// Number of features per row, excluding the intercept column.
    public var featureCount: Int
    public var observationCount: Int

    public init(coefficients: [Double], covariance: [[Double]], chiSquared: Double, rSquared: Double,
                hasIntercept: Bool, featureCount: Int, observationCount: Int) {
        self.coefficients = coefficients
        self.covariance = covariance
        self.chiSquared = chiSquared
        self.rSquared = rSquared
        self.hasIntercept = hasIntercept
        self.featureCount = featureCount
        self.observationCount = observationCount
    }

    /// The intercept, or 0 for a model through the origin.
    public var intercept: Double { hasIntercept ? coefficients[0] : 0 }

    /// The per-feature weights, without the intercept.
    public var weights: [Double] { Array(coefficients.dropFirst(hasIntercept ? 1 : 0)) }

    /// Residual degrees of freedom n − p.
    public var degreesOfFreedom: Int { observationCount - coefficients.count }

    /// Singular values below this fraction of the largest (after GSL's column balancing) count as zero
    /// when checking the design for collinearity. Looser than GSL's own truncation (machine epsilon),
    /// because exactly collinear columns often leave singular values of 1e-15 to 1e-13 after rounding.
    public static let collinearityTolerance = 1e-10

    /// Fits y ≈ Xβ. `X` holds one row per observation, every row with the same number of features.
    ///
    /// Throws when the input is empty, ragged, non-finite or mismatched with `y`; when there are not
    /// more observations than coefficients (no degree of freedom left for the covariance); and when the
    /// columns are (nearly) linearly dependent, because then the coefficients are not identifiable and
    /// a predictor built on them would extrapolate wildly.
    ///
    /// With `weights`, minimises Σ wᵢ (yᵢ − xᵢβ)² instead (GSL's `gsl_multifit_wlinear`): the step that
    /// iteratively reweighted fits of relative error take. Weights must be finite and positive.
    public static func fit(X: [[Double]], y: [Double], weights: [Double]? = nil, intercept: Bool = true) throws -> LinearLeastSquares {
        GSL.disableAbortingErrorHandler()
        let context = "LinearLeastSquares.fit"
        let n = X.count
        if n == 0 {
            throw StatisticsError(.emptyInput, context: context, message: "X has no rows")
        }
        if y.count != n {
            throw StatisticsError(.lengthMismatch, context: context, message: "X has \(n) rows but y has \(y.count) values")
        }
        let features = X[0].count
        if let bad = X.firstIndex(where: { $0.count != features }) {
            throw StatisticsError(
                .lengthMismatch, context: context,
                message: "row \(bad) of X has \(X[bad].count) features but row 0 has \(features)")
        }
        for (i, row) in X.enumerated() {
            if let j = row.firstIndex(where: { !$0.isFinite }) {
                throw StatisticsError(.nonFiniteInput, context: context, message: "X[\(i)][\(j)] is \(row[j])")
            }
        }
        try Validate.finite(y, context: context, name: "y")
        if let weights {
            guard weights.count == n else {
                throw StatisticsError(.lengthMismatch, context: context, message: "X has \(n) rows but there are \(weights.count) weights")
            }
            if let bad = weights.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
                throw StatisticsError(.invalidArgument, context: context, message: "weight \(bad) is \(weights[bad]); weights must be finite and positive")
            }
        }
        let p = features + (intercept ? 1 : 0)
        if p == 0 {
            throw StatisticsError(.invalidArgument, context: context, message: "no features and no intercept: nothing to fit")
        }
        if n <= p {
            throw StatisticsError(
                .tooFewObservations, context: context,
                message: "\(n) observations for \(p) coefficients; at least \(p + 1) needed")
        }

        let designOrNil = gsl_matrix_alloc(n, p), responseOrNil = gsl_vector_alloc(n)
        let betaOrNil = gsl_vector_alloc(p), covOrNil = gsl_matrix_alloc(p, p)
        let workOrNil = gsl_multifit_linear_alloc(n, p)
        let weightOrNil = weights == nil ? nil : gsl_vector_alloc(n)
        defer {
            if let weightOrNil { gsl_vector_free(weightOrNil) }
            if let designOrNil { gsl_matrix_free(designOrNil) }
            if let responseOrNil { gsl_vector_free(responseOrNil) }
            if let betaOrNil { gsl_vector_free(betaOrNil) }
            if let covOrNil { gsl_matrix_free(covOrNil) }
            if let workOrNil { gsl_multifit_linear_free(workOrNil) }
        }
        guard let design = designOrNil, let response = responseOrNil, let beta = betaOrNil,
              let cov = covOrNil, let work = workOrNil else {
            throw StatisticsError(.gsl(status: Int32(GSL_ENOMEM)), context: context, message: "could not allocate GSL workspace")
        }
        // Write straight into GSL's row-major storage; gsl_matrix_set is a real call per element here.
        let tda = design.pointee.tda
        for i in 0..<n {
            let row = design.pointee.data + i * tda
            var j = 0
            if intercept { row[0] = 1; j = 1 }
            for value in X[i] { row[j] = value; j += 1 }
            gsl_vector_set(response, i, y[i])
        }

        var chisq = 0.0
        if let weights {
            guard let w = weightOrNil else {
                throw StatisticsError(.gsl(status: Int32(GSL_ENOMEM)), context: context, message: "could not allocate GSL workspace")
            }
            for i in 0..<n { gsl_vector_set(w, i, weights[i]) }
            try GSL.check(gsl_multifit_wlinear(design, w, response, beta, cov, &chisq, work), context: context)
        } else {
            try GSL.check(gsl_multifit_linear(design, response, beta, cov, &chisq, work), context: context)
        }
        // gsl_multifit_linear leaves the balanced design's singular values in the workspace.
        let rank = gsl_multifit_linear_rank(collinearityTolerance, work)
        if rank < p {
            throw StatisticsError(
                .degenerateInput, context: context,
                message: "the \(p) design columns\(intercept ? " (intercept included)" : "") have numerical rank \(rank): some are linear combinations of others")
        }

        let coefficients = (0..<p).map { gsl_vector_get(beta, $0) }
        let covariance = (0..<p).map { i in (0..<p).map { j in gsl_matrix_get(cov, i, j) } }
        if weights != nil {
            // R² stays the share of (unweighted) variance explained, comparable with an unweighted fit.
            let offset = intercept ? 1 : 0
            chisq = (0..<n).reduce(0) { sum, i in
                var fitted = intercept ? coefficients[0] : 0
                for j in 0..<features { fitted += coefficients[offset + j] * X[i][j] }
                return sum + (y[i] - fitted) * (y[i] - fitted)
            }
        }
        return LinearLeastSquares(
            coefficients: coefficients, covariance: covariance, chiSquared: chisq,
            rSquared: SimpleLinearFit.coefficientOfDetermination(residual: chisq, y: y, centred: intercept),
            hasIntercept: intercept, featureCount: features, observationCount: n)
    }

    /// ŷ for one feature row (without the intercept's 1; it is added here).
    public func predict(x: [Double]) throws -> Double {
        guard x.count == featureCount else {
            throw StatisticsError(
                .lengthMismatch, context: "LinearLeastSquares.predict",
                message: "the model has \(featureCount) features but the row has \(x.count)")
        }
        // Indexes the coefficients directly: predictors call this in the search's inner loop.
        let offset = hasIntercept ? 1 : 0
        var result = intercept
        for j in 0..<featureCount { result += coefficients[offset + j] * x[j] }
        return result
    }

    /// ŷ for several rows.
    public func predict(X: [[Double]]) throws -> [Double] {
        try X.map { try predict(x: $0) }
    }

    /// Standard errors of the coefficients, the square roots of the covariance diagonal.
    public var standardErrors: [Double] {
        covariance.indices.map { covariance[$0][$0].squareRoot() }
    }
}
