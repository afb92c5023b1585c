import NASArchitecture

/// A per-layer quantity a bundle can predict.
///
/// Energy is not learnt on its own: it is always latency × power of the same layer, in the CV tables
/// (from the out-of-fold predictions of both) as in the estimates.
public enum Metric: String, CaseIterable, Codable, Hashable, Sendable, Comparable {
    /// Wall time of one execution of the layer at its batch size, in milliseconds.
    case latency
    /// Mean power while the layer runs, in watts (how it was measured differs per device; see the dataset README).
    case power
    /// Derived: latency × power, in millijoules.
    case energy
    /// Memory the runtime allocated for the layer, in MiB. Raspberry Pi: TVM's `io_size + ws_size`
    /// (the computed output plus the workspace).
    case memory
    /// GPUs: device-wide allocated memory while the layer ran alone, in MiB, including the runtime's
    /// baseline allocation. It is not a per-layer footprint.
    case deviceMemory = "device_memory"

    /// The metrics that have their own regression models.
    public static let learnt: [Metric] = [.latency, .power, .memory, .deviceMemory]

    public var unit: String {
        switch self {
        case .latency: return "ms"
        case .power: return "W"
        case .energy: return "mJ"
        case .memory, .deviceMemory: return "MiB"
        }
    }

    public var meaning: String {
        switch self {
        case .latency: return "layer latency"
        case .power: return "mean power while the layer runs"
        case .energy: return "layer energy = latency × power"
        case .memory: return "runtime-allocated layer memory (TVM io_size + ws_size)"
        case .deviceMemory: return "device-wide allocated memory while the layer ran alone (incl. runtime baseline; not a footprint)"
        }
    }

    public static func < (a: Metric, b: Metric) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Dense index for table lookups.
    @inlinable var index: Int {
        switch self {
        case .latency: return 0
        case .power: return 1
        case .energy: return 2
        case .memory: return 3
        case .deviceMemory: return 4
        }
    }
}

extension WorkloadKind {
    /// Dense index for table lookups.
    @inlinable var index: Int {
        switch self {
        case .conv2d: return 0
        case .dense: return 1
        case .maxPool2d: return 2
        case .avgPool2d: return 3
        case .add: return 4
        case .concat: return 5
        }
    }
}

/// A predicted number, or the reason there is none.
public enum MetricValue: Hashable, Sendable, CustomStringConvertible {
    case value(Double)
    case unavailable(String)

    public var value: Double? { if case .value(let v) = self { return v }; return nil }
    public var reason: String? { if case .unavailable(let r) = self { return r }; return nil }
    public var isAvailable: Bool { if case .value = self { return true }; return false }

    public var description: String {
        switch self {
        case .value(let v): return "\(v)"
        case .unavailable(let r): return "unavailable: \(r)"
        }
    }

    /// Combines two values; unavailable wins and keeps the first reason.
    @inlinable
    /// `f` of the value; the reason stays.
    public func map(_ f: (Double) -> Double) -> MetricValue {
        if case .value(let v) = self { return .value(f(v)) }
        return self
    }

    public static func combine(_ a: MetricValue, _ b: MetricValue, _ f: (Double, Double) -> Double) -> MetricValue {
        switch (a, b) {
        case (.value(let x), .value(let y)): return .value(f(x, y))
        case (.unavailable, _): return a
        default: return b
        }
    }
}
