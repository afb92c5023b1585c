import Foundation
import NASArchitecture
import NASMeasurement
import NASSupport

/// Layers timed inside whole networks, run end to end as in real use, written as profiling lines
/// (docs/profiling-format.md) so the trainer reads them beside the isolated ones.
///
/// A layer profiled alone runs warm, with its input in cache from the previous repeat; inside a network its
/// input was just written by another primitive and its weights were evicted by the layers before it. These
/// lines carry that in-network cost. Their label is "NETWORK#LAYER", which is also how a resumed run knows
/// which networks are done.
enum InContextProfile {
    /// The networks of `path` whose layers are all written.
    static func measuredNetworks(path: String) throws -> Set<String> {
        guard let data = try JSONLines.contents(of: path) else { return [] }
        var done: Set<String> = []
        for line in JSONLines.split(data) where line.isTerminated {
            guard let record = try? JSONDecoder().decode(ProfileRecord<DeviceMetadata, MeasurementSettings>.self, from: line.bytes),
                  let label = record.label, let hash = label.firstIndex(of: "#") else { continue }
            done.insert(String(label[..<hash]))
        }
        return done
    }

    /// One line per layer that ran as its own primitive (fused activations and views are inside another's time).
    static func records(_ entry: CalibrationNetworks.Entry, _ m: NetworkMeasurement, settings: MeasurementSettings,
                        timestamp: String) -> [MeasuredProfileRecord] {
        var out: [MeasuredProfileRecord] = []
        for (layer, measured) in zip(entry.network.layers, m.layers) {
            guard let latency = measured.latency, let workload = layer.workload(batch: entry.network.batch) else { continue }
            var r = MeasuredProfileRecord(status: .ok, workload: workload, category: "in-context",
                                          label: "\(entry.name)#\(layer.name)", device: m.metadata.deviceID, timestamp: timestamp)
            r.latencyMs = latency.medianMs
            r.latencyIQRMs = latency.iqrMs
            r.latencyMinMs = latency.minMs
            r.latencyMaxMs = latency.maxMs
            r.samples = latency.samples
            r.outliers = latency.outliers
            r.implementation = measured.implementation
            r.loadAverage1m = m.loadAverage1m
            r.metadata = m.metadata
            r.settings = settings
            out.append(r)
        }
        return out
    }
}
