import Foundation
import NASArchitecture
import NASMeasurement
import NASPredictors
import NASSupport

/// `nas calibrate --device host`: makes this machine's predictor in one resumable run.
///
/// Stages, each appending to its own file under `work/` so that a killed run continues where it stopped:
/// 1. isolated layers of the zoo, augmented (`isolated.jsonl`, the `nas profile` catalog and format);
/// 2. layers inside whole random networks of every shipped space (`in-context.jsonl`);
/// 3. training on both into `host/` (a bundle, so `NAS_BUNDLES=OUT` also finds it), and the network-level
///    correction from the in-context networks' end-to-end times (`in-context-networks.jsonl`);
/// 4. a calibration set of whole networks, predicted by the new bundle and measured (`calibration.jsonl`).
public final class HostCalibrator {
    public let plan: CalibrationPlan
    public let directory: String
    let backend: MeasurementBackend
    let zoo: [(String, ResolvedNetwork)]
    let progress: ProgressReporter
    let log: (String) -> Void
    let settings: MeasurementSettings
    let networkSettings: MeasurementSettings

    public init(plan: CalibrationPlan, directory: String, backend: MeasurementBackend, zoo: [(String, ResolvedNetwork)],
                progress: ProgressReporter = ProgressReporter(), log: @escaping (String) -> Void) throws {
        self.plan = plan; self.directory = directory; self.backend = backend; self.zoo = zoo
        self.progress = progress; self.log = log
        settings = try MeasurementSettings(warmup: 2, repeats: 10, threads: plan.threads).validated()
        networkSettings = try Self.networkSettings(threads: plan.threads)
    }

    /// How whole networks are timed: the calibration set, and `CalibrationDrift` after it.
    static func networkSettings(threads: Int) throws -> MeasurementSettings {
        try MeasurementSettings(warmup: 1, repeats: 5, threads: threads).validated()
    }

    public var workDirectory: String { (directory as NSString).appendingPathComponent("work") }
    public var bundleDirectory: String { (directory as NSString).appendingPathComponent("host") }
    var isolatedPath: String { (workDirectory as NSString).appendingPathComponent("isolated.jsonl") }
    var inContextPath: String { (workDirectory as NSString).appendingPathComponent("in-context.jsonl") }
    var inContextNetworksPath: String { (workDirectory as NSString).appendingPathComponent("in-context-networks.jsonl") }
    var correctionPath: String { (bundleDirectory as NSString).appendingPathComponent(NetworkLatencyCorrection.fileName) }
    var calibrationPath: String { (workDirectory as NSString).appendingPathComponent("calibration.jsonl") }
    var boundPath: String { (bundleDirectory as NSString).appendingPathComponent(NetworkLatencyBound.fileName) }

    public struct Outcome: Sendable {
        public var isolatedSamples: Int
        public var inContextSamples: Int
        public var manifest: BundleManifest
        public var scores: CalibrationScores?
        /// The calibration set scored on the plain layer sum, beside `scores` (which include the correction).
        public var plainScores: CalibrationScores?
        /// The network-level correction, or why there is none.
        public var correction: Result<NetworkLatencyCorrection, CalibrationError>
        public var records: [CalibrationRecord]
        /// The split-conformal latency bound, from the space samples of the calibration set.
        public var bound: NetworkLatencyBound?
    }

    public func run() throws -> Outcome {
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let lock = try FolderLock(directory, purpose: "nas calibrate", subfolders: ["work", "host"])
        defer { withExtendedLifetime(lock) {} }
        log("calibrate: budget \(Int(plan.budgetSeconds)) s on \(plan.threads) thread\(plan.threads == 1 ? "" : "s"), into \(directory)")
        try profileIsolated()
        try profileInContext()
        let (bundle, isolated, inContext) = try train()
        let plain = DevicePredictor(bundle: bundle)
        let correction = try fitCorrection(plain)
        let predictor = try DevicePredictor(directory: bundleDirectory)
        let networks = try calibrationSet()
        let records = try measureCalibrationSet(predictor, networks)
        let bound = try writeBound(records)
        let byName = Dictionary(networks.map { ($0.name, $0.network) }, uniquingKeysWith: { a, _ in a })
        let plainRecords = records.compactMap { r -> CalibrationRecord? in
            guard let net = byName[r.network], let sum = plain.totals(net).latencyMs.value else { return nil }
            var p = r
            p.predictedMs = sum
            return p
        }
        return Outcome(isolatedSamples: isolated, inContextSamples: inContext, manifest: bundle.manifest,
                       scores: CalibrationScores(records), plainScores: CalibrationScores(plainRecords),
                       correction: correction, records: records, bound: bound)
    }

