import Testing
@testable import NASStatistics

@Suite struct SeededRandomTests {
    @Test func isMersenneTwister() {
        // numpy's legacy RandomState(42) seeds MT19937 the same way as gsl_rng_set; its first raw 32-bit
        // output is 1608637542, and GSL's uniform() is raw / 2³² = 0.37454011430963874.
        let r = GSLRandom(seed: 42)
        #expect(r.uniform() == 1_608_637_542.0 / 4_294_967_296.0)
        #expect(r.seed == 42)
    }

    @Test func sameSeedSameStream() {
        let a = GSLRandom(seed: 123), b = GSLRandom(seed: 123), c = GSLRandom(seed: 124)
        let sa = (0..<50).map { _ in a.uniformInt(1000) }
        let sb = (0..<50).map { _ in b.uniformInt(1000) }
        let sc = (0..<50).map { _ in c.uniformInt(1000) }
        #expect(sa == sb)
        #expect(sa != sc)
        #expect(sa.allSatisfy { (0..<1000).contains($0) })
    }

    @Test func distributionsLookRight() throws {
        let r = GSLRandom(seed: 1)
        let u = (0..<10_000).map { _ in r.uniform() }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(try Descriptive.mean(u) - 0.5) < 0.02)
        let g = (0..<10_000).map { _ in r.gaussian(mean: 10, sd: 2) }
        // standard error of the mean 2/100 = 0.02; allow 5 of them
        #expect(abs(try Descriptive.mean(g) - 10) < 0.1)
        #expect(abs(try Descriptive.standardDeviation(g) - 2) < 0.1)
        let dice = (0..<6_000).map { _ in r.uniformInt(6) }
        #expect(Set(dice) == Set(0..<6))
    }
}

@Suite struct BootstrapTests {
    private func noisySample(_ n: Int, seed: UInt) -> [Double] {
        let r = GSLRandom(seed: seed)
        return (0..<n).map { _ in r.gaussian(mean: 5, sd: 1) }
    }

    @Test func deterministicForASeed() throws {
        let sample = noisySample(100, seed: 3)
        let mean: ([Double]) throws -> Double = { try Descriptive.mean($0) }
        let a = try bootstrapCI(sample: sample, statistic: mean, seed: 99)
        let b = try bootstrapCI(sample: sample, statistic: mean, seed: 99)
        let c = try bootstrapCI(sample: sample, statistic: mean, seed: 100)
        #expect(a == b)
        #expect(a != c)
        #expect(a.estimate == (try Descriptive.mean(sample)))
        #expect(a.lower < a.estimate && a.estimate < a.upper)
        #expect(a.contains(a.estimate))
        #expect(a.resamples == 2000 && a.confidence == 0.95)
        // normal theory: width ≈ 2 · 1.96 · sd/√n ≈ 3.92 · 1/10 ≈ 0.39
        #expect(a.width > 0.3 && a.width < 0.5)
        // a wider confidence level cannot give a narrower percentile interval on the same draws
        let wide = try bootstrapCI(sample: sample, statistic: mean, confidence: 0.99, seed: 99)
        #expect(wide.lower <= a.lower && wide.upper >= a.upper)
    }

    @Test func pairedKendallBetweenTwoDevices() throws {
        // device B ≈ 1.7 × device A plus noise: strongly but not perfectly concordant
        let r = GSLRandom(seed: 11)
        let deviceA = (0..<60).map { _ in 1 + 9 * r.uniform() }
        let deviceB = deviceA.map { 1.7 * $0 + r.gaussian(sd: 1.5) }
        let tau: ([Double], [Double]) throws -> Double = { try Correlation.kendallTauB($0, $1) }
        let a = try bootstrapCI(pairsX: deviceA, pairsY: deviceB, statistic: tau, resamples: 500, seed: 5)
        let b = try bootstrapCI(pairsX: deviceA, pairsY: deviceB, statistic: tau, resamples: 500, seed: 5)
        #expect(a == b)
        #expect(a.estimate == (try Correlation.kendallTauB(deviceA, deviceB)))
        #expect(a.contains(a.estimate))
        #expect(a.lower > 0.3 && a.upper <= 1)
        // pairs must stay together: resampling identical series always gives tau = 1
        let same = try bootstrapCI(pairsX: deviceA, pairsY: deviceA, statistic: tau, resamples: 200, seed: 1)
        #expect(same.lower == 1 && same.upper == 1)
    }

    @Test func invalidInputThrows() {
        let mean: ([Double]) throws -> Double = { try Descriptive.mean($0) }
        let empty = #expect(throws: StatisticsError.self) { try bootstrapCI(sample: [], statistic: mean, seed: 1) }
        #expect(empty?.kind == .emptyInput)
        let one = #expect(throws: StatisticsError.self) { try bootstrapCI(sample: [1], statistic: mean, seed: 1) }
        #expect(one?.kind == .tooFewObservations)
        let zero = #expect(throws: StatisticsError.self) {
            try bootstrapCI(sample: [1, 2, 3], statistic: mean, resamples: 0, seed: 1)
        }
        #expect(zero?.kind == .invalidArgument)
        let level = #expect(throws: StatisticsError.self) {
            try bootstrapCI(sample: [1, 2, 3], statistic: mean, confidence: 1, seed: 1)
        }
        #expect(level?.kind == .invalidArgument)
        let nan = #expect(throws: StatisticsError.self) { try bootstrapCI(sample: [1, .nan], statistic: mean, seed: 1) }
        #expect(nan?.kind == .nonFiniteInput)

        let tau: ([Double], [Double]) throws -> Double = { try Correlation.kendallTauB($0, $1) }
        let mismatch = #expect(throws: StatisticsError.self) {
            try bootstrapCI(pairsX: [1, 2, 3], pairsY: [1, 2], statistic: tau, seed: 1)
        }
        #expect(mismatch?.kind == .lengthMismatch)
        // two pairs: a resample that draws the same pair twice is constant, so tau is undefined there
        let degenerate = #expect(throws: StatisticsError.self) {
            try bootstrapCI(pairsX: [1, 2], pairsY: [1, 2], statistic: tau, seed: 1)
        }
        #expect(degenerate?.kind == .degenerateInput)
        // a statistic that returns NaN is reported, not averaged into the interval
        let nanStat = #expect(throws: StatisticsError.self) {
            try bootstrapCI(sample: [1, 2, 3], statistic: { _ in .nan }, seed: 1)
        }
        #expect(nanStat?.kind == .degenerateInput)
    }
}

@Suite struct GSLTests {
    @Test func versionAndErrorConversion() {
        #expect(GSL.version.hasPrefix("2."))
        // 19 is GSL_EBADLEN, "matrix/vector sizes are not conformant"
        let e = #expect(throws: StatisticsError.self) { try GSL.check(19, context: "probe") }
        #expect(e?.gslStatus == 19)
        #expect(e?.description.hasPrefix("probe: GSL error 19: ") == true)
        #expect((try? GSL.check(0, context: "probe")) != nil)
    }
}
