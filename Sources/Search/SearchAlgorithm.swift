/// A search strategy in ask-and-tell form. Its proposals depend only on its seed and on what it was
/// told, never on timing or threads, which is what makes runs reproducible and resumable by replay.
public protocol SearchAlgorithm {
    /// Between 1 and `limit` genotypes to evaluate next.
    mutating func ask(limit: Int) -> [Genotype]
    /// The evaluated candidates of the last `ask`, in the order asked.
    mutating func tell(_ candidates: [Candidate])
}
