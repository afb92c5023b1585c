import Foundation
import NASArchitecture

/// Trains a device's bundle: for every (workload kind, metric) with data, leaves out untuned-schedule outliers
/// (latency), cross-validates every candidate on log targets, keeps the one with the lowest out-of-fold MAPE,
/// refits it on all inliers, and scores that whole procedure by nested cross-validation.
///
/// Everything is deterministic: fixed fold seed, seeded fits, sorted output, no timestamps, and training
/// files recorded by base name and SHA-256 — so the same inputs give a byte-identical bundle.
public enum Trainer {
    /// A sample's `path:line` as a bundle records it: `file:line`, so that a bundle does not depend on where
    /// its training data was read from (`scripts/train-bundles.sh --check` and the tests read it from
    /// different paths).
    static func recorded(_ source: String) -> String { (source as NSString).lastPathComponent }

    /// Trains from already-read datasets. With no samples at all, the bundle is the analytic roofline model
    /// alone, marked "uncalibrated: no measurements".
    public static func train(device: DeviceSpec, datasets: [LoadedDataset], group: DeviceGroupData? = nil,
                             log: (String) -> Void = { _ in }) throws -> PredictorBundle {
        let samples = datasets.flatMap(\.samples)
        let training = datasets.map {
            TrainingFile(file: ($0.path as NSString).lastPathComponent, sha256: $0.sha256, lines: $0.lineCount,
                         samples: $0.samples.count, format: $0.format,
                         rejected: $0.rejected.map { RejectedSample(source: recorded($0.source), reason: $0.reason) }, warnings: $0.warnings,
                         machines: $0.machines)
        }
        var entries: [ModelEntry] = []
        var unavailable: [UnavailableEntry] = []
        var files: [String: Data] = [:]
        var models: [WorkloadKind: [Metric: any LayerModel]] = [:]

        for kind in WorkloadKind.allCases {
            let ofKind = samples.filter { $0.workload.kind == kind }
            // add and concat enter a manifest only where they were profiled (the host); elsewhere they are a roofline.
            if ofKind.isEmpty && !WorkloadKind.layerKinds.contains(kind) { continue }
            var learntModels: [Metric: LearntModel] = [:]
            for metric in Metric.learnt {
                switch try learn(kind, metric, from: ofKind, allSamples: samples, device: device, group: group) {
                case .unavailable(let reason):
                    unavailable.append(UnavailableEntry(kind: kind, metric: metric, reason: reason))
                case .learnt(let learnt):
                    files[learnt.entry.file!] = learnt.data
                    models[kind, default: [:]][metric] = learnt.model
                    learntModels[metric] = learnt
                    entries.append(learnt.entry)
                    log(String(format: "%@ %@/%@: %d samples, %@ chosen, nested CV MAPE %.1f%%", device.id, kind.rawValue,
                               metric.rawValue, learnt.entry.samples, learnt.entry.chosenCandidate!.description, learnt.scores.mape))
                }
            }
            switch try energy(kind, from: ofKind, learnt: learntModels, device: device) {
            case .learnt(let learnt): entries.append(learnt.entry)
            case .unavailable(let reason): unavailable.append(UnavailableEntry(kind: kind, metric: .energy, reason: reason))
            case nil: break
            }
        }
        let calibrated = !entries.isEmpty
        var status = calibrated
            ? "learnt from \(samples.count) measured layers (\(training.map(\.file).joined(separator: ", ")))"
            : BundleManifest.uncalibratedStatus
        let warnings = training.flatMap(\.warnings)
        if calibrated && !warnings.isEmpty { status += "; caution: " + warnings.joined(separator: "; ") }
        let manifest = BundleManifest(device: device, calibrated: calibrated, status: status, trainingData: training,
                                      models: entries, unavailable: unavailable)
        return PredictorBundle(manifest: manifest, models: models, files: files)
    }

    /// A model of one (kind, metric), or why there is none.
    enum Outcome {
        case learnt(LearntModel)
        case unavailable(String)
    }

    struct LearntModel {
        var entry: ModelEntry
        /// Unrounded, for the training log.
        var scores: Scores
        /// Nil for a derived metric (energy), which is scored but has no model or file of its own.
        var model: (any LayerModel)?
        var data: Data?
        /// Log outer-fold predictions by sample source, for scoring energy.
        var nestedPredictions: [String: Double]
    }