    /// Stage 1: the `nas profile` catalog, cut by time (it is interleaved by category, so any prefix mixes kinds).
    func profileIsolated() throws {
        log("stage 1/4: isolated layers, up to \(Int(plan.isolatedSeconds)) s")
        let catalog = WorkloadCatalog.representative(zoo: zoo, seed: plan.seed)
        let profiler = Profiler(backend: backend, path: isolatedPath, options: Profiler.Options(
            batches: [1, 16], timeBudgetSeconds: plan.isolatedSeconds, settings: settings), progress: progress)
        _ = try profiler.run(catalog: catalog)
    }

    /// Stage 2: random networks of every space, run end to end, each layer's in-network time kept.
    func profileInContext() throws {
        log("stage 2/4: layers inside whole networks, up to \(Int(plan.inContextSeconds)) s")
        let networks = try inContextNetworks()
        let done = try InContextProfile.measuredNetworks(path: inContextPath)
        let todo = networks.filter { !done.contains($0.name) }
        let file = try JSONLinesFile(appendingTo: inContextPath, sync: .batched(lines: 50, seconds: 5), holder: "another nas calibrate")
        let totals = try JSONLinesFile(appendingTo: inContextNetworksPath, sync: .batched(lines: 50, seconds: 5), holder: "another nas calibrate")
        defer { file.sync(); totals.sync() }
        let start = DispatchTime.now().uptimeNanoseconds
        progress.begin("in-context", total: todo.count, unit: "networks")
        for (i, entry) in todo.enumerated() {
            if Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 >= plan.inContextSeconds { break }
            progress.update(done: i, detail: entry.name)
            let m = try backend.measureNetwork(entry.network, settings: networkSettings)
            let stamp = ISO8601DateFormatter().string(from: Date())
            // All lines of a network in one write: a kill leaves either all of them or a torn last line.
            let lines = try InContextProfile.records(entry, m, settings: networkSettings, timestamp: stamp).map { try JSONLines.line($0) }
            try file.append(line: lines.joined(separator: "\n"))
            let total = InContextNetworkRecord(network: entry.name, batch: entry.network.batch, layers: entry.network.layers.count,
                                               measuredMs: m.latency.medianMs, timestamp: stamp)
            try totals.append(line: try JSONLines.line(total))
        }
        progress.finish()
    }

    /// Stage 3, second part: the network-level correction from the in-context networks, predicted by the new
    /// bundle as plain layer sums, written beside it; a failure (too few networks) is reported, not thrown.
    func fitCorrection(_ plain: DevicePredictor) throws -> Result<NetworkLatencyCorrection, CalibrationError> {
        let entries = Dictionary(try inContextNetworks().map { ($0.name, $0.network) }, uniquingKeysWith: { a, _ in a })
        let samples = try InContextProfile.networkTotals(path: inContextNetworksPath).values.sorted { $0.network < $1.network }
            .compactMap { r -> NetworkLatencyCorrection.Sample? in
                guard let net = entries[r.network] else { return nil }
                let e = plain.estimate(net)
                let z = e.correctionFeatures
                guard e.latencyMs.isAvailable, z.sumMs > 0 else { return nil }
                return NetworkLatencyCorrection.Sample(sumMs: z.sumMs, layers: z.layers, smallLayers: z.smallLayers, measuredMs: r.measuredMs)
            }
        do {
            let c = try NetworkLatencyCorrection.fit(samples, seed: plan.seed,
                                                     source: "\(samples.count) random networks of \(CalibrationNetworks.spaces.joined(separator: ", ")), layers in context, measured end to end")
            try c.write(to: correctionPath)
            return .success(c)
        } catch let e as PredictorError {
            return .failure(CalibrationError(e.message))
        }
    }

