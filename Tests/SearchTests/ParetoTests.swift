import Testing
@testable import NASSearch

@Suite struct ParetoTests {
    // 0 and 6 are equal; 3, 4, 5 are dominated by 1; 4 also by 3 and 5; 7 by everything else.
    let points: [[Double]] = [[1, 5], [2, 3], [3, 1], [2, 4], [4, 4], [3, 3], [1, 5], [5, 5]]

    @Test func dominance() {
        #expect(Pareto.dominates([1, 2], [1, 3]))
        #expect(!Pareto.dominates([1, 3], [1, 3]))
        #expect(!Pareto.dominates([1, 4], [2, 3]))
    }

    @Test func nonDominatedSorting() {
        #expect(Pareto.nonDominatedFronts(points) == [[0, 1, 2, 6], [3, 5], [4], [7]])
        #expect(Pareto.nonDominated(points) == [0, 1, 2, 6])
        #expect(Pareto.nonDominatedFronts([]) == [])
        #expect(Pareto.nonDominatedFronts([[1, 1, 1], [0, 2, 1], [1, 1, 2]]) == [[0, 1], [2]])
    }

    @Test func crowdingDistance() {
        let line: [[Double]] = [[0, 10], [1, 6], [5, 5], [10, 0]]
        let d = Pareto.crowdingDistances(line, front: [0, 1, 2, 3])
        #expect(d[0] == .infinity && d[3] == .infinity)
        #expect(abs(d[1] - 1.0) < 1e-12)   // along f1 (5 − 0)/10, along f2 (10 − 5)/10
        #expect(abs(d[2] - 1.5) < 1e-12)   // (10 − 1)/10 + (6 − 0)/10
        #expect(Pareto.crowdingDistances(line, front: [1, 2]) == [.infinity, .infinity])
        // With ties, the order by index decides which tied point is the extreme.
        let e = Pareto.crowdingDistances(points, front: [0, 1, 2, 6])
        #expect(e[0] == .infinity && e[2] == .infinity && e[3] == .infinity)
        #expect(abs(e[1] - 2.0) < 1e-12)
    }

    @Test func archiveMatchesTheFirstFront() {
        var a = ParetoArchive()
        for p in points { a.insert(p) }
        #expect(a.points.sorted { $0.lexicographicallyPrecedes($1) } == [[1, 5], [1, 5], [2, 3], [3, 1]])
    }

    func candidate(_ i: Int, F: [Double], CV: Double) -> Candidate {
        let m = Evaluation(summary: ArchitectureSummary(name: "c\(i)", layers: 1, macs: 0, params: 0, peakMemoryBytes: 0),
                            quality: QualityOutcome(value: -F[0]), costs: [:])
        return Candidate(index: i, genotype: [i], evaluation: m, F: F, G: [CV > 0 ? CV : -0.1], CV: CV)
    }

    @Test func constraintDominationInSurvival() {
        let cs = [candidate(0, F: [1, 5], CV: 0.3), candidate(1, F: [2, 3], CV: 0), candidate(2, F: [9, 9], CV: 0),
                  candidate(3, F: [0, 0], CV: 0.1), candidate(4, F: [3, 1], CV: 0), candidate(5, F: [1, 1], CV: 0.3)]
        let (order, rank, _) = NSGA2.survivalOrder(cs)
        // Feasible by front (1 and 4, then 2), then infeasible by violation (3, then 0 and 5 by index).
        #expect(order == [1, 4, 2, 3, 0, 5])
        #expect(rank[1] == 0 && rank[4] == 0 && rank[2] == 1 && rank[3] == 2)
    }
}