    /// Runs the training procedure (outlier rule, selection by inner CV, refit) on all rows of one (kind, metric)
    /// for the shipped model, and inside each outer fold of a nested cross-validation for its scores.
    static func learn(_ kind: WorkloadKind, _ metric: Metric, from ofKind: [MeasuredSample], allSamples samples: [MeasuredSample],
                      device: DeviceSpec, group: DeviceGroupData? = nil) throws -> Outcome {
        let rows = ofKind.filter { $0.measurements.value(metric) != nil }
        if rows.count < CrossValidation.minimumSamples {
            return .unavailable(rows.isEmpty
                ? noDataReason(device: device, kind: kind, metric: metric, samples: samples)
                : "only \(rows.count) \(kind.rawValue) sample(s) with \(metric.rawValue) on \(device.id); at least \(CrossValidation.minimumSamples) needed")
        }
        let selection = ModelSelection(metric: metric, device: device, rows: rows, group: group?.rows(kind, metric))
        let trained: ModelSelection.Trained
        do {
            trained = try selection.train(rows: Array(rows.indices))
        } catch {
            return .unavailable("no regressor family could be fitted to the \(rows.count) samples")
        }
        let outer = try selection.nested(folds: CrossValidation.foldAssignment(n: rows.count))
        let actual = selection.actual
        let scores = Scores(actual: actual, predicted: outer.predictions.map { Foundation.exp($0) })
        let flagged = Set(trained.outliers)
        let inliers = rows.indices.filter { !flagged.contains($0) }
        let nested = NestedScores(
            outerFolds: outer.picks.count, picks: outer.picks,
            inlierScores: flagged.isEmpty ? nil
                : Scores(actual: inliers.map { actual[$0] }, predicted: inliers.map { Foundation.exp(outer.predictions[$0]) }).rounded,
            logRatios: zip(selection.y, outer.predictions).map { Scores.round4($0 - $1) }.sorted())
        let reference = OutlierRule.flag(rows: Array(rows.indices), X: selection.own, y: selection.y)
        let chosen = trained.candidate
        let group = chosen.pooled ? [device.id] + (group?.members ?? []) : []
        let model: any LayerModel = chosen.pooled
            ? PooledModel(inner: trained.model, descriptor: Features.descriptor(device), group: group) : trained.model
        let data = try model.serialized()
        let name = "\(kind.rawValue).\(metric.rawValue).\(chosen.pooled ? "pooled." : "")\(chosen.family.fileSuffix)"
        var entry = ModelEntry(kind: kind, metric: metric, samples: rows.count, subtypes: subtypeCounts(rows),
                               chosen: chosen.family, file: name, fileSHA256: SHA256.hex([UInt8](data)),
                               scores: scores.rounded, candidates: trained.results.mapValues(\.rounded), derived: nil)
        entry.pooledOver = group
        entry.nested = nested
        entry.outliers = reference.map {
            OutlierRecord(source: recorded(rows[$0.row].source), measured: Scores.round4(actual[$0.row]), ratio: Scores.round4($0.ratio))
        }
        let predictions = Dictionary(uniqueKeysWithValues: zip(rows.map(\.source), outer.predictions))
        return .learnt(LearntModel(entry: entry, scores: scores, model: model, data: data, nestedPredictions: predictions))
    }

    /// Energy = latency × power, scored from the nested outer-fold predictions of both procedures (each row's
    /// two predictions come from models that never saw it); nil when both are learnt but too few samples
    /// have both readings to score it.
    static func energy(_ kind: WorkloadKind, from ofKind: [MeasuredSample], learnt: [Metric: LearntModel],
                       device: DeviceSpec) throws -> Outcome? {
        guard let latency = learnt[.latency], let power = learnt[.power], let lf = latency.entry.chosenCandidate,
              let pf = power.entry.chosenCandidate else {
            let why = learnt[.latency] == nil
                ? "no learnt latency model for \(kind.rawValue) on \(device.id)"
                : "no learnt power model for \(kind.rawValue) on \(device.id)"
            return .unavailable("energy = latency × power, but \(why)")
        }
        let rows = ofKind.filter { $0.measurements.energyMJ != nil }
        guard rows.count >= CrossValidation.minimumSamples else { return nil }
        let predicted = rows.map { Foundation.exp(latency.nestedPredictions[$0.source]! + power.nestedPredictions[$0.source]!) }
        let scores = Scores(actual: rows.map { $0.measurements.energyMJ! }, predicted: predicted)
        let entry = ModelEntry(kind: kind, metric: .energy, samples: rows.count, subtypes: subtypeCounts(rows),
                               chosen: nil, file: nil, fileSHA256: nil, scores: scores.rounded, candidates: [:],
                               derived: "latency × power (\(lf) × \(pf))")
        return .learnt(LearntModel(entry: entry, scores: scores, model: nil, data: nil, nestedPredictions: [:]))
    }

    static func subtypeCounts(_ rows: [MeasuredSample]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for r in rows { counts[r.subtype ?? "plain", default: 0] += 1 }
        return counts
    }

    static func noDataReason(device: DeviceSpec, kind: WorkloadKind, metric: Metric, samples: [MeasuredSample]) -> String {
        if samples.isEmpty { return "\(BundleManifest.uncalibratedStatus) for \(device.id)" }
        let hasDeviceMemory = samples.contains { $0.measurements.deviceAllocatedMiB != nil }
        let hasLayerMemory = samples.contains { $0.measurements.memoryMiB != nil }
        let sponner = samples.contains { $0.origin.hasPrefix("dataset/") }
        switch metric {
        case .latency: return "no \(kind.rawValue) latency measurements for \(device.id)"
        case .power:
            if let note = samples.lazy.flatMap(\.notes).first(where: { $0.hasPrefix("power unavailable: ") }) {
                return "no power measurements for \(device.id) (the profiler recorded \(note))"
            }
            return "no \(kind.rawValue) power measurements for \(device.id)"
        case .memory:
            if hasDeviceMemory {
                return "no per-layer memory measurements for \(device.id) (its data has device-wide allocated memory only, learnt as device_memory)"
            }
            if hasLayerMemory { return "no \(kind.rawValue) memory measurements for \(device.id)" }
            return sponner ? "memory not measured on \(device.id) (the dataset records memory = -1)"
                           : "no per-layer memory measurements for \(device.id)"
        case .deviceMemory:
            if hasLayerMemory { return "no device-wide memory readings for \(device.id) (its per-layer TVM io/ws sizes are learnt as memory)" }
            if hasDeviceMemory { return "no \(kind.rawValue) device-wide memory readings for \(device.id)" }
            return sponner ? "memory not measured on \(device.id) (the dataset records memory = -1)"
                           : "no device-wide memory readings for \(device.id)"
        case .energy: return "no energy measurements for \(device.id)"
        }
    }
}
