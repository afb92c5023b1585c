import NASArchitecture

/// The fields of a workload that its prediction depends on, packed into five words.
///
/// Predictions are a function of `Features`, which read every shape field but not `bias` or the fused
/// `activation` (neither is in any training set), so those two are left out: layers that differ only there
/// share one memo entry. Returns nil when a field does not fit its bit width; such workloads are memoized
/// under their full `LayerWorkload` instead.
struct PackedWorkload: Equatable {
    var a: UInt64, b: UInt64, c: UInt64, d: UInt64, e: UInt64

    @inline(__always)
    init?(_ w: LayerWorkload) {
        @inline(__always) func fits(_ x: Int, _ bits: Int) -> Bool { x >= 0 && x < (1 << bits) }
        guard fits(w.batch, 24), fits(w.groups, 32), fits(w.inH, 16), fits(w.inW, 16), fits(w.inC, 32),
              fits(w.outH, 16), fits(w.outW, 16), fits(w.outC, 32), fits(w.kernelH, 16), fits(w.kernelW, 16),
              fits(w.strideH, 16), fits(w.strideW, 16), fits(w.dilationH, 16), fits(w.dilationW, 16),
              fits(w.padTop, 8), fits(w.padBottom, 8), fits(w.padLeft, 8), fits(w.padRight, 8) else { return nil }
        a = UInt64(w.kind.index) | UInt64(w.batch) << 8 | UInt64(w.groups) << 32
        b = UInt64(w.inH) | UInt64(w.inW) << 16 | UInt64(w.inC) << 32
        c = UInt64(w.outH) | UInt64(w.outW) << 16 | UInt64(w.outC) << 32
        d = UInt64(w.kernelH) | UInt64(w.kernelW) << 16 | UInt64(w.strideH) << 32 | UInt64(w.strideW) << 48
        e = UInt64(w.dilationH) | UInt64(w.dilationW) << 16 | UInt64(w.padTop) << 32 | UInt64(w.padBottom) << 40
            | UInt64(w.padLeft) << 48 | UInt64(w.padRight) << 56
    }

    @inline(__always)
    var hash: UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = (a ^ 0x243F_6A88_85A3_08D3) &* k
        h = (h ^ b ^ (h >> 29)) &* k
        h = (h ^ c ^ (h >> 29)) &* k
        h = (h ^ d ^ (h >> 29)) &* k
        h = (h ^ e ^ (h >> 29)) &* k
        return h ^ (h >> 32)
    }
}

/// The memo of layer predictions: an open-addressing table (linear probing, power-of-two capacity, at most
/// half full) over packed workloads, with a dictionary for workloads that do not pack. Not thread-safe on
/// its own; `DevicePredictor` keeps it in a `Mutex`.
struct PredictionMemo {
    private var keys: [PackedWorkload] = []
    /// Per slot: index into `values`, or -1 when empty.
    private var slots: [Int32] = []
    private var mask = 0
    private(set) var values: [LayerEstimate] = []
    /// Latency and energy of `values` as plain numbers (NaN when unavailable), for the totals-only path.
    private(set) var latency: [Double] = []
    private(set) var energy: [Double] = []
    private var overflow: [LayerWorkload: Int] = [:]

    init() { reset(capacity: 64) }

    var count: Int { values.count }

    mutating func removeAll() { reset(capacity: 64) }

    private mutating func reset(capacity: Int) {
        keys = Array(repeating: PackedWorkload.zero, count: capacity)
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        values = []
        latency = []
        energy = []
        overflow = [:]
    }

    /// Index into `values` of `w`'s prediction, or nil.
    @inline(__always)
    func index(_ w: LayerWorkload) -> Int? {
        guard let key = PackedWorkload(w) else { return overflow[w] }
        var i = Int(truncatingIfNeeded: key.hash) & mask
        while true {
            let s = slots[i]
            if s < 0 { return nil }
            if keys[i] == key { return Int(s) }
            i = (i + 1) & mask
        }
    }

    mutating func insert(_ w: LayerWorkload, _ estimate: LayerEstimate) {
        if index(w) != nil { return }
        let n = values.count
        values.append(estimate)
        latency.append(estimate.latencyMs.value ?? .nan)
        energy.append(estimate.energyMJ.value ?? .nan)
        guard let key = PackedWorkload(w) else { overflow[w] = n; return }
        if 2 * (values.count) > slots.count { grow() }
        place(key, Int32(n))
    }

    private mutating func place(_ key: PackedWorkload, _ value: Int32) {
        var i = Int(truncatingIfNeeded: key.hash) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        keys[i] = key
        slots[i] = value
    }

    private mutating func grow() {
        let oldKeys = keys, oldSlots = slots
        let capacity = 2 * slots.count
        keys = Array(repeating: PackedWorkload.zero, count: capacity)
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        for (k, s) in zip(oldKeys, oldSlots) where s >= 0 { place(k, s) }
    }
}

extension PackedWorkload {
    static let zero: PackedWorkload = {
        var z = PackedWorkload(LayerWorkload.dense(batch: 1, inputs: 1, units: 1))!
        z.a = 0; z.b = 0; z.c = 0; z.d = 0; z.e = 0
        return z
    }()
}
