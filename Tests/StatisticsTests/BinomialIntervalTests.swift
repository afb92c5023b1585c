import Foundation
import Testing
@testable import NASStatistics

@Suite struct BinomialIntervalTests {
    @Test func exactIntervalsMatchClosedForms() throws {
        // k = 0: the upper end solves (1 − p)^n = α/2; k = n mirrors it.
        let none = try BinomialInterval(events: 0, trials: 10)
        #expect(none.lower == 0)
        #expect(abs(none.upper - (1 - pow(0.025, 0.1))) < 1e-9)
        let all = try BinomialInterval(events: 10, trials: 10)
        #expect(all.upper == 1 && abs(all.lower - pow(0.025, 0.1)) < 1e-9)
        // 5 of 10: the standard table value [0.1871, 0.8129], symmetric.
        let half = try BinomialInterval(events: 5, trials: 10)
        #expect(abs(half.lower - 0.187086) < 1e-5 && abs(half.upper - 0.812914) < 1e-5)
        #expect(half.proportion == 0.5)
        #expect(throws: StatisticsError.self) { try BinomialInterval(events: 3, trials: 2) }
        #expect(throws: StatisticsError.self) { try BinomialInterval(events: 0, trials: 0) }
        #expect(throws: StatisticsError.self) { try BinomialInterval(events: 1, trials: 2, level: 1) }
    }
}
