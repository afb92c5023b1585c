import Foundation
import NASArchitecture
import NASSupport

/// One candidate's cross-validation result: scores, or why the family could not be fitted.
public enum CandidateResult: Hashable, Sendable {
    case scores(Scores)
    case unavailable(String)

    public var scores: Scores? { if case .scores(let s) = self { return s }; return nil }

    var rounded: CandidateResult { if case .scores(let s) = self { return .scores(s.rounded) }; return self }
}

/// The manifest's record of one (workload kind, metric).
public struct ModelEntry: Hashable, Sendable {
    public var kind: WorkloadKind
    public var metric: Metric
    /// Training samples (after rejections).
    public var samples: Int
    /// Samples per layer subtype: "plain", "depthwise", "dilated", "grouped".
    public var subtypes: [String: Int]
    /// The selected family; nil for the derived energy entry.
    public var chosen: RegressorFamily?
    /// Model file name inside the bundle, and its SHA-256.
    public var file: String?
    public var fileSHA256: String?
    /// Scores of the chosen model (energy: of latency × power): nested outer-fold scores when `nested` is
    /// present, else (bundles trained before nested CV) the selection's own cross-validation.
    public var scores: Scores
    /// Every candidate's selection cross-validation result on the inliers (empty for energy). The chosen
    /// one's figure is optimistic: it won on these same folds.
    public var candidates: [ModelCandidate: CandidateResult]
    /// How a derived metric is computed.
    public var derived: String?
    /// The devices whose samples the chosen model was fitted on, this one first, when it is pooled over a
    /// device group; empty for a per-device model.
    public var pooledOver: [String] = []
    public var nested: NestedScores? = nil
    /// Training rows left out as untuned-schedule outliers.
    public var outliers: [OutlierRecord] = []

    /// The chosen candidate (family, and whether pooled).
    public var chosenCandidate: ModelCandidate? { chosen.map { ModelCandidate($0, pooled: !pooledOver.isEmpty) } }

    public var key: String { "\(kind.rawValue)/\(metric.rawValue)" }
}

/// A (workload kind, metric) without a model, and why.
public struct UnavailableEntry: Hashable, Sendable {
    public var kind: WorkloadKind
    public var metric: Metric
    public var reason: String
}

/// The identity of one training file.
public struct TrainingFile: Hashable, Sendable {
    public var file: String
    public var sha256: String
    public var lines: Int
    public var samples: Int
    public var format: String
    public var rejected: [RejectedSample]
    public var warnings: [String] = []
    /// Where profile lines were measured (host bundles); written only when known, so Sponner bundles are unchanged.
    public var machines: [MachineFingerprint] = []
}

/// The manifest of a predictor bundle (`manifest.json`).
public struct BundleManifest: Hashable, Sendable {
    public static let schemaVersion = 1
    public static let fileName = "manifest.json"
    /// The status of a bundle without measurements, shown everywhere the device appears.
    public static let uncalibratedStatus = "uncalibrated: no measurements"

    public var device: DeviceSpec
    /// False when no model in the bundle was learnt from measurements.
    public var calibrated: Bool
    public var status: String
    public var trainingData: [TrainingFile]
    public var models: [ModelEntry]
    public var unavailable: [UnavailableEntry]

    public func entry(_ kind: WorkloadKind, _ metric: Metric) -> ModelEntry? {
        models.first { $0.kind == kind && $0.metric == metric }
    }

    public func unavailableReason(_ kind: WorkloadKind, _ metric: Metric) -> String? {
        unavailable.first { $0.kind == kind && $0.metric == metric }?.reason
    }

    /// Total accepted training samples.
    public var sampleCount: Int { trainingData.reduce(0) { $0 + $1.samples } }

    // MARK: JSON

