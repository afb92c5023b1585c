import NASArchitecture
import NASPredictors
import Synchronization

/// Latency and energy of every workload seen so far on every layerwise device, one row per distinct workload.
///
/// A candidate's workloads are looked up once for all devices, under one lock, and each device's totals
/// are summed in layer order from the row values, which are exactly those the device's own `costs(of:)`
/// adds. A workload not seen before is asked of every device outside the lock, then added.
///
/// Each worker thread has a shard of its own, so that the lock is never contended (a contended lock puts
/// a thread to sleep); a workload is then asked of the devices' memoized predictors once per shard.
final class LayerCostTable: Sendable {
    let estimators: [any LayerwiseCostEstimator]
    /// Per estimator, the factors of its layer-by-layer latency bound, if it has one.
    let boundFactors: [LayerLatencyFactors?]
    /// Per estimator, its network-level correction, if it applies one.
    let corrections: [NetworkLatencyCorrection?]
    private let shards: [Shard]
    static let shardCount = 8

    private final class Shard: Sendable {
        let state = Mutex(State())
    }

    struct State {
        var rows = WorkloadIndex()
        /// Row-major, one column per device; NaN where unavailable.
        var latency: [Double] = []
        /// latency × the kind's bound factor; NaN for a device without layer factors.
        var bound: [Double] = []
        var energy: [Double] = []
        var latencyReason: [String?] = []
        var energyReason: [String?] = []
    }

    init(_ estimators: [any LayerwiseCostEstimator], boundFactors: [LayerLatencyFactors?]? = nil) {
        self.estimators = estimators
        self.boundFactors = boundFactors ?? Array(repeating: nil, count: estimators.count)
        precondition(self.boundFactors.count == estimators.count, "one bound entry per estimator")
        corrections = estimators.map(\.latencyCorrection)
        shards = (0..<Self.shardCount).map { _ in Shard() }
    }

    /// Every device's costs of `network`, in `estimators` order, with `memoryMiB` as the memory figure.
    /// `worker` picks the shard.
    func costs(of network: ResolvedNetwork, memoryMiB: Double, worker: Int = 0) -> [DeviceCosts] {
        let shard = shards[worker % Self.shardCount]
        let batch = network.batch
        var workloads: [LayerWorkload] = []
        workloads.reserveCapacity(network.layers.count)
        for layer in network.layers { if let w = layer.workload(batch: batch) { workloads.append(w) } }
        var totals = Array(repeating: CostSum(), count: estimators.count)
        var bounds = Array(repeating: 0.0, count: estimators.count)
        var small = Array(repeating: 0, count: estimators.count)
        var missing = shard.state.withLock { s in Self.sum(workloads, &s, &totals, &bounds, &small) }
        if !missing.isEmpty {
            var fresh: [(LayerWorkload, [LayerCosts])] = []
            for w in missing where !fresh.contains(where: { $0.0 == w }) {
                fresh.append((w, estimators.map { $0.layerCosts(w) }))
            }
            missing = shard.state.withLock { s in
                for (w, row) in fresh where s.rows.find(w) == nil {
                    s.rows.insert(w)
                    for (c, f) in zip(row, boundFactors) {
                        s.latency.append(c.latencyMs); s.energy.append(c.energyMJ)
                        s.bound.append(f.map { c.latencyMs * ($0.factors[w.kind] ?? .nan) } ?? .nan)
                        s.latencyReason.append(c.latencyReason); s.energyReason.append(c.energyReason)
                    }
                }
                return Self.sum(workloads, &s, &totals, &bounds, &small)
            }
            precondition(missing.isEmpty, "a workload went missing from the cost table")
        }
        return totals.indices.map { d in
            let t = totals[d]
            var unavailable: [String: String] = [:]
            if let why = t.latencyReason { unavailable[CostMetric.latency.rawValue] = why }
            if let why = t.energyReason { unavailable[CostMetric.energy.rawValue] = why }
            // The same factor `DevicePredictor.totals` applies, from the same counts.
            let f = corrections[d]?.factor(sumMs: t.latencyMs, layers: workloads.count, smallLayers: small[d]) ?? 1
            let latency = t.latencyReason == nil ? t.latencyMs * f : nil
            return DeviceCosts(latencyMs: latency, energyMJ: t.energyReason == nil ? t.energyMJ * f : nil,
                               memoryMiB: memoryMiB, unavailable: unavailable,
                               latencyBoundMs: latency != nil && bounds[d].isFinite && boundFactors[d] != nil ? bounds[d] * f : nil)
        }
    }

    /// Adds up the rows of `workloads` per device into `totals` and `bounds`, counts the small layers (for the
    /// network-level correction) and returns the workloads without a row (the sums are only complete when there
    /// are none).
    private static func sum(_ workloads: [LayerWorkload], _ s: inout State, _ totals: inout [CostSum],
                            _ bounds: inout [Double], _ small: inout [Int]) -> [LayerWorkload] {
        let devices = totals.count
        for d in 0..<devices { totals[d] = CostSum(); bounds[d] = 0; small[d] = 0 }
        var missing: [LayerWorkload] = []
        for w in workloads {
            guard let row = s.rows.find(w) else { missing.append(w); continue }
            let base = row * devices
            for d in 0..<devices {
                totals[d].add(latencyMs: s.latency[base + d], latencyReason: s.latencyReason[base + d],
                              energyMJ: s.energy[base + d], energyReason: s.energyReason[base + d])
                bounds[d] += s.bound[base + d]
                if s.latency[base + d] < NetworkLatencyCorrection.smallLayerMs { small[d] += 1 }
            }
        }
        return missing
    }
}

/// Row numbers of distinct workloads, in the order added: open addressing with linear probing over a
/// power-of-two table at most half full, hashed on the shape fields with a multiply–xorshift mix
/// (the standard `Hasher` costs several times more, and this runs for every layer of every candidate).
struct WorkloadIndex {
    private(set) var workloads: [LayerWorkload] = []
    private var slots = [Int32](repeating: -1, count: 256)

    func find(_ w: LayerWorkload) -> Int? {
        let mask = slots.count - 1
        var i = Self.hash(w) & mask
        while true {
            let r = slots[i]
            if r < 0 { return nil }
            if workloads[Int(r)] == w { return Int(r) }
            i = (i + 1) & mask
        }
    }

    /// Adds `w`, which must not be present, as the next row.
    mutating func insert(_ w: LayerWorkload) {
        workloads.append(w)
        if 2 * workloads.count > slots.count {
            slots = [Int32](repeating: -1, count: 2 * slots.count)
            for r in workloads.indices { place(r) }
        } else {
            place(workloads.count - 1)
        }
    }

    private mutating func place(_ row: Int) {
        let mask = slots.count - 1
        var i = Self.hash(workloads[row]) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(row)
    }

    static func hash(_ w: LayerWorkload) -> Int {
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        @inline(__always) func mix(_ x: Int) {
            h = (h ^ UInt64(bitPattern: Int64(x))) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
        }
        switch w.kind {
        case .conv2d: mix(0)
        case .dense: mix(1)
        case .maxPool2d: mix(2)
        case .avgPool2d: mix(3)
        case .add: mix(4)
        case .concat: mix(5)
        }
        mix(w.batch)
        mix(w.inH); mix(w.inW); mix(w.inC); mix(w.outH); mix(w.outW); mix(w.outC)
        mix(w.kernelH); mix(w.kernelW); mix(w.strideH); mix(w.strideW); mix(w.dilationH); mix(w.dilationW)
        mix(w.groups); mix(w.padTop); mix(w.padBottom); mix(w.padLeft); mix(w.padRight)
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }
}
