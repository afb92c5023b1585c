import Testing
import NASStatistics
import NASMeasurement
@testable import NASVerification

@Suite struct ErrorArithmeticTests {
    let pairs = [
        PredictedMeasured(predicted: 11, measured: 10),   // +10%
        PredictedMeasured(predicted: 18, measured: 20),   // −10%
        PredictedMeasured(predicted: 30, measured: 40),   // −25%
        PredictedMeasured(predicted: 52, measured: 50),   // +4%
    ]

    @Test func relativeErrorsAndSlowdown() {
        #expect(pairs[0].relativeError == 0.1)
        #expect(abs(pairs[2].absolutePercentageError - 25) < 1e-12)
        #expect(PredictedMeasured(predicted: 1, measured: 2.5).slowdown == 2.5)
    }

    @Test func summaryByHand() throws {
        let s = try ErrorSummary(pairs, resamples: 500, seed: 3)
        // APEs 10, 10, 25, 4: mean 12.25, median (10 + 10) / 2 = 10, max 25; within ±10%: 3 of 4.
        #expect(abs(s.mape.estimate - 12.25) < 1e-9)
        #expect(abs(s.medianAPE.estimate - 10) < 1e-9)
        #expect(s.maxAPE == 25)
        #expect(s.within10Percent == 0.75)
        #expect(s.mape.lower <= 12.25 && 12.25 <= s.mape.upper)
        // Predicted 11, 18, 30, 52 and measured 10, 20, 40, 50 are ranked the same: τ = 1.
        #expect(s.kendallTau == 1)
        // Same seed, same interval.
        let again = try ErrorSummary(pairs, resamples: 500, seed: 3)
        #expect(again.mape.lower == s.mape.lower && again.mape.upper == s.mape.upper)
    }

    @Test func rankingErrorsShowInTau() throws {
        // One swapped pair out of six: τ = (5 − 1) / 6.
        let swapped = [PredictedMeasured(predicted: 1, measured: 1), PredictedMeasured(predicted: 3, measured: 2),
                       PredictedMeasured(predicted: 2, measured: 3), PredictedMeasured(predicted: 4, measured: 4)]
        let s = try ErrorSummary(swapped, resamples: 200)
        #expect(abs(s.kendallTau! - 4.0 / 6.0) < 1e-12)
    }

    @Test func tooFewPairsIsAnError() {
        #expect(throws: StatisticsError.self) { try ErrorSummary([PredictedMeasured(predicted: 1, measured: 1)]) }
    }

    @Test func feasibilityVerdicts() {
        let check = FeasibilityCheck(limit: 20, items: [(1, 19, 21), (2, 19, 19), (3, 21, 19), (4, 25, 30), (5, 20, 20)])
        #expect(check.falseFeasible == [1])
        #expect(check.falseInfeasible == [3])
        #expect(check.checked == 5)
    }

    @Test func speedupAndBreakEven() {
        let stages = BenchmarkStages(setupSeconds: 0.5, warmupSeconds: 0.2, timedSeconds: 0.3, warmupRuns: 2, timedRuns: 3)
        let s = SpeedupStudy(predictColdSeconds: 0.0001, predictMemoizedSeconds: 0.00001, benchmark: stages,
                             profilingSeconds: 600, trainingSeconds: 30)
        #expect(stages.totalSeconds == 1.0)
        #expect(abs(s.speedupCold - 10_000) < 1e-6)
        #expect(abs(s.speedupMemoized - 100_000) < 1e-6)
        // 630 s of one-time cost / (1.0 − 0.0001) s saved per network = 630.06… → 631 networks.
        #expect(s.breakEvenNetworks == 631)
        let unknown = SpeedupStudy(predictColdSeconds: 0.1, predictMemoizedSeconds: 0.1, benchmark: stages,
                                   profilingSeconds: nil, trainingSeconds: nil)
        #expect(unknown.breakEvenNetworks == nil)
    }
}
