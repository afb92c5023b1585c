import NASMeasurement

/// What prediction saves over benchmarking, from timings measured in one run.
public struct SpeedupStudy: Sendable, Hashable, Codable {
    /// Wall time of one network's cost prediction on one device, from an empty memo and from a warm one.
    public var predictColdSeconds: Double
    public var predictMemoizedSeconds: Double
    /// One network's benchmark, stage by stage.
    public var benchmark: BenchmarkStages
    /// One-time cost of building the device's predictor: profiling its layers and training the models.
    public var profilingSeconds: Double?
    public var trainingSeconds: Double?

    public init(predictColdSeconds: Double, predictMemoizedSeconds: Double, benchmark: BenchmarkStages,
                profilingSeconds: Double?, trainingSeconds: Double?) {
        self.predictColdSeconds = predictColdSeconds
        self.predictMemoizedSeconds = predictMemoizedSeconds
        self.benchmark = benchmark
        self.profilingSeconds = profilingSeconds
        self.trainingSeconds = trainingSeconds
    }

    /// How many times faster a cold prediction is than benchmarking the network.
    public var speedupCold: Double { benchmark.totalSeconds / predictColdSeconds }
    public var speedupMemoized: Double { benchmark.totalSeconds / predictMemoizedSeconds }

    /// After how many queried networks the one-time profiling and training cost is paid back: the smallest n with
    /// n × benchmark ≥ profiling + training + n × prediction. Nil when that cost is unknown or prediction is not cheaper.
    public var breakEvenNetworks: Int? {
        guard let p = profilingSeconds else { return nil }
        let oneTime = p + (trainingSeconds ?? 0)
        let saved = benchmark.totalSeconds - predictColdSeconds
        guard saved > 0 else { return nil }
        return Int((oneTime / saved).rounded(.up))
    }
}