    /// The networks of stage 2.
    func inContextNetworks() throws -> [CalibrationNetworks.Entry] {
        try CalibrationNetworks.spaceSamples(perSpace: 40, seed: plan.seed &+ 1000)
    }

    /// The networks of stage 4, in the order measured.
    func calibrationSet() throws -> [CalibrationNetworks.Entry] {
        Array((try CalibrationNetworks.spaceSamples(perSpace: 20, seed: plan.seed &+ 2000) + CalibrationNetworks.zoo(zoo))
            .prefix(CalibrationPlan.maxCalibrationNetworks))
    }

    /// Stage 3: one bundle from both files, written over any earlier one.
    func train() throws -> (PredictorBundle, Int, Int) {
        log("stage 3/4: training the host predictor")
        let spec = DeviceSpec.host
        let isolated = try DatasetReader.read(path: isolatedPath, device: spec)
        let inContext = try DatasetReader.read(path: inContextPath, device: spec)
        guard isolated.samples.count + inContext.samples.count >= 20 else {
            throw CalibrationError("only \(isolated.samples.count + inContext.samples.count) layers were measured, too few to train on; give a longer --budget")
        }
        let bundle = try Trainer.train(device: spec, datasets: [isolated, inContext])
        // A bound belongs to the bundle it was measured against: the old one goes before the new bundle lands.
        try? FileManager.default.removeItem(atPath: boundPath)
        try? FileManager.default.removeItem(atPath: correctionPath)
        try bundle.write(to: bundleDirectory)
        return (bundle, isolated.samples.count, inContext.samples.count)
    }

    /// Stage 4: whole networks predicted by the new bundle and measured, until the share or the set runs out.
    func measureCalibrationSet(_ predictor: DevicePredictor, _ candidates: [CalibrationNetworks.Entry]) throws -> [CalibrationRecord] {
        log("stage 4/4: calibration set of whole networks, up to \(Int(plan.calibrationSeconds)) s")
        let file = try JSONLinesFile(appendingTo: calibrationPath, sync: .everyLine, holder: "another nas calibrate")
        // Measurements of a resumed run are kept; their predictions are redone, since the bundle may have been retrained.
        let byName = Dictionary(candidates.map { ($0.name, $0.network) }, uniquingKeysWith: { a, _ in a })
        var records: [CalibrationRecord] = try JSONLines.read(CalibrationRecord.self, from: calibrationPath).compactMap { r in
            guard let net = byName[r.network], let predicted = predictor.totals(net).latencyMs.value else { return nil }
            var fresh = r
            fresh.predictedMs = predicted
            return fresh
        }
        let done = Set(records.map(\.network))
        let todo = candidates.filter { !done.contains($0.name) }
        let start = DispatchTime.now().uptimeNanoseconds
        progress.begin("calibration set", total: todo.count, unit: "networks")
        for (i, entry) in todo.enumerated() {
            if Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 >= plan.calibrationSeconds { break }
            progress.update(done: i, detail: entry.name)
            guard let predicted = predictor.totals(entry.network).latencyMs.value else { continue }
            let m = try backend.measureNetwork(entry.network, settings: networkSettings)
            let r = CalibrationRecord(network: entry.name, batch: entry.network.batch, layers: entry.network.layers.count,
                                      predictedMs: predicted, measuredMs: m.latency.medianMs,
                                      timestamp: ISO8601DateFormatter().string(from: Date()))
            try file.append(line: try JSONLines.line(r))
            records.append(r)
        }
        progress.finish()
        return records
    }

    /// The bound from the calibration networks drawn like a search's candidates (the space samples; the zoo is
    /// scored but left out, since no search proposes it), written into the bundle; nil when none was measured.
    func writeBound(_ records: [CalibrationRecord]) throws -> NetworkLatencyBound? {
        let drawn = records.filter { $0.network.hasPrefix(CalibrationNetworks.spacePrefix) }
        guard !drawn.isEmpty else { return nil }
        let bound = try NetworkLatencyBound(logRatios: drawn.map { Foundation.log($0.measuredMs / $0.predictedMs) },
                                            source: "\(drawn.count) random networks of \(CalibrationNetworks.spaces.joined(separator: ", ")) at batch 1, measured end to end")
        try bound.write(to: boundPath)
        return bound
    }
}