    var json: JSONValue {
        var models: [String: JSONValue] = [:]
        for m in self.models {
            var o: [String: JSONValue] = [
                "kind": .string(m.kind.rawValue), "metric": .string(m.metric.rawValue), "unit": .string(m.metric.unit),
                "samples": JSONValue(m.samples), "subtypes": .object(m.subtypes.mapValues { JSONValue($0) }),
                "scores": m.scores.json,
            ]
            if let c = m.chosen { o["chosen"] = .string(c.rawValue) }
            if !m.pooledOver.isEmpty { o["pooled_over"] = .array(m.pooledOver.map { .string($0) }) }
            if let n = m.nested { o["nested_cv"] = n.json }
            if !m.outliers.isEmpty { o["outliers"] = .array(m.outliers.map(\.json)) }
            if let f = m.file { o["file"] = .string(f) }
            if let h = m.fileSHA256 { o["file_sha256"] = .string(h) }
            if let d = m.derived { o["derived"] = .string(d) }

            if !m.candidates.isEmpty {
                var c: [String: JSONValue] = [:]
                for (candidate, result) in m.candidates {
                    switch result {
                    case .scores(let s): c[candidate.description] = s.json
                    case .unavailable(let why): c[candidate.description] = .object(["unavailable": .string(why)])
                    }
                }
                o["candidates"] = .object(c)
            }
            models[m.key] = .object(o)
        }
        var unavailable: [String: JSONValue] = [:]
        for u in self.unavailable { unavailable["\(u.kind.rawValue)/\(u.metric.rawValue)"] = .string(u.reason) }
        let spec: JSONValue = .object([
            "id": .string(device.id), "name": .string(device.name), "runtime": .string(device.runtime),
            "peak_flops": .number(device.peakFlops), "memory_bandwidth_bytes_per_s": .number(device.memoryBandwidth),
            "memory_bytes": device.memoryBytes.map { .number($0) } ?? .null,
            "tdp_watts": device.tdpWatts.map { .number($0) } ?? .null,
            "sources": .array(device.sources.map { .string($0) }), "notes": .string(device.notes),
        ])
        return .object([
            "schema_version": JSONValue(BundleManifest.schemaVersion),
            "format": "nas predictor bundle",
            "device": spec,
            "calibrated": .bool(calibrated),
            "status": .string(status),
            "training_data": .array(trainingData.map { t in
                var o: [String: JSONValue] = [
                    "file": .string(t.file), "sha256": .string(t.sha256), "lines": JSONValue(t.lines),
                    "samples": JSONValue(t.samples), "format": .string(t.format),
                    "warnings": .array(t.warnings.map { .string($0) }),
                    "rejected": .array(t.rejected.map { .object(["line": .string($0.source), "reason": .string($0.reason)]) })]
                if !t.machines.isEmpty { o["profiled_on"] = .array(t.machines.map(\.json)) }
                return .object(o)
            }),
            "features": .array(Features.names.map { .string($0) }),
            "cross_validation": .object([
                "folds": JSONValue(CrossValidation.folds), "seed": JSONValue(Int(CrossValidation.seed)),
                "minimum_samples": JSONValue(CrossValidation.minimumSamples),
                "target": "natural log of the metric; scores on the metric's own scale",
                "selection": "lowest out-of-fold MAPE; ties go to the simpler family",
                "families": .array(RegressorFamily.allCases.map { .string($0.rawValue) }),
            ]),
            "regressors": .object([
                "extra_trees": .object(["trees": JSONValue(ExtraTreesRegressor.defaultTrees),
                                        "min_samples_split": "max(2, samples / 32)"]),
                "knn": .object(["k": JSONValue(KNNRegressor.defaultK), "weights": "uniform", "scaling": "standardised log features"]),
                "xgboost": .object(["rounds": JSONValue(XGBoostRegressor.rounds), "library": .string(XGBoostRegressor.libraryVersion),
                                    "parameters": .object(Dictionary(uniqueKeysWithValues: XGBoostRegressor.parameters.map { ($0.0, JSONValue.string($0.1)) })),
                                    "base_score": "mean of the training targets"]),
            ]),
            "models": .object(models),
            "unavailable": .object(unavailable),
        ])
    }

    init(device: DeviceSpec, calibrated: Bool, status: String, trainingData: [TrainingFile], models: [ModelEntry],
         unavailable: [UnavailableEntry]) {
        self.device = device; self.calibrated = calibrated; self.status = status
        self.trainingData = trainingData
        self.models = models.sorted { ($0.kind, $0.metric) < ($1.kind, $1.metric) }
        self.unavailable = unavailable.sorted { ($0.kind, $0.metric) < ($1.kind, $1.metric) }
    }

