import Foundation
import NASArchitecture
import NASMeasurement
import NASPredictors
import NASSearch
import NASSupport

/// Benchmarks a run's candidates for real and records each beside its predictions (`verify.jsonl`).
public struct Verifier {
    public var run: SearchRun
    public var device: String
    public var backend: MeasurementBackend
    public var backendName: String
    public var settings: MeasurementSettings
    public var predictor: DevicePredictor

    public init(run: SearchRun, device: String, backend: MeasurementBackend, backendName: String,
                settings: MeasurementSettings, predictor: DevicePredictor) {
        self.run = run; self.device = device; self.backend = backend; self.backendName = backendName
        self.settings = settings; self.predictor = predictor
    }

    public var log: VerificationLog { VerificationLog(path: run.directory + "/verify.jsonl") }

    /// The run's best `top` feasible candidates, plus up to `infeasible` infeasible ones whose predicted cost on the
    /// device lies closest above its budgets (where a false "infeasible" verdict would matter).
    public func selection(top: Int, infeasible: Int) throws -> [(candidate: Candidate, sampledAs: String)] {
        let result = try run.result()
        var picked = result.top(top, genome: run.genome).map { ($0, "top") }
        if infeasible > 0 {
            let budgets = run.configuration.budgets.filter { $0.device == device }
            var seen = Set(picked.map(\.0.genotype))
            let near = result.candidates.filter { c in
                !c.isFeasible && c.unknowns == 0 && budgets.contains { b in (b.violation(c.evaluation.costs[device]?[b.metric]) ?? 0) > 0 }
            }.sorted { $0.CV < $1.CV }
            for c in near where picked.count < top + infeasible && seen.insert(c.genotype).inserted {
                picked.append((c, "infeasible"))
            }
        }
        return picked
    }

    /// Measures every selected candidate not yet in the log, appending as it goes; returns all records for the device.
    public func verify(_ selection: [(candidate: Candidate, sampledAs: String)],
                       progress: (Int, Int, Candidate) -> Void = { _, _, _ in }) throws -> [VerificationRecord] {
        var records = try log.read()
        let done = Set(records.filter { $0.device == device && $0.backend == backendName }.map(\.candidate))
        let estimator = PredictorCostEstimator(predictor)
        for (n, item) in selection.enumerated() where !done.contains(item.candidate.index) {
            let c = item.candidate
            progress(n, selection.count, c)
            let archPath = run.directory + "/" + SearchRun.architectureFile(c.index)
            let architecture = try run.genome.architecture(c.genotype)
            if !FileManager.default.fileExists(atPath: archPath) {
                try FileManager.default.createDirectory(atPath: (archPath as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try AtomicFile.write(architecture.jsonString(), to: archPath)
            }
            let network = try architecture.resolved()
            let (cold, memoized) = Self.timePrediction(estimator, network)
            let predicted = c.evaluation.costs[device]
            let measurement = try backend.measureNetwork(network, settings: settings)
            let record = VerificationRecord(
                candidate: c.index, device: device, backend: backendName, sampledAs: item.sampledAs,
                predictedLatencyMs: predicted?.latencyMs, predictedEnergyMJ: predicted?.energyMJ,
                predictedMemoryMiB: predicted?.memoryMiB, measurement: measurement,
                predictColdSeconds: cold, predictMemoizedSeconds: memoized, timestamp: Self.now(),
                predictedLatencyBoundMs: predicted?.latencyBoundMs)
            try log.append(record)
            records.append(record)
        }
        let wanted = Set(selection.map(\.candidate.index))
        return records.filter { $0.device == device && $0.backend == backendName && wanted.contains($0.candidate) }
    }

    /// The search's own query (totals on one device) from an empty memo, then the mean of repeated warm queries.
    public static func timePrediction(_ estimator: PredictorCostEstimator, _ network: ResolvedNetwork) -> (cold: Double, memoized: Double) {
        estimator.predictor.clearMemo()
        let t0 = DispatchTime.now().uptimeNanoseconds
        _ = estimator.costs(of: network)
        let cold = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let repeats = 1000
        let t1 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<repeats { _ = estimator.costs(of: network) }
        let memoized = Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9 / Double(repeats)
        return (cold, memoized)
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}

/// The one-time cost of a device's predictor, read from its profiling dataset and measured by retraining.
public enum PredictorBuildCost {
    /// Wall time from the first to the last line of a profiling file (`nas profile` output, plain or gzip).
    public static func profilingSeconds(path: String) throws -> Double? {
        let data = try DataFile.contents(path: path)
        let f = ISO8601DateFormatter()
        var first: Date?, last: Date?
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let v = try? JSONValue.parse(String(line)), let s = v["timestamp"]?.stringValue, let d = f.date(from: s) else { continue }
            first = min(first ?? d, d)
            last = max(last ?? d, d)
        }
        guard let a = first, let b = last else { return nil }
        return b.timeIntervalSince(a)
    }

    /// Seconds to train the device's bundle from `paths`, measured by doing it (nothing is written).
    public static func trainingSeconds(device: DeviceSpec, paths: [String]) throws -> Double {
        let datasets = try paths.map { try DatasetReader.read(path: $0, device: device) }
        let t0 = DispatchTime.now().uptimeNanoseconds
        _ = try Trainer.train(device: device, datasets: datasets)
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }
}
