import Foundation
import NASArchitecture

/// Network totals without per-layer detail.
public struct NetworkTotals: Hashable, Sendable {
    public var latencyMs: MetricValue
    public var energyMJ: MetricValue
    /// Energy / latency: the time-weighted mean power.
    public var averagePowerW: MetricValue
    public var calibrated: Bool

    /// `latencyFactor`: the network-level correction, on latency and on energy (the time it adds is taken at the
    /// layers' mean power), so the mean power is unchanged.
    public init(_ sum: CostSum, calibrated: Bool, latencyFactor: Double = 1) {
        latencyMs = sum.latency.map { $0 * latencyFactor }
        energyMJ = sum.energy.map { $0 * latencyFactor }
        averagePowerW = MetricValue.combine(energyMJ, latencyMs, /)
        self.calibrated = calibrated
    }
}

/// A network's predicted costs on one device, per layer and in total.
public struct NetworkEstimate: Sendable {
    public let device: DeviceSpec
    public let calibrated: Bool
    public let status: String
    public let network: ResolvedNetwork
    /// One entry per layer of `network`; nil for layers that cost nothing (activation, flatten: fused).
    public let layers: [LayerEstimate?]
    /// Σ layer latency (ms), Σ layer latency × layer power (mJ) and their ratio, the time-weighted mean power (W),
    /// times `latencyCorrection`'s factor where the predictor applies one.
    public let totals: NetworkTotals
    /// The network-level factor in `totals` (1 without a correction), and what it rests on.
    public let correctionFactor: Double
    public let correctionSummary: String?
    /// What the network-level correction reads: the plain layer sum (ms), the costed layers, and how many of them
    /// are predicted under `NetworkLatencyCorrection.smallLayerMs`.
    public let correctionFeatures: (sumMs: Double, layers: Int, smallLayers: Int)
    public var latencyMs: MetricValue { totals.latencyMs }
    public var energyMJ: MetricValue { totals.energyMJ }
    public var averagePowerW: MetricValue { totals.averagePowerW }
    private let learntMemoryKind: Metric?

    /// What is said about layers that are not predicted.
    public static let fusedNote = "activation, flatten and softmax layers cost nothing: deployment compilers fuse them into the layer before (as Sponner et al. assume)"

    init(predictor: DevicePredictor, network: ResolvedNetwork, layers: [LayerEstimate?]) {
        device = predictor.spec
        calibrated = predictor.isCalibrated
        status = predictor.status
        self.network = network
        self.layers = layers
        var sum = CostSum()
        var hasMemory = false, hasDeviceMemory = false
        var costed = 0, small = 0
        for case let e? in layers {
            sum.add(e)
            costed += 1
            if let t = e.latencyMs.value, t < NetworkLatencyCorrection.smallLayerMs { small += 1 }
            if e.memoryMiB.isAvailable { hasMemory = true }
            if e.deviceMemoryMiB.isAvailable { hasDeviceMemory = true }
        }
        let correction = predictor.latencyCorrection
        correctionFeatures = (sum.latencyMs, costed, small)
        correctionFactor = correction?.factor(sumMs: sum.latencyMs, layers: costed, smallLayers: small) ?? 1
        correctionSummary = correction?.summary
        totals = NetworkTotals(sum, calibrated: calibrated, latencyFactor: correctionFactor)
        learntMemoryKind = hasMemory ? .memory : (hasDeviceMemory ? .deviceMemory : nil)
    }

    /// Memory figures (computed on demand: the liveness analysis walks the whole network).
    public var memory: NetworkMemoryEstimate {
        let figures = network.figures()
        let learnt: MetricValue
        let meaning: String
        switch learntMemoryKind {
        case .memory?:
            // Resident weights plus, at each layer, its input and the runtime's predicted output + workspace.
            var peak = 0.0
            var reason: String? = nil
            for (i, e) in layers.enumerated() {
                guard let e else { continue }
                switch e.memoryMiB {
                case .value(let mib):
                    peak = max(peak, Double(figures.weightBytes + figures.layers[i].inputBytes) / 1_048_576 + mib)
                case .unavailable where network.layers[i].operation.joinsInputs:
                    continue // unprofiled add or concat: a pass over tensors the liveness figure counts
                case .unavailable(let why): if reason == nil { reason = why }
                }
            }
            learnt = reason.map { .unavailable($0) } ?? .value(peak)
            meaning = "learnt: all weights + the largest (layer input + predicted runtime output and workspace)"
        case .deviceMemory?:
            var peak = 0.0
            var reason: String? = nil
            for (i, e) in layers.enumerated() {
                guard let e else { continue }
                switch e.deviceMemoryMiB {
                case .value(let mib): peak = max(peak, mib)
                case .unavailable where network.layers[i].operation.joinsInputs: continue
                case .unavailable(let why): if reason == nil { reason = why }
                }
            }
            learnt = reason.map { .unavailable($0) } ?? .value(peak)
            meaning = "learnt: device-wide allocated memory while the most demanding layer runs alone (includes the runtime's baseline; not a whole-network figure)"
        default:
            let why = layers.lazy.compactMap { $0?.memoryMiB.reason }.first ?? "no memory measurements for \(device.id)"
            learnt = .unavailable(why)
            meaning = "no learnt memory model"
        }
        return NetworkMemoryEstimate(livenessBytes: figures.peakMemoryBytes, peakLayerIndex: figures.peakLayerIndex,
                                     twoLargestFootprintsBytes: figures.twoLargestFootprintsBytes,
                                     twiceMeanFootprintBytes: figures.twiceMeanFootprintBytes,
                                     learntMiB: learnt, learntMeaning: meaning)
    }

    /// Caveats worth printing with the estimate.
    public var notes: [String] {
        var out = [NetworkEstimate.fusedNote]
        if !calibrated {
            var note = "\(device.id) is \(BundleManifest.uncalibratedStatus): latency is the analytic roofline max(FLOPs/peak, bytes/bandwidth), never learnt"
            if let tdp = device.tdpWatts { note += "; energy assumes the rated \(Int(tdp)) W board power throughout (an upper-bound estimate)" }
            out.append(note)
        }
        if let correctionSummary {
            out.append(String(format: "the latency total is the layer sum × %.3f, ", correctionFactor) + correctionSummary)
        }
        var seen = Set<String>()
        for case let e? in layers { if let c = e.caveat, seen.insert(c).inserted, calibrated { out.append(c) } }
        return out
    }
}

/// A network's memory on one device.
public struct NetworkMemoryEstimate: Hashable, Sendable {
    /// Exact peak from tensor liveness (`ResolvedNetwork.figures().peakMemoryBytes`): the default figure.
    public var livenessBytes: Int
    public var peakLayerIndex: Int?
    /// Sponner et al. 2022, pessimistic heuristic: the two largest layer footprints added.
    public var twoLargestFootprintsBytes: Int
    /// Sponner et al. 2022, optimistic heuristic: twice the mean layer footprint.
    public var twiceMeanFootprintBytes: Double
    /// From the device's learnt memory model, where it has memory data.
    public var learntMiB: MetricValue
    public var learntMeaning: String
}