    /// Parses a manifest; every error names `file`.
    init(json root: JSONValue, file: String) throws {
        func corrupt(_ why: String) -> PredictorError { PredictorError(file: file, "corrupt manifest: \(why)") }
        guard let o = root.objectValue else { throw corrupt("not a JSON object") }
        guard let version = o["schema_version"]?.intValue else { throw corrupt("missing 'schema_version'") }
        guard version == BundleManifest.schemaVersion else {
            throw PredictorError(file: file, "incompatible bundle: schema_version \(version), this nas reads \(BundleManifest.schemaVersion) (retrain with `nas train`)")
        }
        guard let d = o["device"]?.objectValue,
              let id = d["id"]?.stringValue, let name = d["name"]?.stringValue, let runtime = d["runtime"]?.stringValue,
              let peak = d["peak_flops"]?.doubleValue, let bw = d["memory_bandwidth_bytes_per_s"]?.doubleValue,
              peak > 0, bw > 0 else { throw corrupt("'device' lacks id, name, runtime, peak_flops or memory_bandwidth_bytes_per_s") }
        device = DeviceSpec(id: id, name: name, runtime: runtime, peakFlops: peak, memoryBandwidth: bw,
                            memoryBytes: d["memory_bytes"]?.doubleValue, tdpWatts: d["tdp_watts"]?.doubleValue,
                            sources: d["sources"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                            notes: d["notes"]?.stringValue ?? "")
        guard let calibrated = o["calibrated"]?.boolValue, let status = o["status"]?.stringValue else {
            throw corrupt("missing 'calibrated' or 'status'")
        }
        self.calibrated = calibrated
        self.status = status
        guard let names = o["features"]?.arrayValue?.compactMap(\.stringValue), names == Features.names else {
            throw PredictorError(file: file, "incompatible bundle: its feature list differs from this nas's (retrain with `nas train`)")
        }
        trainingData = try (o["training_data"]?.arrayValue ?? []).map { t in
            guard let f = t["file"]?.stringValue, let h = t["sha256"]?.stringValue, let lines = t["lines"]?.intValue,
                  let samples = t["samples"]?.intValue else { throw corrupt("a 'training_data' entry lacks file, sha256, lines or samples") }
            let rejected = (t["rejected"]?.arrayValue ?? []).compactMap { r -> RejectedSample? in
                guard let l = r["line"]?.stringValue, let why = r["reason"]?.stringValue else { return nil }
                return RejectedSample(source: l, reason: why)
            }
            let machines = try (t["profiled_on"]?.arrayValue ?? []).map { m in
                guard let fingerprint = MachineFingerprint(json: m) else {
                    throw corrupt("a 'profiled_on' entry lacks cpu_model, logical_cpus, isa or library")
                }
                return fingerprint
            }
            return TrainingFile(file: f, sha256: h, lines: lines, samples: samples, format: t["format"]?.stringValue ?? "",
                                rejected: rejected, warnings: t["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                                machines: machines)
        }
        guard let modelObject = o["models"]?.objectValue else { throw corrupt("missing object 'models'") }
        let models = try modelObject.keys.sorted().map { key in try Self.modelEntry(key, modelObject[key]!, file: file) }
        self.models = models.sorted { ($0.kind, $0.metric) < ($1.kind, $1.metric) }
        let unavailable = try (o["unavailable"]?.objectValue ?? [:]).keys.sorted().map { key in
            let parts = key.split(separator: "/").map(String.init)
            guard parts.count == 2, let kind = WorkloadKind(rawValue: parts[0]), let metric = Metric(rawValue: parts[1]),
                  let reason = o["unavailable"]![key]!.stringValue else {
                throw corrupt("bad 'unavailable' entry '\(key)'")
            }
            return UnavailableEntry(kind: kind, metric: metric, reason: reason)
        }
        self.unavailable = unavailable.sorted { ($0.kind, $0.metric) < ($1.kind, $1.metric) }
    }

    /// One entry of the manifest's 'models' object.
    private static func modelEntry(_ key: String, _ m: JSONValue, file: String) throws -> ModelEntry {
        func corrupt(_ why: String) -> PredictorError { PredictorError(file: file, "corrupt manifest: \(why)") }
        guard let kind = m["kind"]?.stringValue.flatMap(WorkloadKind.init(rawValue:)),
              let metric = m["metric"]?.stringValue.flatMap(Metric.init(rawValue:)),
              let samples = m["samples"]?.intValue, let scores = m["scores"] else {
            throw corrupt("model '\(key)' lacks kind, metric, samples or scores")
        }
        var chosen: RegressorFamily? = nil
        if let c = m["chosen"] {
            guard let family = c.stringValue.flatMap(RegressorFamily.init(rawValue:)) else {
                throw corrupt("model '\(key)' has unknown family \(c.serialized(pretty: false))")
            }
            chosen = family
        }
        var candidates: [ModelCandidate: CandidateResult] = [:]
        for (name, value) in m["candidates"]?.objectValue ?? [:] {
            guard let candidate = ModelCandidate(name: name) else { continue }
            if let why = value["unavailable"]?.stringValue {
                candidates[candidate] = .unavailable(why)
            } else {
                candidates[candidate] = .scores(try Scores(json: value, file: file))
            }
        }
        let subtypes = (m["subtypes"]?.objectValue ?? [:]).compactMapValues(\.intValue)
        let entry = ModelEntry(kind: kind, metric: metric, samples: samples, subtypes: subtypes, chosen: chosen,
                               file: m["file"]?.stringValue, fileSHA256: m["file_sha256"]?.stringValue,
                               scores: try Scores(json: scores, file: file), candidates: candidates,
                               derived: m["derived"]?.stringValue,
                               pooledOver: m["pooled_over"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                               nested: try m["nested_cv"].map { try NestedScores(json: $0, file: file) },
                               outliers: try (m["outliers"]?.arrayValue ?? []).map { try OutlierRecord(json: $0, file: file) })
        if entry.chosen != nil && entry.file == nil { throw corrupt("model '\(key)' names no file") }
        return entry
    }
}

/// A predictor bundle: the manifest and the fitted models it names.
public struct PredictorBundle: Sendable {
    public var manifest: BundleManifest
    /// Fitted models by (kind, metric); absent where the manifest lists the pair as unavailable.
    public var models: [WorkloadKind: [Metric: any LayerModel]]
    /// Model file contents by file name, as written.
    var files: [String: Data]
    /// SHA-256 of the manifest file (as read, or as it will be written).
    public var manifestSHA256: String

    init(manifest: BundleManifest, models: [WorkloadKind: [Metric: any LayerModel]], files: [String: Data],
         manifestSHA256: String? = nil) {
        self.manifest = manifest
        self.models = models
        self.files = files
        self.manifestSHA256 = manifestSHA256 ?? SHA256.hex(Array((manifest.json.serialized(pretty: true) + "\n").utf8))
    }

    public func model(_ kind: WorkloadKind, _ metric: Metric) -> (any LayerModel)? { models[kind]?[metric] }

    /// The manifest text: sorted keys, two-space indentation, shortest round-trip numbers, final newline.
    public var manifestText: String { manifest.json.serialized(pretty: true) + "\n" }

    /// Writes the bundle into `directory` (created if needed): model files first, the manifest last, each
    /// atomically. Model files of earlier trainings that the new manifest does not name are removed.
    public func write(to directory: String) throws {
        let fm = FileManager.default
        try? fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in files.keys.sorted() {
            try AtomicFile.write(files[name]!, to: (directory as NSString).appendingPathComponent(name))
        }
        try AtomicFile.write(manifestText, to: (directory as NSString).appendingPathComponent(BundleManifest.fileName))
        let ours = Set(files.keys)
        for name in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] where !ours.contains(name) {
            let parts = name.split(separator: ".")
            if parts.count >= 4, WorkloadKind(rawValue: String(parts[0])) != nil, Metric(rawValue: String(parts[1])) != nil {
                try? fm.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
            }
        }
    }

    /// Reads a bundle directory. A missing, corrupt or incompatible manifest or model file gives an error
    /// naming the file.
    public static func load(directory: String) throws -> PredictorBundle {
        let manifestPath = (directory as NSString).appendingPathComponent(BundleManifest.fileName)
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw PredictorError(file: manifestPath, "cannot read the bundle manifest (missing or unreadable)")
        }
        let root: JSONValue
        do { root = try JSONValue.parse(data) } catch let e as JSONValueError {
            throw PredictorError(file: manifestPath, "corrupt manifest: \(e.description)")
        }
        let manifest = try BundleManifest(json: root, file: manifestPath)
        var models: [WorkloadKind: [Metric: any LayerModel]] = [:]
        var files: [String: Data] = [:]
        for entry in manifest.models {
            guard let family = entry.chosen, let name = entry.file else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            guard let bytes = FileManager.default.contents(atPath: path) else {
                throw PredictorError(file: path, "cannot read model file named by \(manifestPath) (missing or unreadable)")
            }
            if let expected = entry.fileSHA256, SHA256.hex([UInt8](bytes)) != expected {
                throw PredictorError(file: path, "corrupt model file: its SHA-256 does not match the manifest")
            }
            models[entry.kind, default: [:]][entry.metric] = entry.pooledOver.isEmpty
                ? try family.type.load(bytes, file: path) : try PooledModel.load(bytes, file: path)
            files[name] = bytes
        }
        return PredictorBundle(manifest: manifest, models: models, files: files, manifestSHA256: SHA256.hex([UInt8](data)))
    }
}
