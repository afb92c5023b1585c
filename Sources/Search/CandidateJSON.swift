import NASArchitecture

/// One line of candidates.jsonl: compact JSON with sorted keys, so equal candidates give equal bytes,
/// and numbers that read back to the same doubles.
extension Candidate {
    public var jsonValue: JSONValue {
        func number(_ v: Double?) -> JSONValue { v.map { $0.isFinite ? JSONValue($0) : .null } ?? .null }
        let s = evaluation.summary
        var costs: [String: JSONValue] = [:]
        for (device, c) in evaluation.costs {
            var o: [String: JSONValue] = [:]
            for m in CostMetric.allCases { o[m.key] = number(c[m]) }
            if let b = c.latencyBoundMs { o[Self.latencyBoundKey] = number(b) }
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
            "quality": number(evaluation.quality.value),
            "costs": .object(costs),
            "F": .array(F.map(number)),
            "G": .array(G.map(number)),
            "CV": JSONValue(CV),
            "feasible": JSONValue(isFeasible),
        ]
        if let e = evaluation.quality.failure { o["quality_error"] = .string(e) }
        return .object(o)
    }

    /// `jsonValue.serialized(pretty: false)`, byte for byte.
    public var jsonLine: String {
        var out = JSONBytes()
        writeJSONLine(to: &out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Appends `jsonLine` as UTF-8, written directly: the log gets one line per evaluation, and building
    /// the `JSONValue` tree first costs more than evaluating a candidate.
    func writeJSONLine(to out: inout JSONBytes) {
        out.forgetNumbers()
        let s = evaluation.summary
        out.raw("{\"CV\":"); out.number(CV)
        out.raw(",\"F\":"); out.numbers(F)
        out.raw(",\"G\":"); out.numbers(G)
        out.raw(",\"architecture\":{\"layers\":"); out.integer(s.layers)
        out.raw(",\"macs\":"); out.integer(s.macs)
        out.raw(",\"name\":"); out.string(s.name)
        out.raw(",\"params\":"); out.integer(s.params)
        out.raw(",\"peak_memory_bytes\":"); out.integer(s.peakMemoryBytes)
        out.raw("},\"costs\":{")
        for (i, device) in evaluation.costs.keys.sorted().enumerated() {
            let c = evaluation.costs[device]!
            if i > 0 { out.raw(",") }
            out.string(device)
            out.raw(":{")
            var first = true
            for (key, field) in Self.costFields {
                if case .metric(let metric) = field {
                    if !first { out.raw(",") }
                    out.raw(key); out.number(c[metric])
                } else if case .latencyBound = field, let b = c.latencyBoundMs {
                    if !first { out.raw(",") }
                    out.raw(key); out.number(b)
                } else if case .unavailable = field, !c.unavailable.isEmpty {
                    if !first { out.raw(",") }
                    out.raw("\"unavailable\":{")
                    for (j, m) in c.unavailable.keys.sorted().enumerated() {
                        if j > 0 { out.raw(",") }
                        out.string(m); out.raw(":"); out.string(c.unavailable[m]!)
                    }
                    out.raw("}")
                } else {
                    continue
                }
                first = false
            }
            out.raw("}")
        }
        out.raw("},\"feasible\":"); out.raw(isFeasible ? "true" : "false")
        out.raw(",\"genotype\":[")
        for (i, g) in genotype.genes.enumerated() { if i > 0 { out.raw(",") }; out.integer(g) }
        out.raw("],\"index\":"); out.integer(index)
        out.raw(",\"quality\":"); out.number(evaluation.quality.value)
        if let e = evaluation.quality.failure { out.raw(",\"quality_error\":"); out.string(e) }
        out.raw("}")
    }

    /// The key of a device's layer-by-layer latency bound, written only when it has one.
    static let latencyBoundKey = "latency_bound_ms"

    private enum CostField { case metric(CostMetric), latencyBound, unavailable }

    /// The keys of a device's costs object in serialisation (sorted) order, written with their quotes and colon.
    private static let costFields: [(key: [UInt8], field: CostField)] =
        (CostMetric.allCases.map { ($0.key, CostField.metric($0)) } + [(latencyBoundKey, .latencyBound), ("unavailable", .unavailable)])
            .sorted { $0.0 < $1.0 }.map { (Array("\"\($0.0)\":".utf8), $0.1) }

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
                                        unavailable: unavailable,
                                        latencyBoundMs: try c[Self.latencyBoundKey].flatMap { try optionalNumber($0, Self.latencyBoundKey) })
        }
        guard let cv = o["CV"]?.doubleValue else { throw fail("'CV' must be a number") }
        self.init(index: index, genotype: Genotype(genes),
                  evaluation: Evaluation(summary: summary, quality: quality, costs: costs),
                  F: try numbers("F", count: objectives), G: try numbers("G", count: budgets), CV: cv)
    }
}

