import Foundation
import NASArchitecture
import NASSearch
import NASSupport

/// The whole networks a calibration runs: seeded random samples of every shipped search space, interleaved
/// so that a budget cut still covers each space, and the reference zoo, smallest first.
public enum CalibrationNetworks {
    public struct Entry: Sendable {
        /// Unique within the calibration: "space:mobile-224:17" or "zoo:alexnet".
        public var name: String
        public var network: ResolvedNetwork
    }

    /// The spaces in SearchSpaces/ that every calibration samples.
    public static let spaces = ["cifar-32", "fashion-mnist-28", "mobile-224"]
    /// How the names of space samples begin.
    public static let spacePrefix = "space:"

    /// `perSpace` random architectures of each space, round-robin, at `batch`; unknown spaces are skipped.
    public static func spaceSamples(perSpace: Int, seed: UInt64, batch: Int = 1) throws -> [Entry] {
        var bySpace: [[Entry]] = []
        for name in spaces {
            guard let (space, _) = try? SearchSpace.locate(name) else { continue }
            let genome = Genome(space)
            var rng = SeededRandom(seed: seed &+ UInt64(bySpace.count))
            var entries: [Entry] = []
            for i in 0..<perSpace {
                var architecture = try genome.architecture(genome.random(&rng))
                architecture.batch = batch
                entries.append(Entry(name: "\(spacePrefix)\(name):\(i)", network: try architecture.resolved()))
            }
            bySpace.append(entries)
        }
        guard !bySpace.isEmpty else {
            throw CalibrationError("no shipped search space found (looked for \(spaces.joined(separator: ", ")) in SearchSpaces/)")
        }
        return (0..<perSpace).flatMap { i in bySpace.map { $0[i] } }
    }

    /// The zoo's networks at batch 1, fewest FLOPs first (so a short budget measures the cheap ones).
    public static func zoo(_ networks: [(String, ResolvedNetwork)]) -> [Entry] {
        networks.map { Entry(name: "zoo:\($0.0)", network: $0.1) }
            .sorted { ($0.network.figures().flops, $0.name) < ($1.network.figures().flops, $1.name) }
    }
}
