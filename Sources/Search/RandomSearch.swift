import NASSupport
/// Random search (Li & Talwalkar 2019 use it as the baseline every NAS method must beat).
public struct RandomSearch: SearchAlgorithm {
    let genome: Genome
    let batch: Int
    var rng: SeededRandom
    var novelty = Novelty()

    public init(genome: Genome, batch: Int, seed: UInt64) {
        self.genome = genome; self.batch = batch
        rng = SeededRandom(seed: seed)
    }

    public mutating func ask(limit: Int) -> [Genotype] {
        (0..<min(batch, limit)).map { _ in novelty.draw(genome) { genome.random(&rng) } }
    }

    public mutating func tell(_ candidates: [Candidate]) {}
}
