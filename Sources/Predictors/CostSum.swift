/// The one place where a network's per-layer latency and energy become its totals.
///
/// Layers are added in network order, so every caller (per-layer estimates, the predictor's totals, the
/// search's shared cost table) gets the same floating-point sums. A layer without a value makes the total
/// unavailable, with the first such layer's reason. Plain data, so the search can keep one per device per
/// candidate without allocating.
public struct CostSum: Sendable {
    public var latencyMs = 0.0, energyMJ = 0.0
    public var latencyReason: String? = nil, energyReason: String? = nil

    @inlinable public init() {}

    /// Adds one layer; NaN marks a value that is unavailable, and its reason is only asked for when it is the
    /// first. A NaN without a reason (a model gone wrong) still makes the total unknown, never silently cheaper.
    @inlinable
    public mutating func add(latencyMs t: Double, latencyReason whyLatency: @autoclosure () -> String?,
                             energyMJ e: Double, energyReason whyEnergy: @autoclosure () -> String?) {
        if t.isNaN { if latencyReason == nil { latencyReason = whyLatency() ?? "a layer's predicted latency is not a number" } } else { latencyMs += t }
        if e.isNaN { if energyReason == nil { energyReason = whyEnergy() ?? "a layer's predicted energy is not a number" } } else { energyMJ += e }
    }

    @inlinable
    public mutating func add(_ layer: LayerEstimate) {
        add(latencyMs: layer.latencyMs.value ?? .nan, latencyReason: layer.latencyMs.reason,
            energyMJ: layer.energyMJ.value ?? .nan, energyReason: layer.energyMJ.reason)
    }

    public var latency: MetricValue { latencyReason.map { .unavailable($0) } ?? .value(latencyMs) }
    public var energy: MetricValue { energyReason.map { .unavailable($0) } ?? .value(energyMJ) }
}
