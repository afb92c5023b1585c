import Testing
@testable import NASStatistics

@Suite struct RegressionTests {
    @Test func simpleFitRecoversExactLine() throws {
        // y = 2 + 3x exactly
        let x: [Double] = [0, 1, 2, 3, 4]
        let fit = try SimpleLinearFit(x: x, y: x.map { 2 + 3 * $0 })
        #expect(close(fit.intercept, 2) && close(fit.slope, 3))
        #expect(close(fit.residualSumOfSquares, 0))
        #expect(close(fit.rSquared, 1))
        // no residual scatter → zero parameter variances
        #expect(close(fit.slopeVariance, 0) && close(fit.interceptVariance, 0))
        #expect(close(fit.predict(10), 32))   // 2 + 3·10
        #expect(fit.count == 5)
    }

    @Test func simpleFitOnNoisyData() throws {
        // x = 1…5, y = 2 4 5 4 5: Sxy = 6, Sxx = 10, Syy = 6 (mean x 3, mean y 4)
        // slope = 6/10 = 0.6, intercept = 4 − 0.6·3 = 2.2
        // fitted 2.8 3.4 4.0 4.6 5.2 → residuals −0.8 0.6 1 −0.6 −0.2 → RSS = 0.64+0.36+1+0.36+0.04 = 2.4
        // R² = 1 − 2.4/6 = 0.6; s² = 2.4/(5−2) = 0.8
        // Var(slope) = s²/Sxx = 0.08; Var(int) = s²(1/n + x̄²/Sxx) = 0.8·1.1 = 0.88; Cov = −s²x̄/Sxx = −0.24
        let fit = try SimpleLinearFit(x: [1, 2, 3, 4, 5], y: [2, 4, 5, 4, 5])
        #expect(close(fit.slope, 0.6) && close(fit.intercept, 2.2))
        #expect(close(fit.residualSumOfSquares, 2.4))
        #expect(close(fit.rSquared, 0.6))
        #expect(close(fit.slopeVariance, 0.08))
        #expect(close(fit.interceptVariance, 0.88))
        #expect(close(fit.interceptSlopeCovariance, -0.24))
        #expect(close(fit.slopeStandardError, (0.08).squareRoot()))
    }

    @Test func multipleFitRecoversKnownCoefficients() throws {
        // y = 1 + 2·x1 − 0.5·x2 exactly
        let X: [[Double]] = [[0, 0], [1, 0], [0, 1], [1, 1], [2, 3], [3, 1]]
        let y = X.map { 1 + 2 * $0[0] - 0.5 * $0[1] }   // 1, 3, 0.5, 2.5, 3.5, 6.5
        let model = try LinearLeastSquares.fit(X: X, y: y, intercept: true)
        #expect(close(model.coefficients, [1, 2, -0.5], 1e-12))
        #expect(close(model.intercept, 1, 1e-12) && close(model.weights, [2, -0.5], 1e-12))
        #expect(close(model.chiSquared, 0, 1e-20))
        #expect(close(model.rSquared, 1))
        #expect(model.featureCount == 2 && model.observationCount == 6 && model.degreesOfFreedom == 3)
        #expect(close(try model.predict(x: [4, 2]), 8, 1e-12))   // 1 + 8 − 1
        #expect(close(try model.predict(X: [[0, 0], [1, 1]]), [1, 2.5], 1e-12))
    }

    @Test func multipleFitWithoutIntercept() throws {
        // X = [[1,0],[0,1],[1,1]], y = [1, 2, 4]: XᵀX = [[2,1],[1,2]], Xᵀy = [5, 6], det = 3
        // β = [(2·5 − 6)/3, (2·6 − 5)/3] = [4/3, 7/3]; residuals −1/3, −1/3, 1/3 → χ² = 1/3
        // uncentred R² = 1 − (1/3)/(1 + 4 + 16) = 62/63
        // cov = s²(XᵀX)⁻¹ with s² = χ²/(3 − 2) = 1/3, (XᵀX)⁻¹ = [[2,−1],[−1,2]]/3 → [[2/9, −1/9], [−1/9, 2/9]]
        let model = try LinearLeastSquares.fit(X: [[1, 0], [0, 1], [1, 1]], y: [1, 2, 4], intercept: false)
        #expect(close(model.coefficients, [4.0 / 3, 7.0 / 3]))
        #expect(model.intercept == 0 && model.weights.count == 2)
        #expect(close(model.chiSquared, 1.0 / 3))
        #expect(close(model.rSquared, 62.0 / 63))
        #expect(close(model.covariance[0], [2.0 / 9, -1.0 / 9]) && close(model.covariance[1], [-1.0 / 9, 2.0 / 9]))
        #expect(close(try model.predict(x: [3, 0]), 4))   // 3 · 4/3
    }

    @Test func multipleFitAgreesWithSimpleFit() throws {
        let x: [Double] = [1, 2, 3, 4, 5], y: [Double] = [2, 4, 5, 4, 5]
        let model = try LinearLeastSquares.fit(X: x.map { [$0] }, y: y, intercept: true)
        // same numbers as simpleFitOnNoisyData
        #expect(close(model.coefficients, [2.2, 0.6]))
        #expect(close(model.covariance[0], [0.88, -0.24]) && close(model.covariance[1], [-0.24, 0.08]))
        #expect(close(model.rSquared, 0.6) && close(model.chiSquared, 2.4))
        #expect(close(model.standardErrors, [(0.88).squareRoot(), (0.08).squareRoot()]))
    }

    @Test func invalidInputThrows() {
        let constantX = #expect(throws: StatisticsError.self) { try SimpleLinearFit(x: [1, 1, 1], y: [1, 2, 3]) }
        #expect(constantX?.kind == .degenerateInput)
        let twoPoints = #expect(throws: StatisticsError.self) { try SimpleLinearFit(x: [1, 2], y: [1, 2]) }
        #expect(twoPoints?.kind == .tooFewObservations)
        #expect(throws: StatisticsError.self) { try SimpleLinearFit(x: [1, 2, 3], y: [1, 2]) }

        let empty = #expect(throws: StatisticsError.self) { try LinearLeastSquares.fit(X: [], y: [], intercept: true) }
        #expect(empty?.kind == .emptyInput)
        let ragged = #expect(throws: StatisticsError.self) {
            try LinearLeastSquares.fit(X: [[1, 2], [3], [4, 5], [6, 7]], y: [1, 2, 3, 4], intercept: true)
        }
        #expect(ragged?.kind == .lengthMismatch)
        let short = #expect(throws: StatisticsError.self) {
            try LinearLeastSquares.fit(X: [[1], [2]], y: [1, 2], intercept: true)   // 2 rows, 2 coefficients
        }
        #expect(short?.kind == .tooFewObservations)
        // second column = 2 × first: not identifiable
        let collinear = #expect(throws: StatisticsError.self) {
            try LinearLeastSquares.fit(X: [[1, 2], [2, 4], [3, 6], [4, 8], [5, 10]], y: [1, 3, 2, 5, 4], intercept: true)
        }
        #expect(collinear?.kind == .degenerateInput)
        #expect(throws: StatisticsError.self) {
            try LinearLeastSquares.fit(X: [[1], [.nan], [3]], y: [1, 2, 3], intercept: false)
        }
        let model = try? LinearLeastSquares.fit(X: [[1], [2], [3]], y: [2, 4, 7], intercept: true)
        let wrongWidth = #expect(throws: StatisticsError.self) { try model?.predict(x: [1, 2]) }
        #expect(wrongWidth?.kind == .lengthMismatch)
    }
}
