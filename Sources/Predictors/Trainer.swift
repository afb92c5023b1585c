import Foundation
import NASArchitecture

/// Trains a device's bundle: for every (workload kind, metric) with data, cross-validates every candidate
/// family on log targets, keeps the one with the lowest out-of-fold MAPE and refits it on all samples.
///
/// Everything is deterministic: fixed fold seed, seeded fits, sorted output, no timestamps, and training
/// files recorded by base name and SHA-256 — so the same inputs give a byte-identical bundle.
public enum Trainer {
    /// Trains from already-read datasets. With no samples at all, the bundle is the analytic roofline model
    /// alone, marked "uncalibrated: no measurements".
    public static func train(device: DeviceSpec, datasets: [LoadedDataset], log: (String) -> Void = { _ in }) throws -> PredictorBundle {
        let samples = datasets.flatMap(\.samples)
        let training = datasets.map {
            TrainingFile(file: ($0.path as NSString).lastPathComponent, sha256: $0.sha256, lines: $0.lineCount,
                         samples: $0.samples.count, format: $0.format, rejected: $0.rejected, warnings: $0.warnings,
                         machines: $0.machines)
        }
        var entries: [ModelEntry] = []
        var unavailable: [UnavailableEntry] = []
        var files: [String: Data] = [:]
        var models: [WorkloadKind: [Metric: any Regressor]] = [:]

        for kind in WorkloadKind.allCases {
            let ofKind = samples.filter { $0.workload.kind == kind }
            var chosenFamily: [Metric: RegressorFamily] = [:]
            for metric in Metric.learnt {
                switch try learn(kind, metric, from: ofKind, allSamples: samples, device: device) {
                case .unavailable(let reason):
                    unavailable.append(UnavailableEntry(kind: kind, metric: metric, reason: reason))
                case .learnt(let learnt):
                    files[learnt.entry.file!] = learnt.data
                    models[kind, default: [:]][metric] = learnt.model
                    chosenFamily[metric] = learnt.entry.chosen
                    entries.append(learnt.entry)
                    log(String(format: "%@ %@/%@: %d samples, %@ chosen, CV MAPE %.1f%%", device.id, kind.rawValue,
                               metric.rawValue, learnt.entry.samples, learnt.entry.chosen!.rawValue, learnt.scores.mape))
                }
            }
            switch try energy(kind, from: ofKind, chosen: chosenFamily, device: device) {
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
        var model: (any Regressor)?
        var data: Data?
    }

    /// Cross-validates every candidate family for one (kind, metric) on log targets and refits the one with the
    /// lowest out-of-fold MAPE on all rows.
    static func learn(_ kind: WorkloadKind, _ metric: Metric, from ofKind: [MeasuredSample], allSamples samples: [MeasuredSample],
                      device: DeviceSpec) throws -> Outcome {
        let rows = ofKind.filter { $0.measurements.value(metric) != nil }
        if rows.count < CrossValidation.minimumSamples {
            return .unavailable(rows.isEmpty
                ? noDataReason(device: device, kind: kind, metric: metric, samples: samples)
                : "only \(rows.count) \(kind.rawValue) sample(s) with \(metric.rawValue) on \(device.id); at least \(CrossValidation.minimumSamples) needed")
        }
        let X = rows.map { Features.vector($0.workload, spec: device) }
        let y = rows.map { Foundation.log($0.measurements.value(metric)!) }
        let actual = rows.map { $0.measurements.value(metric)! }
        let folds = CrossValidation.foldAssignment(n: rows.count)
        var candidates: [RegressorFamily: CandidateResult] = [:]
        var best: (RegressorFamily, Scores)? = nil
        for family in RegressorFamily.candidates(for: metric) {
            do {
                let oof = try CrossValidation.outOfFold(family, X: X, y: y, metric: metric, folds: folds)
                let scores = Scores(actual: actual, predicted: oof.map { Foundation.exp($0) })
                candidates[family] = .scores(scores.rounded)
                if best == nil || scores.mape < best!.1.mape { best = (family, scores) }
            } catch {
                candidates[family] = .unavailable("\(error)")
            }
        }
        guard let (family, scores) = best else {
            return .unavailable("no regressor family could be fitted to the \(rows.count) samples")
        }
        let model = try family.type.fit(X: X, y: y, metric: metric, seed: CrossValidation.seed)
        let data = try model.serialized()
        let name = "\(kind.rawValue).\(metric.rawValue).\(family.fileSuffix)"
        let entry = ModelEntry(kind: kind, metric: metric, samples: rows.count, subtypes: subtypeCounts(rows),
                               chosen: family, file: name, fileSHA256: SHA256.hex([UInt8](data)),
                               scores: scores.rounded, candidates: candidates, derived: nil)
        return .learnt(LearntModel(entry: entry, scores: scores, model: model, data: data))
    }

    /// Energy = latency × power, scored from out-of-fold predictions of both chosen families; nil when both are
    /// learnt but too few samples have both readings to score it.
    static func energy(_ kind: WorkloadKind, from ofKind: [MeasuredSample], chosen: [Metric: RegressorFamily],
                       device: DeviceSpec) throws -> Outcome? {
        guard let lf = chosen[.latency], let pf = chosen[.power] else {
            let why = chosen[.latency] == nil
                ? "no learnt latency model for \(kind.rawValue) on \(device.id)"
                : "no learnt power model for \(kind.rawValue) on \(device.id)"
            return .unavailable("energy = latency × power, but \(why)")
        }
        let rows = ofKind.filter { $0.measurements.energyMJ != nil }
        guard rows.count >= CrossValidation.minimumSamples else { return nil }
        let X = rows.map { Features.vector($0.workload, spec: device) }
        let folds = CrossValidation.foldAssignment(n: rows.count)
        let t = try CrossValidation.outOfFold(lf, X: X, y: rows.map { Foundation.log($0.measurements.latencyMs!) }, metric: .latency, folds: folds)
        let p = try CrossValidation.outOfFold(pf, X: X, y: rows.map { Foundation.log($0.measurements.powerW!) }, metric: .power, folds: folds)
        let scores = Scores(actual: rows.map { $0.measurements.energyMJ! }, predicted: zip(t, p).map { Foundation.exp($0 + $1) })
        let entry = ModelEntry(kind: kind, metric: .energy, samples: rows.count, subtypes: subtypeCounts(rows),
                               chosen: nil, file: nil, fileSHA256: nil, scores: scores.rounded, candidates: [:],
                               derived: "latency × power (\(lf.rawValue) × \(pf.rawValue))")
        return .learnt(LearntModel(entry: entry, scores: scores, model: nil, data: nil))
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
