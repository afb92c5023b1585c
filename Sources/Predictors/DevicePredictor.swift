import Foundation
import NASArchitecture
import Synchronization

/// Where a layer's latency figure comes from.
public enum LatencySource: Hashable, Sendable {
    /// A model learnt from measurements, of this family.
    case learnt(RegressorFamily)
    /// The analytic roofline max(FLOPs/peak, bytes/bandwidth): uncalibrated, never learnt.
    case roofline
}

/// The predicted costs of one layer on one device.
public struct LayerEstimate: Hashable, Sendable {
    /// Milliseconds for one execution at the workload's batch size.
    public var latencyMs: MetricValue
    /// Mean watts while the layer runs.
    public var powerW: MetricValue
    /// Millijoules: latency × power.
    public var energyMJ: MetricValue
    /// Runtime-allocated layer memory in MiB (output plus workspace), where the device has such data (Pi).
    public var memoryMiB: MetricValue
    /// GPUs: device-wide allocated MiB while the layer runs alone, including the runtime's baseline.
    public var deviceMemoryMiB: MetricValue
    public var latencySource: LatencySource
    /// Set when the prediction extrapolates: e.g. a depthwise layer on a device without depthwise samples.
    public var caveat: String?

    public func value(_ metric: Metric) -> MetricValue {
        switch metric {
        case .latency: return latencyMs
        case .power: return powerW
        case .energy: return energyMJ
        case .memory: return memoryMiB
        case .deviceMemory: return deviceMemoryMiB
        }
    }
}

/// A device's cost predictor: the bundle's models behind a thread-safe memo of per-workload predictions.
///
/// `predict(_:)` and `estimate(_:)` may be called from any number of threads. Each distinct
/// `LayerWorkload` is predicted once; later queries are a dictionary lookup under a `Mutex`. Networks
/// are composed from their layers: latency and energy add up, energy is Σ latency × power per layer,
/// and layers that deployment compilers fuse away (activation, flatten) cost nothing.
public final class DevicePredictor: Sendable {
    public let spec: DeviceSpec
    public let manifest: BundleManifest
    /// Where the bundle was loaded from (nil for a built-in roofline-only predictor).
    public let directory: String?
    /// SHA-256 of the bundle's manifest (which itself carries the SHA-256 of every model file and training file).
    public let manifestSHA256: String
    /// Read from the bundle folder's `network-bound.json` when there is one.
    let networkBound: NetworkLatencyBound?
    /// Read from the bundle folder's `network-correction.json` when there is one.
    let networkCorrection: NetworkLatencyCorrection?

    /// Per (kind, metric): a model or the reason there is none. Index `kind.index * 5 + metric.index`.
    private let slots: [Slot]
    /// Per (kind, learnt latency model): subtypes seen in training ("plain", "depthwise", …).
    private let seenSubtypes: [Set<String>]
    private let memo = Mutex(PredictionMemo())

    enum Slot: Sendable {
        case model(any LayerModel, RegressorFamily)
        case unavailable(String)
    }

    public var id: String { spec.id }
    /// False for the roofline-only (uncalibrated) predictors.
    public var isCalibrated: Bool { manifest.calibrated }
    public var status: String { manifest.status }

    /// What the predictions come from, for run records: device, bundle schema, manifest hash, status.
    public var identity: [String: String] {
        var identity = ["device": spec.id, "bundle_schema_version": String(BundleManifest.schemaVersion),
                        "manifest_sha256": manifestSHA256, "status": status, "calibrated": isCalibrated ? "true" : "false"]
        if let networkBound { identity["network_bound_sha256"] = networkBound.sha256 }
        if let networkCorrection { identity["network_correction_sha256"] = networkCorrection.sha256 }
        return identity
    }

    /// The calibrated upper bound on whole-network latency, when the bundle carries one (`nas calibrate`) and is
    /// this machine's: a bound measured on another machine bounds nothing here.
    public var latencyBound: NetworkLatencyBound? { isCalibrated ? networkBound : nil }

    /// The network-level correction on the layer sum, when the bundle carries one that cross-validation chose
    /// and it is this machine's; totals and estimates include it.
    public var latencyCorrection: NetworkLatencyCorrection? { isCalibrated && networkCorrection?.applied == true ? networkCorrection : nil }

