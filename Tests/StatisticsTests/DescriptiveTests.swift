import Testing
@testable import NASStatistics

// Sorted: 2 4 4 4 5 5 7 9 (n = 8). Given unsorted so the functions must sort.
private let sample: [Double] = [9, 4, 2, 5, 4, 7, 4, 5]

@Suite struct DescriptiveTests {
    @Test func meanVarianceSD() throws {
        // sum = 40 → mean = 40 / 8 = 5
        #expect(try Descriptive.mean(sample) == 5)
        // squared deviations: 9+1+1+1+0+0+4+16 = 32 → sample variance 32 / 7
        #expect(close(try Descriptive.variance(sample), 32.0 / 7.0))
        #expect(close(try Descriptive.standardDeviation(sample), (32.0 / 7.0).squareRoot()))
    }

    @Test func medianAndQuantiles() throws {
        // even n: (4 + 5) / 2
        #expect(try Descriptive.median(sample) == 4.5)
        // odd n: sorted 1 2 3 → 2
        #expect(try Descriptive.median([3, 1, 2]) == 2)
        // p = 0.9: position 0.9·7 = 6.3 → 7 + 0.3·(9 − 7) = 7.6
        #expect(close(try Descriptive.quantile(sample, 0.9), 7.6))
        // p = 0.25 on [1, 2, 3]: position 0.5 → 1 + 0.5·1 = 1.5
        #expect(try Descriptive.quantile([3, 1, 2], 0.25) == 1.5)
        #expect(try Descriptive.quantile(sample, 0) == 2)
        #expect(try Descriptive.quantile(sample, 1) == 9)
        // positions 1.75 (4, 4) → 4; 3.5 → 4.5; 5.25 (5, 7) → 5 + 0.25·2 = 5.5
        let q = try Descriptive.quartiles(sample)
        #expect(q == Quartiles(q1: 4, median: 4.5, q3: 5.5))
        #expect(q.interquartileRange == 1.5)
        #expect(close(try Descriptive.quantiles(sample, at: [0.25, 0.9]), [4, 7.6]))
    }

    @Test func extremes() throws {
        #expect(try Descriptive.minimum(sample) == 2)
        #expect(try Descriptive.maximum(sample) == 9)
        let mm = try Descriptive.minMax([-1.5, 3, 0])
        #expect(mm.min == -1.5 && mm.max == 3)
    }

    @Test func summary() throws {
        let s = try Summary(sample)
        #expect(s.count == 8)
        #expect(s.mean == 5)
        #expect(close(s.sd ?? .nan, (32.0 / 7.0).squareRoot()))
        #expect(s.min == 2 && s.q1 == 4 && s.median == 4.5 && s.q3 == 5.5 && s.max == 9)
        // cv = sd / mean = sqrt(32/7) / 5
        #expect(close(s.coefficientOfVariation ?? .nan, (32.0 / 7.0).squareRoot() / 5))

        let one = try Summary([7])
        #expect(one.count == 1 && one.sd == nil && one.median == 7 && one.min == 7 && one.max == 7)
    }

    @Test func emptyInputThrows() {
        let e = #expect(throws: StatisticsError.self) { try Descriptive.mean([]) }
        #expect(e?.kind == .emptyInput)
        #expect(e?.description == "mean: input is empty")
        #expect(throws: StatisticsError.self) { try Summary([]) }
        #expect(throws: StatisticsError.self) { try Descriptive.median([]) }
        #expect(throws: StatisticsError.self) { try Descriptive.minimum([]) }
    }

    @Test func nonFiniteInputThrows() {
        let e = #expect(throws: StatisticsError.self) { try Descriptive.median([1, .nan, 3]) }
        #expect(e?.kind == .nonFiniteInput)
        #expect(e?.message.contains("NaN at index 1") == true)
        let inf = #expect(throws: StatisticsError.self) { try Descriptive.variance([1, .infinity]) }
        #expect(inf?.kind == .nonFiniteInput)
        #expect(throws: StatisticsError.self) { try Summary([.nan]) }
    }

    @Test func otherInvalidInputThrows() {
        let one = #expect(throws: StatisticsError.self) { try Descriptive.variance([4]) }
        #expect(one?.kind == .tooFewObservations)
        #expect(throws: StatisticsError.self) { try Descriptive.standardDeviation([4]) }
        let p = #expect(throws: StatisticsError.self) { try Descriptive.quantile(sample, 1.5) }
        #expect(p?.kind == .invalidArgument)
        #expect(throws: StatisticsError.self) { try Descriptive.quantiles(sample, at: [0.5, .nan]) }
    }
}
