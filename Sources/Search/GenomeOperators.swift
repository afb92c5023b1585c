import NASSupport
/// Sampling and variation on genotypes, all driven by a `SeededRandom`.
extension Genome {
    /// Every gene uniform over its options.
    public func random(_ rng: inout SeededRandom) -> Genotype {
        Genotype(genes.indices.map { rng.below(optionCount($0)) })
    }

    /// Genes that change the architecture of `g` when changed.
    public func mutableGenes(of g: Genotype) -> [Int] {
        genes.indices.filter { optionCount($0) > 1 && isActive($0, in: g) }
    }

    /// Real et al.'s mutation: one active gene moves to another of its options, chosen uniformly.
    public func mutate(_ g: Genotype, _ rng: inout SeededRandom) -> Genotype {
        let candidates = mutableGenes(of: g)
        guard !candidates.isEmpty else { return g }
        var child = g
        let i = candidates[rng.below(candidates.count)]
        let n = optionCount(i)
        child.genes[i] = (g.genes[i] + 1 + rng.below(n - 1)) % n
        return child
    }

    /// Each active gene moves to another option with probability 1/(number of active genes).
    public func mutateEach(_ g: Genotype, _ rng: inout SeededRandom) -> Genotype {
        let candidates = mutableGenes(of: g)
        guard !candidates.isEmpty else { return g }
        let p = 1.0 / Double(candidates.count)
        var child = g
        for i in candidates where rng.chance(p) {
            let n = optionCount(i)
            child.genes[i] = (g.genes[i] + 1 + rng.below(n - 1)) % n
        }
        return child
    }

    /// Uniform crossover: each gene comes from either parent with equal chance; the two children are complementary.
    public func crossover(_ a: Genotype, _ b: Genotype, _ rng: inout SeededRandom) -> (Genotype, Genotype) {
        var c = a, d = b
        for i in genes.indices where rng.chance(0.5) {
            c.genes[i] = b.genes[i]
            d.genes[i] = a.genes[i]
        }
        return (c, d)
    }
}
