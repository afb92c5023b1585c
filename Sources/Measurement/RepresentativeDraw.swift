import Foundation
import NASArchitecture
import NASSupport

/// The state of drawing `WorkloadCatalog.representative`: one random stream, the workloads already in (so no
/// augmentation repeats a workload), and the entries by category. The order of the calls is part of the
/// result, since every call draws from the same stream.
struct RepresentativeDraw {
    private var rng: SplitMix64
    private var seen: Set<LayerWorkload>
    private var byCategory: [String: [CatalogEntry]] = [:]

    /// Starts with the zoo's own workloads, each in its category.
    init(base: [CatalogEntry], seed: UInt64) {
        rng = SplitMix64(seed: seed)
        seen = Set(base.map(\.workload))
        for e in base { byCategory[e.category, default: []].append(e) }
    }

    private mutating func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }

    private mutating func add(_ e: CatalogEntry) {
        guard seen.insert(e.workload).inserted else { return }
        byCategory[e.category, default: []].append(e)
    }

    /// Depthwise variants (at the layer's channels and a random count) and a dilated one for a spatial kernel;
    /// a grouped one for a convolution that is not depthwise.
    mutating func addConvolutionVariants(of e: CatalogEntry) {
        let w = e.workload
        if w.kernelH > 1 || w.kernelW > 1 {
            for c in [w.inC, pick(WorkloadCatalog.depthwiseChannels)] where c > 1 {
                if let v = WorkloadCatalog.convVariant(w, inC: c, outC: c, groups: c, dilation: 1) {
                    add(CatalogEntry(workload: v, category: "depthwise", label: "\(e.label) → depthwise \(c)"))
                }
            }
            let d = pick(WorkloadCatalog.dilations)
            if let v = WorkloadCatalog.convVariant(w, inC: w.inC, outC: w.outC, groups: w.groups, dilation: d) {
                add(CatalogEntry(workload: v, category: "dilated", label: "\(e.label) → dilation \(d)"))
            }
        }
        guard !w.isDepthwise else { return }
        let options = WorkloadCatalog.groupChoices.filter { w.inC % $0 == 0 && w.outC % $0 == 0 && $0 < w.inC }
        guard !options.isEmpty else { return }
        let g = pick(options)
        if let v = WorkloadCatalog.convVariant(w, inC: w.inC, outC: w.outC, groups: g, dilation: w.dilationH) {
            add(CatalogEntry(workload: v, category: "grouped", label: "\(e.label) → groups \(g)"))
        }
    }

    /// Two random windows (size, stride, same or valid) of each pooling kind over the input of `w`.
    mutating func addPoolingVariants(over w: LayerWorkload) {
        for kind in [WorkloadKind.maxPool2d, .avgPool2d] {
            for _ in 0..<2 {
                let size = pick(WorkloadCatalog.poolSizes)
                let stride = pick([1, 2, size])
                let same = rng.next() % 2 == 0
                if let v = WorkloadCatalog.poolVariant(w, kind: kind, size: size, stride: stride, same: same) {
                    add(CatalogEntry(workload: v, category: kind == .maxPool2d ? "max_pool" : "avg_pool",
                                     label: "pool \(size)×\(size)/\(stride) \(same ? "same" : "valid") over \(w.inH)×\(w.inW)×\(w.inC)"))
                }
            }
        }
    }

    /// `count` dense layers of log-uniform sizes, as wide as the zoo's dense layers and a little beyond, none
    /// already in the catalog.
    mutating func addRandomDense(_ count: Int) {
        var made = 0
        while made < count {
            let w = LayerWorkload.dense(batch: 1, inputs: logUniform(16, 25088), units: logUniform(10, 4096))
            if seen.contains(w) { continue }
            add(CatalogEntry(workload: w, category: "dense_random", label: "random"))
            made += 1
        }
    }

    private mutating func logUniform(_ lo: Double, _ hi: Double) -> Int {
        let u = Double(rng.next() >> 11) / Double(1 << 53)
        return Int(exp(log(lo) + u * (log(hi) - log(lo))).rounded())
    }

    /// One entry per category in turn (in a fixed order, then any other category), so every prefix mixes kinds.
    func interleaved() -> [CatalogEntry] {
        let order = ["conv", "depthwise", "dilated", "max_pool", "dense", "grouped", "avg_pool", "dense_random"]
        var queues = order.map { byCategory[$0] ?? [] }
        for (k, v) in byCategory where !order.contains(k) { queues.append(v) }
        var out: [CatalogEntry] = []
        var i = 0
        while queues.contains(where: { !$0.isEmpty }) {
            let q = i % queues.count
            if !queues[q].isEmpty { out.append(queues[q].removeFirst()) }
            i += 1
        }
        return out
    }
}
