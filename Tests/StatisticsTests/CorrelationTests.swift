import Testing
@testable import NASStatistics

// x strictly increasing; y has ties (4, 4) and (5, 5).
private let x: [Double] = [1, 2, 3, 4, 5]
private let y: [Double] = [2, 4, 5, 4, 5]
// Ties in x (1, 1), (2, 2) and in y (1, 1), (2, 2), (3, 3).
private let xt: [Double] = [1, 1, 2, 2, 3, 4]
private let yt: [Double] = [1, 2, 1, 3, 3, 2]

@Suite struct CorrelationTests {
    @Test func pearson() throws {
        // means 3 and 4; dx = −2 −1 0 1 2, dy = −2 0 1 0 1
        // Sxy = 4 + 0 + 0 + 0 + 2 = 6, Sxx = 10, Syy = 6 → r = 6 / sqrt(60) = 0.7745966692414834
        #expect(close(try Correlation.pearson(x, y), 6 / (60.0).squareRoot()))
        // exact decreasing line → −1
        #expect(close(try Correlation.pearson(x, x.map { 10 - 2 * $0 }), -1))
    }

    @Test func spearmanWithTies() throws {
        // ranks y: 2→1, 4,4→2.5, 5,5→4.5 → [1, 2.5, 4.5, 2.5, 4.5]; ranks x = 1…5
        // dy = −2 −0.5 1.5 −0.5 1.5 → Sxy = 4 + 0.5 + 0 − 0.5 + 3 = 7, Sxx = 10, Syy = 9
        // rho = 7 / sqrt(90) = 0.7378647873726218 (scipy.stats.spearmanr agrees)
        #expect(close(try Correlation.spearman(x, y), 7 / (90.0).squareRoot()))
        // ranks xt = [1.5, 1.5, 3.5, 3.5, 5, 6], yt = [1.5, 3.5, 1.5, 5.5, 5.5, 3.5], both mean 3.5
        // Sxy = 4 + 0 + 0 + 0 + 3 + 0 = 7, Sxx = 16.5, Syy = 16 → 7 / sqrt(264) = 0.4308202184276646
        #expect(close(try Correlation.spearman(xt, yt), 7 / (264.0).squareRoot()))
        // monotone but non-linear → exactly 1
        #expect(close(try Correlation.spearman(x, x.map { $0 * $0 * $0 }), 1))
    }

    @Test func kendallTauBWithTies() throws {
        // y ties only: C = 7, D = 1 ((3,4): 5 > 4), tied-in-y pairs n2 = 2, n0 = 10
        // tau_b = 6 / sqrt(10 · 8) = 0.6708203932499369 (scipy.stats.kendalltau: 0.6708203932499368)
        #expect(close(try Correlation.kendallTauB(x, y), 6 / (80.0).squareRoot()))
        // ties in both: C = 7, D = 3, n0 = 15, n1 = 2, n2 = 3
        // tau_b = 4 / sqrt(13 · 12) = 0.3202563076101743 (scipy: 0.3202563076101743)
        #expect(close(try Correlation.kendallTauB(xt, yt), 4 / (156.0).squareRoot()))
        // a pair tied in both x and y, (12, 1) twice: C = 2, D = 6, n0 = 10, n1 = 2, n2 = 1
        // tau_b = −4 / sqrt(8 · 9) = −0.4714045207910317 (scipy: −0.4714045207910316)
        let x3: [Double] = [12, 2, 1, 12, 2], y3: [Double] = [1, 4, 7, 1, 0]
        #expect(close(try Correlation.kendallTauB(x3, y3), -4 / (72.0).squareRoot()))
        // perfect agreement and perfect reversal
        #expect(try Correlation.kendallTauB(x, x) == 1)
        #expect(try Correlation.kendallTauB(x, x.reversed()) == -1)
    }

    /// Knight's merge-sort counting against the definition, on heavily tied data where bookkeeping
    /// mistakes would show.
    @Test func kendallMatchesQuadraticDefinition() throws {
        let random = GSLRandom(seed: 7)
        for n in [2, 3, 17, 200] {
            var a = [Double](), b = [Double]()
            for _ in 0..<n {
                a.append(Double(random.uniformInt(6)))
                b.append(Double(random.uniformInt(4)))
            }
            guard Set(a).count > 1, Set(b).count > 1 else { continue }
            #expect(close(try Correlation.kendallTauB(a, b), bruteForceTauB(a, b)), "n = \(n)")
        }
    }

    @Test func mergeSortCountsInversions() {
        var v: [Double] = [3, 1, 2, 2, 0]
        // inversions: (3,1) (3,2) (3,2) (3,0) (1,0) (2,0) (2,0) = 7; equal 2s do not count
        #expect(Correlation.mergeSortCountingSwaps(&v) == 7)
        #expect(v == [0, 1, 2, 2, 3])
    }

    @Test func invalidInputThrows() {
        for f in [Correlation.pearson, Correlation.spearman, Correlation.kendallTauB] {
            let mismatch = #expect(throws: StatisticsError.self) { try f([1, 2, 3], [1, 2]) }
            #expect(mismatch?.kind == .lengthMismatch)
            let single = #expect(throws: StatisticsError.self) { try f([1], [2]) }
            #expect(single?.kind == .tooFewObservations)
            let empty = #expect(throws: StatisticsError.self) { try f([], []) }
            #expect(empty?.kind == .emptyInput)
            let constant = #expect(throws: StatisticsError.self) { try f([1, 2, 3], [5, 5, 5]) }
            #expect(constant?.kind == .degenerateInput)
            let nan = #expect(throws: StatisticsError.self) { try f([1, .nan, 3], [1, 2, 3]) }
            #expect(nan?.kind == .nonFiniteInput)
        }
    }
}

/// Kendall's tau-b straight from its definition, O(n²).
private func bruteForceTauB(_ x: [Double], _ y: [Double]) -> Double {
    var concordant = 0, discordant = 0, tiedX = 0, tiedY = 0, pairs = 0
    for i in 0..<x.count {
        for j in (i + 1)..<x.count {
            pairs += 1
            let s = (x[i] - x[j]) * (y[i] - y[j])
            if x[i] == x[j] { tiedX += 1 }
            if y[i] == y[j] { tiedY += 1 }
            if s > 0 { concordant += 1 } else if s < 0 { discordant += 1 }
        }
    }
    return Double(concordant - discordant) / (Double(pairs - tiedX) * Double(pairs - tiedY)).squareRoot()
}
