import Foundation
import NASArchitecture
import NASPredictors
import Testing
@testable import NASSearch
import NASSupport

/// The search's fast paths give exactly what the plain forms they replace give.
@Suite struct FastPathTests {
    func candidate(F: [Double?], G: [Double?], CV: Double, quality: QualityOutcome, costs: [String: DeviceCosts],
                   name: String = "mobile-224-0.1.2", params: Int = 703_624) -> Candidate {
        let summary = ArchitectureSummary(name: name, layers: 26, macs: 115_009_792, params: params, peakMemoryBytes: 5_212_224)
        return Candidate(index: 17, genotype: [0, 3, 12, 1, 0], evaluation: Evaluation(summary: summary, quality: quality, costs: costs),
                         F: F, G: G, CV: CV)
    }

    @Test func candidateLinesAreTheSerialisedJSONValue() {
        let odd = "quote \" backslash \\ newline \n tab \t bell \u{7} µs ×"
        let cases = [
            candidate(F: [-703624, 0.4751843263720824, 73.58663749130662], G: [], CV: 0, quality: QualityOutcome(value: 703_624),
                      costs: ["pi4": DeviceCosts(latencyMs: 73.58663749130662, energyMJ: 291.54996444716807, memoryMiB: 4.97076416015625),
                              "a100": DeviceCosts(latencyMs: 0.4751843263720824, energyMJ: 43.43026533157325, memoryMiB: 4.97076416015625),
                              "xu4": DeviceCosts(latencyMs: 2.6288292424161077, energyMJ: nil, memoryMiB: 4.97076416015625,
                                                 unavailable: ["energy": "energy needs a learnt latency model; uncalibrated: no measurements"])]),
            candidate(F: [nil, .nan, .infinity, -.infinity, -0.0, 1e-7, 1e300, 123_456_789_012_345_678], G: [nil, 0.17040702015776255, -0.5],
                      CV: 0.17040702015776255, quality: QualityOutcome(failure: odd),
                      costs: ["dev \"x\"": DeviceCosts(latencyMs: nil, energyMJ: nil, memoryMiB: 1e-5,
                                                       unavailable: ["latency": odd, "energy": "b", "memory": "c"])],
                      name: odd, params: Int(1) << 60),
            candidate(F: [-1], G: [-1], CV: 0, quality: QualityOutcome(value: -0.0), costs: [:], params: -(Int(1) << 54) - 1),
        ]
        for c in cases {
            #expect(c.jsonLine == c.jsonValue.serialized(pretty: false))
        }
        var rng = SeededRandom(seed: 3)
        for _ in 0..<2000 {
            let x = Double(bitPattern: rng.next())
            let y = Double(rng.next() >> 11) * 0x1.0p-53 * 100
            let c = candidate(F: [x, y, -y, y.rounded()], G: [x], CV: abs(y), quality: QualityOutcome(value: x),
                              costs: ["pi4": DeviceCosts(latencyMs: y, energyMJ: x, memoryMiB: y)])
            #expect(c.jsonLine == c.jsonValue.serialized(pretty: false))
        }
    }

    @Test func aLogWrittenOnSeveralThreadsIsTheSameFile() throws {
        var rng = SeededRandom(seed: 5)
        let candidates = (0..<50).map { i in
            candidate(F: [Double(rng.next() >> 11)], G: [], CV: 0, quality: QualityOutcome(value: Double(i)),
                      costs: ["pi4": DeviceCosts(latencyMs: Double(i) / 7, energyMJ: nil, memoryMiB: 1, unavailable: ["energy": "none"])])
        }
        let dir = try Fixtures.temporaryDirectory()
        let one = CandidateLog(path: dir + "/one.jsonl"), two = CandidateLog(path: dir + "/two.jsonl")
        try one.append(candidates)
        let workers = BatchWorkers(jobs: 3)
        defer { workers.stop() }
        try two.append(Array(candidates.prefix(20)), workers: workers)
        try two.append(Array(candidates.dropFirst(20)), workers: workers)
        #expect(FileManager.default.contents(atPath: one.path) == FileManager.default.contents(atPath: two.path))
    }

