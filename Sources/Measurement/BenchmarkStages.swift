/// The stages of benchmarking one network on a backend.
public struct BenchmarkStages: Sendable, Hashable, Codable {
    enum CodingKeys: String, CodingKey {
        case setupSeconds = "setup_s", warmupSeconds = "warmup_s", timedSeconds = "timed_s", warmupRuns = "warmup_runs", timedRuns = "timed_runs"
    }

    /// Building the runnable network: memory, weights, layouts and primitive creation (oneDNN's JIT compile).
    public var setupSeconds: Double
    public var warmupSeconds: Double
    public var timedSeconds: Double
    public var warmupRuns: Int
    public var timedRuns: Int

    public init(setupSeconds: Double, warmupSeconds: Double, timedSeconds: Double, warmupRuns: Int, timedRuns: Int) {
        self.setupSeconds = setupSeconds
        self.warmupSeconds = warmupSeconds
        self.timedSeconds = timedSeconds
        self.warmupRuns = warmupRuns
        self.timedRuns = timedRuns
    }

    public var totalSeconds: Double { setupSeconds + warmupSeconds + timedSeconds }
}
