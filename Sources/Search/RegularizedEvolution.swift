import NASSupport
/// Regularized (aging) evolution, Real et al. 2019 ("Regularized evolution for image classifier
/// architecture search"): the population is a queue; each child mutates the fittest of a random sample,
/// joins at the back, and the oldest member leaves, however fit.
///
/// Fitness is one objective under the budgets, by constraint-domination: a feasible candidate beats an
/// infeasible one, the smaller violation wins between infeasible ones, and the better objective between feasible ones.
/// Children are proposed `batch` at a time from the same population, so parallel evaluation keeps results deterministic.
public struct RegularizedEvolution: SearchAlgorithm {
    let genome: Genome
    let populationSize: Int
    let sampleSize: Int
    let batch: Int
    let fitnessObjective: Int
    var rng: SeededRandom
    var novelty = Novelty()
    /// Oldest first.
    var population: [Candidate] = []

    public init(genome: Genome, population: Int, sampleSize: Int, batch: Int, fitnessObjective: Int, seed: UInt64) {
        self.genome = genome
        populationSize = population; self.sampleSize = sampleSize; self.batch = batch
        self.fitnessObjective = fitnessObjective
        rng = SeededRandom(seed: seed)
    }

    public mutating func ask(limit: Int) -> [Genotype] {
        if population.count < populationSize {
            let n = min(batch, limit, populationSize - population.count)
            return (0..<n).map { _ in novelty.draw(genome) { genome.random(&rng) } }
        }
        return (0..<min(batch, limit)).map { _ in
            let sample = rng.sample(sampleSize, of: population.count).map { population[$0] }
            let parent = sample.dropFirst().reduce(sample[0]) { better($1, than: $0) ? $1 : $0 }
            return novelty.draw(genome) { genome.mutate(parent.genotype, &rng) }
        }
    }

    public mutating func tell(_ candidates: [Candidate]) {
        for c in candidates {
            population.append(c)
            if population.count > populationSize { population.removeFirst() }
        }
    }

    func better(_ a: Candidate, than b: Candidate) -> Bool {
        let (va, vb) = (a.violation, b.violation)
        if va != vb { return va < vb }
        let fa = a.F[fitnessObjective] ?? .infinity, fb = b.F[fitnessObjective] ?? .infinity
        return fa < fb
    }
}
