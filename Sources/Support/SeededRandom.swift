/// xoshiro256** (Blackman, Vigna 2018), seeded through SplitMix64.
///
/// Every random choice of a search goes through this type, with its own integer and real sampling
/// rather than the standard library's, so that a seed gives the same run on every platform and Swift version.
public struct SeededRandom: RandomNumberGenerator, Sendable, Hashable {
    // Inlinable across modules: synflow draws millions of weights, and a call per draw cost 2 % of a search.
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in 0..<n (Lemire's multiply-and-reject, unbiased).
    @inlinable
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(\(n))")
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// True with probability `p`.
    @inlinable
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// `k` distinct indices of 0..<n in the order drawn (partial Fisher–Yates).
    public mutating func sample(_ k: Int, of n: Int) -> [Int] {
        precondition(k <= n)
        var pool = Array(0..<n)
        for i in 0..<k { pool.swapAt(i, i + below(n - i)) }
        return Array(pool.prefix(k))
    }
}
