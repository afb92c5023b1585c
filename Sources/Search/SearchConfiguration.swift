import Foundation
import NASArchitecture

/// Everything that determines a run, resolved, as written to config.json. A resumed run is rebuilt from it.
public struct SearchConfiguration: Sendable {
    public static let formatVersion = 1

    public var space: SearchSpace
    /// Where the space was read from, for the record.
    public var spaceSource: String
    public var devices: [String]
    public var budgets: [Budget]
    public var objectives: [Objective]
    public var quality: QualitySpec
    public var settings: SearchSettings
    /// By device: what its predictions come from, as its estimator reports it.
    public var estimatorIdentities: [String: [String: String]]
    /// The quality estimator's settings and note, as it reports them.
    public var qualitySettings: [String: String]
    public var qualityNote: String?
    /// How latency budgets are checked; `--confidence` asks for it, and `SearchRun.create` resolves the factors.
    public var latencyBounds: LatencyBounds
    /// UTC, ISO 8601.
    public var created: String

    public init(space: SearchSpace, spaceSource: String, devices: [String], budgets: [Budget], objectives: [Objective],
                quality: QualitySpec, settings: SearchSettings, estimatorIdentities: [String: [String: String]] = [:],
                qualitySettings: [String: String] = [:], qualityNote: String? = nil,
                latencyBounds: LatencyBounds = .none, created: String) {
        self.space = space; self.spaceSource = spaceSource; self.devices = devices
        self.budgets = budgets; self.objectives = objectives; self.quality = quality; self.settings = settings
        self.estimatorIdentities = estimatorIdentities
        self.qualitySettings = qualitySettings; self.qualityNote = qualityNote
        self.latencyBounds = latencyBounds
        self.created = created
    }

    /// The top-level keys of config.json.
    static let keys: Set<String> = ["format_version", "created", "seed", "evaluations", "algorithm", "space_source", "space", "genes",
                                    "devices", "estimators", "budgets", "objectives", "quality", "conventions",
                                    "latency_bounds"]

    public var jsonValue: JSONValue {
        let genome = Genome(space)
        var algorithm: [String: JSONValue] = ["name": .string(settings.algorithm.name)]
        switch settings.algorithm {
        case .random(let b): algorithm["batch"] = JSONValue(b)
        case .evolution(let p, let s, let b):
            algorithm["population"] = JSONValue(p); algorithm["sample_size"] = JSONValue(s); algorithm["batch"] = JSONValue(b)
        case .nsga2(let p): algorithm["population"] = JSONValue(p)
        }
        var quality: [String: JSONValue] = [
            "spec": .string(self.quality.description),
            "settings": .object(qualitySettings.mapValues { .string($0) }),
        ]
        if case .external(_, let t) = self.quality { quality["timeout_s"] = JSONValue(t) }
        if let n = qualityNote { quality["note"] = .string(n) }
        return .object([
            "format_version": JSONValue(SearchConfiguration.formatVersion),
            "created": .string(created),
            "seed": .string(String(settings.seed)),
            "evaluations": JSONValue(settings.evaluations),
            "algorithm": .object(algorithm),
            "space_source": .string(spaceSource),
            "space": space.jsonValue,
            "genes": .array(genome.genes.map { ["name": .string($0.name), "options": .array($0.options.map { .string($0) })] }),
            "devices": .array(devices.map { .string($0) }),
            "estimators": .object(estimatorIdentities.mapValues { .object($0.mapValues { .string($0) }) }),
            "budgets": .array(budgets.map { b in
                ["device": .string(b.device), "metric": .string(b.metric.rawValue), "limit": JSONValue(b.limit),
                 "unit": .string(b.metric.unit), "given": .string(b.given)]
            }),
            "objectives": .array(objectives.map { .string($0.name) }),
            "quality": .object(quality),
            "latency_bounds": latencyBounds.jsonValue,
            "conventions": [
                "F": "objectives in the order of 'objectives', all minimised: quality enters negated",
                "G": "one per budget, g = (checked - limit) / limit; g <= 0 is met; checked is the predicted latency times latency_bounds.factors[device] where there is one, else the prediction",
                "CV": "sum of max(0, g) over the budgets; feasible when CV = 0 and every value is known",
            ],
        ])
    }

