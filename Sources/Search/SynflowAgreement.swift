import Foundation
import NASStatistics
import NASSupport

/// How well synflow at a reduced input resolution ranks architectures like synflow at full resolution,
/// on a seeded random sample of a space, with the time each takes.
public struct SynflowAgreement: Sendable {
    public var space: String
    public var sample: Int
    public var resolution: Int
    public var spearman: Double
    /// Mean wall-clock seconds per network on one thread.
    public var fullSeconds: Double
    public var reducedSeconds: Double

    /// Scores `sample` random architectures of `space` both ways (each on one thread; `jobs` networks at a time).
    public static func measure(space: SearchSpace, sample: Int, resolution: Int, seed: UInt64,
                               jobs: Int = 1) throws -> SynflowAgreement {
        guard sample >= 3 else { throw SearchError("--sample must be at least 3, got \(sample)") }
        let genome = Genome(space)
        var rng = SeededRandom(seed: seed)
        var seen = Set<Genotype>()
        var genotypes: [Genotype] = []
        var draws = 0
        while genotypes.count < sample && draws < sample * 100 {
            let g = genome.random(&rng)
            draws += 1
            if seen.insert(genome.canonical(g)).inserted { genotypes.append(g) }
        }
        let weightsSeed = SplitMix64.derive(seed, 2)
        let full = SynflowQuality(seed: weightsSeed, resolution: nil, inputH: space.inputH, inputW: space.inputW)
        let reduced = SynflowQuality(seed: weightsSeed, resolution: resolution, inputH: space.inputH, inputW: space.inputW)
        let scores = try parallelMap(genotypes, jobs: jobs) { g -> (Double, Double, Double, Double) in
            let net = try genome.architecture(g).resolved()
            let t0 = DispatchTime.now().uptimeNanoseconds
            let a = full.quality(of: net)
            let t1 = DispatchTime.now().uptimeNanoseconds
            let b = reduced.quality(of: net)
            let t2 = DispatchTime.now().uptimeNanoseconds
            guard let x = a.value, let y = b.value else {
                throw SearchError("synflow failed on \(net.architecture.name): \(a.failure ?? b.failure ?? "")")
            }
            return (x, y, Double(t1 - t0) / 1e9, Double(t2 - t1) / 1e9)
        }
        let rho = try Correlation.spearman(scores.map(\.0), scores.map(\.1))
        let n = Double(scores.count)
        return SynflowAgreement(space: space.name, sample: scores.count, resolution: resolution, spearman: rho,
                                fullSeconds: scores.reduce(0) { $0 + $1.2 } / n, reducedSeconds: scores.reduce(0) { $0 + $1.3 } / n)
    }
}
