@preconcurrency import CGSL

/// A reproducible random stream: GSL's Mersenne Twister (mt19937) with an explicit seed.
///
/// Runs must be repeatable from their recorded seed, so nothing in the project draws from the system
/// generator. This wraps a `gsl_rng` and frees it in `deinit`.
///
/// Not `Sendable`, on purpose: a `gsl_rng` carries mutable state with no locking, and two threads
/// drawing from one instance would both race and make the sequence depend on scheduling. Give each
/// task its own instance, seeded from the run's seed (for example seed + task index).
public final class GSLRandom {
    private let rng: UnsafeMutablePointer<gsl_rng>
    /// The seed this stream started from. GSL maps seed 0 to mt19937's default seed 4357.
    public let seed: UInt

    /// Largest n accepted by `uniformInt`: mt19937 produces 32-bit outputs.
    public static let maximumUniformIntRange = 4_294_967_295

    public init(seed: UInt) {
        GSL.disableAbortingErrorHandler()
        guard let rng = gsl_rng_alloc(gsl_rng_mt19937) else {
            fatalError("GSLRandom: gsl_rng_alloc failed (out of memory)")
        }
        gsl_rng_set(rng, seed)
        self.rng = rng
        self.seed = seed
    }

    deinit {
        gsl_rng_free(rng)
    }

    /// A double uniform on [0, 1).
    public func uniform() -> Double {
        gsl_rng_uniform(rng)
    }

    /// An integer uniform on 0..<n, without modulo bias. `n` must be in 1...maximumUniformIntRange;
    /// anything else is a programming error (like an index out of range) and traps with a message.
    public func uniformInt(_ n: Int) -> Int {
        precondition(n >= 1 && n <= Self.maximumUniformIntRange,
                     "GSLRandom.uniformInt: n must be in 1...\(Self.maximumUniformIntRange), got \(n)")
        return Int(gsl_rng_uniform_int(rng, UInt(n)))
    }

    /// A normal deviate with the given mean and standard deviation (`gsl_ran_gaussian`, Box–Muller polar
    /// method); used to simulate measurement noise in tests and synthetic devices.
    public func gaussian(mean: Double = 0, sd: Double = 1) -> Double {
        mean + gsl_ran_gaussian(rng, sd)
    }
}

/// Spelled out so that no later extension can quietly make the generator shareable across threads.
@available(*, unavailable, message: "a gsl_rng is unsynchronised mutable state; give each task its own GSLRandom")
extension GSLRandom: Sendable {}