    /// Reads config.json as written by `jsonValue`; errors name the key.
    public init(jsonValue root: JSONValue) throws {
        guard let o = root.objectValue else { throw SearchError("config.json must be a JSON object") }
        func need<T>(_ key: String, _ get: (JSONValue) -> T?) throws -> T {
            guard let v = o[key], let t = get(v) else { throw SearchError("config.json: '\(key)' is missing or malformed") }
            return t
        }
        let version = try need("format_version", \.intValue)
        guard version <= SearchConfiguration.formatVersion else {
            throw SearchError("config.json: format_version \(version) is newer than this nas reads (\(SearchConfiguration.formatVersion))")
        }
        guard version >= 1 else { throw SearchError("config.json: format_version \(version) does not exist (versions start at 1)") }
        // Machine-written: a key nas does not write is an edit or another program's file, not something to ignore.
        if let unknown = o.keys.sorted().first(where: { !SearchConfiguration.keys.contains($0) }) {
            throw SearchError("config.json: unknown key '\(unknown)' (nas writes \(SearchConfiguration.keys.sorted().joined(separator: ", ")))")
        }
        space = try SearchSpace(jsonValue: try need("space", { $0 }))
        spaceSource = try need("space_source", \.stringValue)
        created = try need("created", \.stringValue)
        devices = try need("devices", { $0.arrayValue?.compactMap(\.stringValue) })
        budgets = try need("budgets", \.arrayValue).map { v in
            guard let b = v.objectValue, let d = b["device"]?.stringValue, let m = b["metric"]?.stringValue.flatMap(CostMetric.init),
                  let limit = b["limit"]?.doubleValue, let given = b["given"]?.stringValue else {
                throw SearchError("config.json: a budget is malformed")
            }
            return Budget(device: d, metric: m, limit: limit, given: given)
        }
        let objectiveNames = try need("objectives", { $0.arrayValue?.compactMap(\.stringValue) })
        objectives = try Objective.parse(objectiveNames.joined(separator: ","), devices: devices)
        let q = try need("quality", \.objectValue)
        guard let spec = q["spec"]?.stringValue else { throw SearchError("config.json: 'quality.spec' is missing") }
        quality = try QualitySpec.parse(spec, timeoutSeconds: q["timeout_s"]?.doubleValue ?? QualitySpec.defaultExternalTimeout)
        qualitySettings = (q["settings"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        qualityNote = q["note"]?.stringValue
        estimatorIdentities = (o["estimators"]?.objectValue ?? [:]).mapValues { ($0.objectValue ?? [:]).compactMapValues(\.stringValue) }
        guard let seed = UInt64(try need("seed", \.stringValue)) else { throw SearchError("config.json: 'seed' is malformed") }
        let a = try need("algorithm", \.objectValue)
        func param(_ k: String) throws -> Int {
            guard let n = a[k]?.intValue else { throw SearchError("config.json: 'algorithm.\(k)' is missing") }
            return n
        }
        let algorithm: AlgorithmSettings
        switch a["name"]?.stringValue {
        case "random": algorithm = .random(batch: try param("batch"))
        case "evolution": algorithm = .evolution(population: try param("population"), sampleSize: try param("sample_size"), batch: try param("batch"))
        case "nsga2": algorithm = .nsga2(population: try param("population"))
        default: throw SearchError("config.json: 'algorithm.name' is not random, evolution or nsga2")
        }
        settings = SearchSettings(algorithm: algorithm, evaluations: try need("evaluations", \.intValue), seed: seed)
        // Runs written before bounds existed checked every budget on the prediction.
        latencyBounds = try o["latency_bounds"].map(LatencyBounds.init(jsonValue:)) ?? .none
    }
}

extension SearchConfiguration {
    /// Devices whose estimator had no learnt predictor when the run was created, in run order.
    public var uncalibratedDevices: [String] {
        devices.filter { estimatorIdentities[$0]?["calibrated"] == "false" }
    }
}