    /// The canonical form as first written: every inactive gene to 0, then the dilation of a stride-2 block dropped.
    func referenceCanonical(_ genome: Genome, _ g: Genotype) -> Genotype {
        var c = g
        for i in c.genes.indices {
            switch genome.genes[i].role {
            case .block(let stage, let position) where position >= genome.depth(g, stage: stage): c.genes[i] = 0
            case .denseWidth(let position) where position >= genome.denseCount(g): c.genes[i] = 0
            default: break
            }
        }
        var offset = 1
        for s in genome.space.stages {
            if s.downsampling[g.genes[offset + 2]] == .stride2 {
                let b = s.blocks[g.genes[offset + 3]]
                c.genes[offset + 3] = s.blocks.firstIndex { $0.kind == b.kind && $0.kernel == b.kernel && $0.expansion == b.expansion }!
            }
            offset += 3 + s.depth.upperBound
        }
        return c
    }

    @Test(arguments: Fixtures.shippedSpaces)
    func canonicalFormsAndNamesMatchTheReference(_ name: String) throws {
        let genome = Genome(try Fixtures.space(name))
        var rng = SeededRandom(seed: 11)
        for _ in 0..<2000 {
            let g = genome.random(&rng)
            let c = referenceCanonical(genome, g)
            #expect(genome.canonical(g) == c)
            #expect(try genome.architecture(g).name == "\(genome.space.name)-" + c.genes.map(String.init).joined(separator: "."))
        }
    }

    /// The incremental filter as first written, which `ParetoArchive` and (with NaN) `Pareto.nonDominated` keep.
    func referenceFront(_ points: [[Double]]) -> [Int] {
        var front: [Int] = []
        for i in points.indices {
            if front.contains(where: { Pareto.dominates(points[$0], points[i]) }) { continue }
            front.removeAll { Pareto.dominates(points[i], points[$0]) }
            front.append(i)
        }
        return front
    }

    @Test func nonDominatedAndTheArchiveMatchTheReference() {
        var rng = SeededRandom(seed: 2)
        for trial in 0..<300 {
            let d = 2 + trial % 7
            let n = rng.below(150)
            // Few distinct values, so that ties and equal points are common.
            var points = (0..<n).map { _ in (0..<d).map { _ in Double(rng.below(6)) } }
            if trial % 10 == 0, n > 0 { points[n / 2][d - 1] = .nan }
            let reference = referenceFront(points)
            #expect(Pareto.nonDominated(points) == reference)
            var archive = ParetoArchive()
            for p in points { archive.insert(p) }
            #expect(archive.points.elementsEqual(reference.map { points[$0] }) { a, b in
                a.elementsEqual(b) { $0 == $1 || ($0.isNaN && $1.isNaN) }
            })
            if !points.contains(where: { $0.contains { $0.isNaN } }) {
                let brute = points.indices.filter { i in !points.indices.contains { Pareto.dominates(points[$0], points[i]) } }
                #expect(reference == brute)
                #expect(Pareto.nonDominatedFronts(points).first ?? [] == brute)
            }
        }
    }

    /// Every shipped device's costs through the search's shared layer table equal its own network query.
    @Test func layerTableTotalsEqualEachPredictorsTotals() throws {
        let estimators = try PredictorCostEstimator.load(devices: PredictorCatalog.shippedDevices)
        for name in Fixtures.shippedSpaces {
            let genome = Genome(try Fixtures.space(name))
            let table = LayerCostTable(estimators)
            var rng = SeededRandom(seed: 4)
            for i in 0..<150 {
                let network = try genome.architecture(genome.random(&rng)).resolved()
                let memory = Double(network.figures().peakMemoryBytes) / 1_048_576
                let shared = table.costs(of: network, memoryMiB: memory, worker: i % 3)
                for (e, c) in zip(estimators, shared) {
                    #expect(c == e.costs(of: network), "\(e.deviceID) on \(network.architecture.name)")
                }
            }
        }
    }
}