/// Compact JSON written straight into UTF-8 bytes, with `JSONValue`'s number and string forms.
struct JSONBytes: ~Copyable {
    private var storage: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    /// Numbers already formatted since `forgetNumbers()`, by bit pattern: a candidate's line repeats most
    /// of its numbers (each device's memory, each latency in F and in the costs), and formatting dominates.
    private var formatted: [(bits: UInt64, start: Int, count: Int)] = []

    init(capacity: Int = 1024) {
        self.capacity = max(64, capacity)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }

    /// Starts a new line: earlier formatted numbers are not reused past it.
    mutating func forgetNumbers() { formatted.removeAll(keepingCapacity: true) }

    private mutating func reserve(_ n: Int) {
        guard count + n > capacity else { return }
        let bigger = max(2 * capacity, count + n)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        fresh.update(from: storage, count: count)
        storage.deallocate()
        storage = fresh
        capacity = bigger
    }

    private mutating func append(_ b: UInt8) {
        reserve(1)
        storage[count] = b
        count += 1
    }

    private mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        reserve(buffer.count)
        if let base = buffer.baseAddress { (storage + count).update(from: base, count: buffer.count) }
        count += buffer.count
    }

    mutating func raw(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func raw(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// `JSONValue.format`: integral values below 2⁵³ in magnitude as integers, non-finite ones as null.
    mutating func number(_ v: Double?) {
        guard let v else { raw("null"); return }
        if v == v.rounded(), abs(v) < 9.007_199_254_740_992e15 { digits(Int64(v)); return }
        if let f = formatted.first(where: { $0.bits == v.bitPattern }) {
            reserve(f.count)
            (storage + count).update(from: storage + f.start, count: f.count)
            count += f.count
            return
        }
        let start = count
        utf8(JSONValue.format(v))
        formatted.append((v.bitPattern, start, count - start))
    }

    mutating func numbers(_ vs: [Double?]) {
        raw("[")
        for (i, v) in vs.enumerated() { if i > 0 { raw(",") }; number(v) }
        raw("]")
    }

    /// An integer as `JSONValue(Int)` writes it, which goes through Double.
    mutating func integer(_ n: Int) {
        if n.magnitude < 1 << 53 { digits(Int64(n)) } else { number(Double(n)) }
    }

    private mutating func digits(_ n: Int64) {
        if n < 0 { append(UInt8(ascii: "-")) }
        var m = n.magnitude
        if m < 10 { append(UInt8(ascii: "0") + UInt8(m)); return }
        var length = 1
        var rest = m
        while rest >= 10 { rest /= 10; length += 1 }
        reserve(length)
        var i = count + length - 1
        while m > 0 { storage[i] = UInt8(ascii: "0") + UInt8(m % 10); m /= 10; i -= 1 }
        count += length
    }

    /// `JSONValue.quote`; strings without control characters, quotes or backslashes are copied as they are.
    mutating func string(_ s: String) {
        var text = s
        let plain = text.withUTF8 { u in
            for b in u where b < 0x20 || b == 0x22 || b == 0x5C { return false }
            append(UInt8(ascii: "\""))
            append(u)
            append(UInt8(ascii: "\""))
            return true
        }
        if !plain { utf8(JSONValue.quote(s)) }
    }

    private mutating func utf8(_ s: String) {
        var text = s
        text.withUTF8 { append($0) }
    }
}
