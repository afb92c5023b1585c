/// Which algorithm, with its settings.
public enum AlgorithmSettings: Hashable, Sendable {
    /// Uniform samples, proposed `batch` at a time.
    case random(batch: Int)
    /// Regularized (aging) evolution, Real et al. 2019: `population` candidates in age order; each child
    /// mutates the best of `sampleSize` drawn at random; `batch` children are proposed at a time.
    case evolution(population: Int, sampleSize: Int, batch: Int)
    /// NSGA-II (Deb et al. 2002) with constraint-domination; `population` children per generation.
    case nsga2(population: Int)

    public static let defaultRandom = AlgorithmSettings.random(batch: 16)
    public static let defaultEvolution = AlgorithmSettings.evolution(population: 64, sampleSize: 16, batch: 8)
    public static let defaultNSGA2 = AlgorithmSettings.nsga2(population: 48)

    public var name: String {
        switch self {
        case .random: return "random"
        case .evolution: return "evolution"
        case .nsga2: return "nsga2"
        }
    }

    /// The defaults of the algorithm called `name` (`random`, `evolution`, `nsga2`).
    public static func defaults(named name: String) throws -> AlgorithmSettings {
        switch name {
        case "random": return defaultRandom
        case "evolution": return defaultEvolution
        case "nsga2": return defaultNSGA2
        default: throw SearchError("--algorithm '\(name)': unknown algorithm (use random, evolution or nsga2)")
        }
    }

    public func validate() throws {
        switch self {
        case .random(let b):
            guard b >= 1 else { throw SearchError("random search batch must be at least 1") }
        case .evolution(let p, let s, let b):
            guard p >= 2 else { throw SearchError("evolution population must be at least 2, got \(p)") }
            guard (1...p).contains(s) else { throw SearchError("evolution sample size must lie within 1...\(p), got \(s)") }
            guard b >= 1 else { throw SearchError("evolution batch must be at least 1") }
        case .nsga2(let p):
            guard p >= 4 else { throw SearchError("NSGA-II population must be at least 4, got \(p)") }
        }
    }

    /// A fresh instance, seeded.
    public func make(problem: SearchProblem, seed: UInt64) -> any SearchAlgorithm {
        switch self {
        case .random(let b): return RandomSearch(genome: problem.genome, batch: b, seed: seed)
        case .evolution(let p, let s, let b):
            return RegularizedEvolution(genome: problem.genome, population: p, sampleSize: s, batch: b,
                                        fitnessObjective: problem.objectives.firstIndex(of: .quality) ?? 0, seed: seed)
        case .nsga2(let p): return NSGA2(genome: problem.genome, population: p, seed: seed)
        }
    }
}
