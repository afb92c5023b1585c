import NASSupport
/// NSGA-II (Deb et al. 2002) on genotypes, with Deb's constraint handling as pymoo applies it:
/// feasible candidates are ranked by non-dominated sorting and crowding distance; infeasible ones come
/// after every feasible one, ordered by violation. Parents are picked by binary tournament, children
/// made by uniform crossover (probability 0.9) and per-gene mutation.
public struct NSGA2: SearchAlgorithm {
    let genome: Genome
    let populationSize: Int
    var rng: SeededRandom
    var novelty = Novelty()
    var population: [Candidate] = []
    /// Survival order data of `population`: non-dominated rank (infeasible after all feasible) and crowding distance.
    var rank: [Int] = []
    var crowding: [Double] = []
    static let crossoverProbability = 0.9

    public init(genome: Genome, population: Int, seed: UInt64) {
        self.genome = genome
        populationSize = population
        rng = SeededRandom(seed: seed)
    }

    public mutating func ask(limit: Int) -> [Genotype] {
        let n = min(populationSize, limit)
        if population.isEmpty {
            return (0..<n).map { _ in novelty.draw(genome) { genome.random(&rng) } }
        }
        var children: [Genotype] = []
        while children.count < n {
            let a = population[tournament()].genotype, b = population[tournament()].genotype
            var (c, d) = rng.chance(NSGA2.crossoverProbability) ? genome.crossover(a, b, &rng) : (a, b)
            c = genome.mutateEach(c, &rng)
            d = genome.mutateEach(d, &rng)
            for child in [c, d] where children.count < n {
                children.append(novelty.isNew(child, genome) ? child : novelty.draw(genome) { genome.mutate(child, &rng) })
                novelty.insert(children.last!, genome)
            }
        }
        return children
    }

    public mutating func tell(_ candidates: [Candidate]) {
        let merged = population + candidates
        let (order, ranks, distances) = NSGA2.survivalOrder(merged)
        let kept = order.prefix(populationSize)
        population = kept.map { merged[$0] }
        rank = kept.map { ranks[$0] }
        crowding = kept.map { distances[$0] }
    }

    /// Binary tournament: less violation wins, then lower rank, then larger crowding distance, then a coin.
    mutating func tournament() -> Int {
        let pick = rng.sample(min(2, population.count), of: population.count)
        guard pick.count == 2 else { return pick[0] }
        let (i, j) = (pick[0], pick[1])
        let (vi, vj) = (population[i].violation, population[j].violation)
        if vi != vj { return vi < vj ? i : j }
        if rank[i] != rank[j] { return rank[i] < rank[j] ? i : j }
        if crowding[i] != crowding[j] { return crowding[i] > crowding[j] ? i : j }
        return rng.chance(0.5) ? i : j
    }

    /// Every candidate's index in survival order, with its rank and crowding distance (by candidate index).
    static func survivalOrder(_ candidates: [Candidate]) -> (order: [Int], rank: [Int], crowding: [Double]) {
        var rank = Array(repeating: 0, count: candidates.count)
        var crowding = Array(repeating: 0.0, count: candidates.count)
        let feasible = candidates.indices.filter { candidates[$0].isFeasible }
        var points = FlatPoints()
        for i in feasible { points.append(candidates[i].knownF!) }
        var order: [Int] = []
        let fronts = Pareto.nonDominatedFronts(points)
        for (r, front) in fronts.enumerated() {
            let d = Pareto.crowdingDistances(points, front: front)
            for (k, i) in front.enumerated() { rank[feasible[i]] = r; crowding[feasible[i]] = d[k] }
            // Larger crowding first; ties keep the front's (ascending index) order.
            let sorted = front.indices.sorted { d[$0] != d[$1] ? d[$0] > d[$1] : $0 < $1 }
            order += sorted.map { feasible[front[$0]] }
        }
        let infeasible = candidates.indices.filter { !candidates[$0].isFeasible }
            .sorted { candidates[$0].violation != candidates[$1].violation ? candidates[$0].violation < candidates[$1].violation : $0 < $1 }
        for i in infeasible { rank[i] = fronts.count }
        return (order + infeasible, rank, crowding)
    }
}
