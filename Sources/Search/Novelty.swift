/// Proposals that avoid architectures proposed before, as far as a few redraws allow.
struct Novelty {
    private(set) var seen = Set<Genotype>()
    static let attempts = 32

    func isNew(_ g: Genotype, _ genome: Genome) -> Bool { !seen.contains(genome.canonical(g)) }
    mutating func insert(_ g: Genotype, _ genome: Genome) { seen.insert(genome.canonical(g)) }

    /// The first of up to `attempts` draws whose architecture was not proposed before, else the last draw.
    mutating func draw(_ genome: Genome, _ make: () -> Genotype) -> Genotype {
        var g = make()
        var tries = 1
        while !isNew(g, genome), tries < Novelty.attempts { g = make(); tries += 1 }
        insert(g, genome)
        return g
    }
}
