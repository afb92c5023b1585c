import Testing
@testable import NASAnalysis

@Suite struct IndicatorTests {
    @Test func hypervolume2DByHand() {
        // Rectangles [1,4]×[3,4] ∪ [2,4]×[2,4] ∪ [3,4]×[1,4]: 3 + 2 + 1 = 6 in sweep order.
        let r = Hypervolume.compute([[1, 3], [2, 2], [3, 1], [3.5, 3.5]], reference: [4, 4])
        #expect(r.value == 6 && r.method == "exact")
    }

    @Test func pointsOutsideTheReferenceCountNothing() {
        #expect(Hypervolume.compute([[5, 1], [1, 4]], reference: [4, 4]).value == 0)
    }

    @Test func hypervolume3DByHand() {
        // Boxes 2·1·1 = 2 and 1·2·2 = 4 overlapping in [2,3]³ = 1: 2 + 4 − 1 = 5.
        #expect(Hypervolume.compute([[1, 2, 2], [2, 1, 1]], reference: [3, 3, 3]).value == 5)
        // A dominated point adds nothing.
        #expect(Hypervolume.compute([[1, 2, 2], [2, 1, 1], [2, 2, 2]], reference: [3, 3, 3]).value == 5)
    }

    @Test func hypervolume4DExactAndMonteCarlo() {
        // 2 + 2 − 1 (overlap [2,3]⁴).
        let points: [[Double]] = [[1, 2, 2, 2], [2, 1, 2, 2]]
        let exact = Hypervolume.compute(points, reference: [3, 3, 3, 3])
        #expect(exact.value == 3 && exact.method == "exact")
        let mc = Hypervolume.compute(points, reference: [3, 3, 3, 3], exactLimit: 0, samples: 50_000, seed: 7)
        #expect(mc.method == "monte-carlo" && mc.standardError > 0)
        #expect(abs(mc.value - 3) < 4 * mc.standardError)
        #expect(mc == Hypervolume.compute(points, reference: [3, 3, 3, 3], exactLimit: 0, samples: 50_000, seed: 7))
    }

    @Test func igdPlusByHand() {
        // From (0,1): only the first objective is worse by 0.5; likewise from (1,0).
        #expect(IGDPlus.compute(approximation: [[0.5, 0.5]], reference: [[0, 1], [1, 0]]) == 0.5)
        // An approximation that dominates the reference scores zero (plain IGD would not).
        #expect(IGDPlus.compute(approximation: [[0, 0]], reference: [[0, 1], [1, 0]]) == 0)
        #expect(IGDPlus.compute(approximation: [], reference: [[0, 1]]) == nil)
    }

    @Test func kneeIsTheBulge() {
        let front: [[Double]] = [[0, 1], [0.1, 0.5], [0.2, 0.15], [0.6, 0.05], [1, 0]]
        #expect(KneePoint.index(normalizedFront: front) == 2)
    }

    @Test func normalizationMapsToUnitBox() {
        let n = ObjectiveNormalization(points: [[1, 10], [3, 30]])
        #expect(n.apply([2, 20]) == [0.5, 0.5])
        #expect(n.invert([1, 0]) == [3, 10])
    }

    @Test func svgHasAxesLabelsAndLegend() {
        var plot = SVGPlot(title: "Quality vs latency", xLabel: "latency (ms)", yLabel: "quality", xScale: .log)
        plot.series.append(.init(label: "front", points: [(1, 2), (10, 3), (100, 4)], color: "#d62728"))
        plot.lines.append(.init(label: "budget 20 ms", from: (20, 1), to: (20, 5), color: "#333"))
        let svg = plot.render()
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.contains(">latency (ms)</text>") && svg.contains(">quality</text>") && svg.contains(">budget 20 ms</text>"))
        #expect(svg.contains(">10</text>") && svg.contains(">100</text>"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3 + 1) // three points and one legend dot
    }

    @Test func niceTicks() {
        #expect(SVGPlot.ticks((0, 10), scale: .linear) == [0, 2, 4, 6, 8, 10])
        #expect(SVGPlot.ticks((0.5, 200), scale: .log) == [0.5, 1, 2, 5, 10, 20, 50, 100, 200])
        #expect(SVGPlot.ticks((14, 130), scale: .log) == [15, 20, 30, 50, 70, 100])
    }
}