    /// A predictor over a loaded (or freshly trained) bundle.
    public init(bundle: PredictorBundle, directory: String? = nil, networkBound: NetworkLatencyBound? = nil,
                networkCorrection: NetworkLatencyCorrection? = nil) {
        self.networkBound = networkBound
        self.networkCorrection = networkCorrection
        spec = bundle.manifest.device
        manifest = bundle.manifest
        self.directory = directory
        manifestSHA256 = bundle.manifestSHA256
        var slots: [Slot] = []
        var subtypes: [Set<String>] = []
        for kind in WorkloadKind.allCases {
            for metric in Metric.allCases {
                if let model = bundle.model(kind, metric), let family = bundle.manifest.entry(kind, metric)?.chosen {
                    slots.append(.model(model, family))
                } else if let why = bundle.manifest.unavailableReason(kind, metric) {
                    slots.append(.unavailable(why))
                } else if metric == .energy {
                    slots.append(.unavailable("energy = latency × power"))
                } else {
                    slots.append(.unavailable("no \(metric.rawValue) model for \(kind.rawValue) on \(bundle.manifest.device.id)"))
                }
            }
            subtypes.append(Set(bundle.manifest.entry(kind, .latency)?.subtypes.keys.map { $0 } ?? []))
        }
        self.slots = slots
        self.seenSubtypes = subtypes
        // Touch every model with a spread of sizes, so that one-time costs (lazy symbol binding, first-use
        // page faults, cold caches along the trees' paths) are paid while loading rather than by the first query.
        for size in [4, 8, 16, 32, 64, 128] {
            for kind in WorkloadKind.allCases {
                let w = kind == .dense
                    ? LayerWorkload.dense(batch: size / 4, inputs: 64 * size, units: 16 * size)
                    : LayerWorkload(kind: kind, batch: 1 + size / 16, inH: 2 * size, inW: 2 * size, inC: size,
                                    outH: 2 * size - 2, outW: 2 * size - 2, outC: kind == .conv2d ? 2 * size : size,
                                    kernelH: 3, kernelW: 3)
                _ = compute(w)
            }
        }
    }

    /// Loads a bundle directory.
    public convenience init(directory: String) throws {
        let boundPath = (directory as NSString).appendingPathComponent(NetworkLatencyBound.fileName)
        let bound = FileManager.default.fileExists(atPath: boundPath) ? try NetworkLatencyBound(file: boundPath) : nil
        let correctionPath = (directory as NSString).appendingPathComponent(NetworkLatencyCorrection.fileName)
        let correction = FileManager.default.fileExists(atPath: correctionPath) ? try NetworkLatencyCorrection(file: correctionPath) : nil
        self.init(bundle: try PredictorBundle.load(directory: directory), directory: directory, networkBound: bound,
                  networkCorrection: correction)
    }

    /// The analytic roofline model alone, for a device without measurements.
    public static func uncalibrated(spec: DeviceSpec, reason: String = BundleManifest.uncalibratedStatus) -> DevicePredictor {
        var unavailable: [UnavailableEntry] = []
        for kind in WorkloadKind.allCases {
            for metric in Metric.allCases {
                unavailable.append(UnavailableEntry(kind: kind, metric: metric, reason: "\(reason) for \(spec.id)"))
            }
        }
        let manifest = BundleManifest(device: spec, calibrated: false, status: reason, trainingData: [], models: [],
                                      unavailable: unavailable)
        return DevicePredictor(bundle: PredictorBundle(manifest: manifest, models: [:], files: [:]))
    }

    // MARK: Layers

    /// The memoized prediction for one workload.
    public func predict(_ workload: LayerWorkload) -> LayerEstimate {
        if let hit = memo.withLock({ m in m.index(workload).map { m.values[$0] } }) { return hit }
        let fresh = compute(workload)
        memo.withLock { $0.insert(workload, fresh) }
        return fresh
    }

    /// Distinct workloads predicted so far.
    public var memoizedCount: Int { memo.withLock { $0.count } }

    /// Forgets every memoized prediction (for benchmarks of the cold path).
    public func clearMemo() { memo.withLock { $0.removeAll() } }

