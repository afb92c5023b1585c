/// One point of a search space: for every gene of the space's `Genome`, the index of the chosen option.
///
/// Genes that the other choices make irrelevant (blocks beyond a stage's depth, dense widths beyond the
/// dense count) are kept, as in Cartesian genetic programming, so that a later mutation can reveal them.
public struct Genotype: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public var genes: [Int]
    public init(_ genes: [Int]) { self.genes = genes }
    public init(arrayLiteral elements: Int...) { genes = elements }

    public var description: String { "[" + genes.map(String.init).joined(separator: ",") + "]" }

    public static func < (a: Genotype, b: Genotype) -> Bool { a.genes.lexicographicallyPrecedes(b.genes) }

    /// Feeds the hasher one word mixed from the genes instead of every gene: genotypes are hashed several
    /// times per evaluation (novelty, evaluation cache, archive), and equal genotypes still hash equally.
    public func hash(into hasher: inout Hasher) {
        var h: UInt64 = UInt64(truncatingIfNeeded: genes.count)
        for v in genes {
            h = (h ^ UInt64(truncatingIfNeeded: v)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 31
        }
        hasher.combine(h)
    }
}

/// A choice point of a space, with the labels of its options.
public struct Gene: Hashable, Sendable {
    public enum Role: Hashable, Sendable {
        case stemFilters
        case depth(stage: Int)
        case width(stage: Int)
        case downsampling(stage: Int)
        /// Block `position` (0-based) of `stage`; active when the stage's depth exceeds `position`.
        case block(stage: Int, position: Int)
        case headPooling
        case denseCount
        /// Width of hidden dense layer `position` (0-based); active when the dense count exceeds it.
        case denseWidth(position: Int)
    }
    /// Dotted name, e.g. `stage2.block3`, used in config.json and in exported analyses.
    public var name: String
    public var role: Role
    public var options: [String]
}
