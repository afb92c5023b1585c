import NASArchitecture

/// One line of candidates.jsonl: compact JSON with sorted keys, so equal candidates give equal bytes,
/// and numbers that read back to the same doubles.
extension Candidate {
    public var jsonValue: JSONValue {
        func number(_ v: Double?) -> JSONValue { v.map { $0.isFinite ? JSONValue($0) : .null } ?? .null }
        let s = measurement.summary
        var costs: [String: JSONValue] = [:]
        for (device, c) in measurement.costs {
            var o: [String: JSONValue] = [:]
            for m in CostMetric.allCases { o[m.key] = number(c[m]) }
            if !c.unavailable.isEmpty { o["unavailable"] = .object(c.unavailable.mapValues { .string($0) }) }
            costs[device] = .object(o)
        }
        var o: [String: JSONValue] = [
            "index": JSONValue(index),
            "genotype": JSONValue(genotype.genes),
            "architecture": [
                "name": .string(s.name), "layers": JSONValue(s.layers), "macs": JSONValue(s.macs),
                "params": JSONValue(s.params), "peak_memory_bytes": JSONValue(s.peakMemoryBytes),
            ],
            "quality": number(measurement.quality.value),
            "costs": .object(costs),
            "F": .array(F.map(number)),
            "G": .array(G.map(number)),
            "CV": JSONValue(CV),
            "feasible": JSONValue(isFeasible),
        ]
        if let e = measurement.quality.failure { o["quality_error"] = .string(e) }
        return .object(o)
    }

    public var jsonLine: String { jsonValue.serialized(pretty: false) }

    /// Reads a line written by `jsonLine`; `F` and `G` must have one entry per objective and budget.
    public init(jsonValue v: JSONValue, objectives: Int, budgets: Int) throws {
        func fail(_ what: String) -> SearchError { SearchError(what) }
        guard let o = v.objectValue else { throw fail("not a JSON object") }
        func int(_ value: JSONValue?, _ key: String) throws -> Int {
            guard let n = value?.intValue else { throw fail("'\(key)' must be an integer") }
            return n
        }
        func optionalNumber(_ value: JSONValue?, _ key: String) throws -> Double? {
            guard let value else { throw fail("missing '\(key)'") }
            if case .null = value { return nil }
            guard let d = value.doubleValue else { throw fail("'\(key)' must be a number or null") }
            return d
        }
        func numbers(_ key: String, count: Int) throws -> [Double?] {
            guard let a = o[key]?.arrayValue, a.count == count else { throw fail("'\(key)' must be an array of \(count) numbers") }
            return try a.map { try optionalNumber($0, key) }
        }
        let index = try int(o["index"], "index")
        guard let genes = o["genotype"]?.arrayValue?.compactMap(\.intValue), genes.count == o["genotype"]?.arrayValue?.count else {
            throw fail("'genotype' must be an array of integers")
        }
        guard let a = o["architecture"]?.objectValue, let name = a["name"]?.stringValue else {
            throw fail("'architecture' must be an object with a name")
        }
        let summary = ArchitectureSummary(name: name, layers: try int(a["layers"], "layers"), macs: try int(a["macs"], "macs"),
                                          params: try int(a["params"], "params"),
                                          peakMemoryBytes: try int(a["peak_memory_bytes"], "peak_memory_bytes"))
        let quality: QualityOutcome
        if let q = try optionalNumber(o["quality"], "quality") {
            quality = QualityOutcome(value: q)
        } else {
            quality = QualityOutcome(failure: o["quality_error"]?.stringValue ?? "unknown")
        }
        guard let costObject = o["costs"]?.objectValue else { throw fail("'costs' must be an object") }
        var costs: [String: DeviceCosts] = [:]
        for (device, value) in costObject {
            guard let c = value.objectValue else { throw fail("costs of '\(device)' must be an object") }
            var unavailable: [String: String] = [:]
            for (k, v) in c["unavailable"]?.objectValue ?? [:] { unavailable[k] = v.stringValue ?? "" }
            costs[device] = DeviceCosts(latencyMs: try optionalNumber(c[CostMetric.latency.key], CostMetric.latency.key),
                                        energyMJ: try optionalNumber(c[CostMetric.energy.key], CostMetric.energy.key),
                                        memoryMiB: try optionalNumber(c[CostMetric.memory.key], CostMetric.memory.key),
                                        unavailable: unavailable)
        }
        guard let cv = o["CV"]?.doubleValue else { throw fail("'CV' must be a number") }
        self.init(index: index, genotype: Genotype(genes),
                  measurement: Measurement(summary: summary, quality: quality, costs: costs),
                  F: try numbers("F", count: objectives), G: try numbers("G", count: budgets), CV: cv)
    }
}
