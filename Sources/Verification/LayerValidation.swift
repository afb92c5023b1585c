import NASArchitecture
import NASMeasurement
import NASPredictors
import NASSearch
import NASSupport

/// A whole network predicted layer by layer and measured layer by layer, as in Sponner et al.'s Table 5.
public struct LayerValidation: Sendable {
    public struct Row: Sendable {
        public var index: Int
        public var name: String
        public var type: String
        public var predictedMs: Double?
        public var measuredMs: Double?
        /// Measured more than twice the prediction: the paper's sign of a badly optimised kernel.
        public var flagged: Bool { if let p = predictedMs, let m = measuredMs, p > 0 { return m > 2 * p }; return false }
    }

    public var network: String
    public var batch: Int
    public var rows: [Row]
    public var predictedTotalMs: Double?
    public var measuredTotalMs: Double
    public var predictedMemoryMiB: Double
    public var measuredMemoryMiB: Double

    public init(network: ResolvedNetwork, estimate: NetworkEstimate, measurement: NetworkMeasurement) {
        self.network = network.architecture.name
        batch = network.batch
        let measured = Dictionary(measurement.layers.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        rows = network.layers.map { layer in
            Row(index: layer.index, name: layer.name, type: layer.operation.typeName,
                predictedMs: estimate.layers[layer.index]?.latencyMs.value,
                measuredMs: measured[layer.index]?.latency?.medianMs)
        }
        predictedTotalMs = estimate.latencyMs.value
        measuredTotalMs = measurement.latency.medianMs
        predictedMemoryMiB = Double(estimate.memory.livenessBytes) / 1_048_576
        measuredMemoryMiB = Double(measurement.peakMemoryBytes) / 1_048_576
    }

    public var table: Table {
        func n(_ v: Double?) -> String { v.map { Quantity.formatNumber($0, significant: 4) } ?? "fused" }
        var out = rows.map { r -> [String] in
            let err = r.predictedMs.flatMap { p in r.measuredMs.map { m in String(format: "%+.1f%%", (p - m) / m * 100) } } ?? ""
            return [String(r.index), r.name, r.type, n(r.predictedMs), n(r.measuredMs), err, r.flagged ? "measured > 2× predicted" : ""]
        }
        let totalErr = predictedTotalMs.map { String(format: "%+.1f%%", ($0 - measuredTotalMs) / measuredTotalMs * 100) } ?? ""
        out.append(["", "total", "", n(predictedTotalMs), n(measuredTotalMs), totalErr, "end to end, incl. layout reorders"])
        return Table(header: ["#", "layer", "type", "predicted ms", "measured ms", "error", ""], rows: out,
                           rightAligned: [true, false, false, true, true, true, false])
    }
}
