/// SplitMix64 (Steele, Lea, Flood 2014): the project's one small seeded generator.
///
/// A value type with no allocation and no C call per draw, so it suits hot loops (tree ensembles, fold
/// shuffles, random weights, Monte-Carlo hypervolume), and it seeds `SeededRandom` and derives independent
/// streams from a seed and an index. Every helper keeps the exact stream it had when the shipped bundles and
/// the recorded runs were made: changing one would change those files.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    public private(set) var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform on [lo, hi) with 24 random bits, for f32 tensors.
    public mutating func uniform(_ lo: Float, _ hi: Float) -> Float {
        lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24)
    }

    /// An integer in 0..<n by modulo reduction: very slightly biased for large n, and kept because the
    /// shipped bundles' fold assignments were drawn with it. New code wants `SeededRandom.below(_:)`.
    public mutating func int(_ n: Int) -> Int {
        precondition(n > 0, "SplitMix64.int(\(n))")
        return Int(next() % UInt64(n))
    }

    /// A seed for stream `index` of `seed`, independent of the others for practical purposes.
    public static func derive(_ seed: UInt64, _ index: UInt64) -> UInt64 {
        var g = SplitMix64(seed: seed ^ (index &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return g.next()
    }
}