    /// Predicts without the memo.
    public func compute(_ w: LayerWorkload) -> LayerEstimate {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: Features.count) { buffer in
            Features.write(w, spec: spec, into: buffer)
            let row = UnsafeBufferPointer(buffer)
            let base = w.kind.index * 5
            func learnt(_ metric: Metric) -> MetricValue {
                switch slots[base + metric.index] {
                case .model(let model, _): return .value(Foundation.exp(model.predict(row)))
                case .unavailable(let why): return .unavailable(why)
                }
            }
            var latency: MetricValue
            var source: LatencySource
            if case .model(let model, let family) = slots[base + Metric.latency.index] {
                latency = .value(Foundation.exp(model.predict(row)))
                source = .learnt(family)
            } else {
                latency = .value(spec.rooflineMilliseconds(w))
                source = .roofline
            }
            var power = learnt(.power)
            var borrowedPower: WorkloadKind? = nil
            if case .unavailable = power, w.kind.joinsInputs, isCalibrated, let proxy = memoryBoundProxy(w) {
                if case .value(let p) = compute(proxy).powerW { power = .value(p); borrowedPower = proxy.kind }
            }
            let energy: MetricValue
            switch (source, power) {
            case (.roofline, .value) where borrowedPower != nil:
                energy = MetricValue.combine(latency, power, *)
            case (.roofline, _) where !isCalibrated && spec.tdpWatts != nil:
                // No measurements at all: the analytic estimate runs the board at its rated power for the roofline time.
                power = .value(spec.tdpWatts!)
                energy = MetricValue.combine(latency, power, *)
            case (.roofline, _):
                energy = .unavailable(isCalibrated
                    ? "energy = latency × power, but \(spec.id) has no learnt \(w.kind.rawValue) latency model"
                    : "energy needs a learnt latency model; \(manifest.status)")
            case (_, .unavailable(let why)):
                energy = .unavailable("energy = latency × power, and power is unavailable: \(why)")
            default:
                energy = MetricValue.combine(latency, power, *)
            }
            var caveat: String? = nil
            if case .learnt = source {
                let subtype = w.subtype ?? "plain"
                if !seenSubtypes[w.kind.index].contains(subtype) {
                    caveat = "extrapolated: no \(subtype) \(w.kind.rawValue) samples in \(spec.id)'s training data"
                }
            } else if let b = borrowedPower {
                caveat = "roofline only: no learnt \(w.kind.rawValue) latency model for \(spec.id); power from its \(b.rawValue) model (both memory-bound)"
            } else {
                caveat = isCalibrated ? "roofline only: no learnt \(w.kind.rawValue) latency model for \(spec.id)"
                                      : "\(BundleManifest.uncalibratedStatus): analytic roofline"
                                        + (spec.tdpWatts.map { ", energy at the rated \(Int($0)) W" } ?? "")
            }
            return LayerEstimate(latencyMs: latency, powerW: power, energyMJ: energy, memoryMiB: learnt(.memory),
                                 deviceMemoryMiB: learnt(.deviceMemory), latencySource: source, caveat: caveat)
        }
    }

    /// For an add or concat without a power model: a 1×1 pooling over the same bytes, whose learnt power
    /// model (average pooling, else max pooling) stands in, both being memory-bound passes over a tensor.
    private func memoryBoundProxy(_ w: LayerWorkload) -> LayerWorkload? {
        let channels = w.kind == .add ? w.inC * w.groups : w.inC
        for kind in [WorkloadKind.avgPool2d, .maxPool2d] {
            if case .model = slots[kind.index * 5 + Metric.power.index] {
                return LayerWorkload(kind: kind, batch: w.batch, inH: w.inH, inW: w.inW, inC: channels,
                                     outH: w.inH, outW: w.inW, outC: channels)
            }
        }
        return nil
    }

    // MARK: Networks

    /// Per-layer and total predictions for a network at its batch size.
    public func estimate(_ network: ResolvedNetwork) -> NetworkEstimate {
        let batch = network.batch
        var layers: [LayerEstimate?] = []
        layers.reserveCapacity(network.layers.count)
        var misses = false
        memo.withLock { m in
            for layer in network.layers {
                guard let w = layer.workload(batch: batch) else { layers.append(nil); continue }
                if let i = m.index(w) {
                    layers.append(m.values[i])
                } else {
                    layers.append(nil)
                    misses = true
                }
            }
        }
        if misses {
            for (i, layer) in network.layers.enumerated() where layers[i] == nil {
                if let w = layer.workload(batch: batch) { layers[i] = predict(w) }
            }
        }
        return NetworkEstimate(predictor: self, network: network, layers: layers)
    }

    /// Totals only, without building per-layer results: the search's inner loop. One lock per query on the
    /// memoized path, no allocation.
    public func totals(_ network: ResolvedNetwork) -> NetworkTotals {
        let batch = network.batch
        var sum = CostSum()
        var missing = false
        var layers = 0, small = 0
        for attempt in 0..<2 {
            sum = CostSum(); missing = false; layers = 0; small = 0
            memo.withLock { m in
                for layer in network.layers {
                    guard let w = layer.workload(batch: batch) else { continue }
                    guard let i = m.index(w) else { missing = true; return }
                    sum.add(latencyMs: m.latency[i], latencyReason: m.values[i].latencyMs.reason,
                            energyMJ: m.energy[i], energyReason: m.values[i].energyMJ.reason)
                    layers += 1
                    if m.latency[i] < NetworkLatencyCorrection.smallLayerMs { small += 1 }
                }
            }
            guard missing, attempt == 0 else { break }
            for layer in network.layers {
                if let w = layer.workload(batch: batch) { _ = predict(w) }
            }
        }
        let factor = latencyCorrection?.factor(sumMs: sum.latencyMs, layers: layers, smallLayers: small) ?? 1
        return NetworkTotals(sum, calibrated: isCalibrated, latencyFactor: factor)
    }
}
