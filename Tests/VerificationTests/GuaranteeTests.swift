import Foundation
import Testing
import NASSearch
@testable import NASVerification

/// Issue #11 item 5: `nas verify` reports the bound's coverage and the false-feasible rate against 1 − confidence.
@Suite struct GuaranteeTests {
    static func records(_ pairs: [(predicted: Double, measured: Double)]) -> [VerificationRecord] {
        pairs.enumerated().map { i, p in
            var r = VerificationRecordTests.record()
            r.candidate = i
            r.predictedLatencyMs = p.predicted
            r.measurement.latency.medianMs = p.measured
            return r
        }
    }

    static let budget = Budget(device: "host", metric: .latency, limit: 10, given: "10ms")
    static let bounds = LatencyBounds(confidence: 0.9, factors: ["host": .init(value: 1.2, networks: 60)])

    @Test func coverageAndFalseFeasibleAreCountedOnTheBound() throws {
        // Bounds 9.6, 9.6, 8.4, 10.8: the last is infeasible on the bound, though its prediction is within budget.
        let report = VerifyReport(records: Self.records([(8, 9), (8, 11), (7, 8), (9, 9.5)]), budgets: [Self.budget],
                                  profilingSeconds: nil, trainingSeconds: nil, latencyBounds: Self.bounds)
        let lines: [String] = report.guaranteeLines
        #expect(lines.count == 2)
        #expect(lines[0].contains("held for 3 of 4 verified candidates, coverage 75.0 %"), "\(lines[0])")
        #expect(lines[1].contains("false-feasible 1 of 3, 33.3 %") && lines[1].contains("within the interval's reach"), "\(lines[1])")
        let feasibility: String = report.feasibilityLines.first ?? ""
        #expect(feasibility.contains("1 of 3 predicted feasible (on the 90 % upper bound)"), "\(feasibility)")
    }

    @Test func aRateWhoseWholeIntervalIsAboveNominalIsFlagged() throws {
        let over = VerifyReport(records: Self.records(Array(repeating: (8, 12), count: 10)), budgets: [Self.budget],
                                profilingSeconds: nil, trainingSeconds: nil, latencyBounds: Self.bounds)
        let overLine: String = over.guaranteeLines.last ?? ""
        #expect(overLine.contains("**guarantee violated**"))
        // One in ten is the nominal rate itself.
        let one = VerifyReport(records: Self.records([(8, 12)] + Array(repeating: (8, 9), count: 9)), budgets: [Self.budget],
                               profilingSeconds: nil, trainingSeconds: nil, latencyBounds: Self.bounds)
        let oneLine: String = one.guaranteeLines.last ?? ""
        #expect(oneLine.contains("within the guarantee"), "\(oneLine)")
        // Without bounds there is no guarantee to report.
        let plain = VerifyReport(records: Self.records([(8, 12)]), budgets: [Self.budget], profilingSeconds: nil, trainingSeconds: nil)
        #expect(plain.guaranteeLines.isEmpty)
    }
}
