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

    /// The networks of `path` (`in-context-networks.jsonl`) with their end-to-end time, the last line per network
    /// kept.
    static func networkTotals(path: String) throws -> [String: InContextNetworkRecord] {
        var out: [String: InContextNetworkRecord] = [:]
        for r in try JSONLines.read(InContextNetworkRecord.self, from: path) { out[r.network] = r }
        return out
    }
}

/// One network of the in-context stage, timed end to end: what the network-level correction learns from
/// (`NetworkLatencyCorrection`). Written after the network's layer lines, so a kill between the two loses this
/// network's total, never a layer line, and a resumed run does not measure the network again.
struct InContextNetworkRecord: Codable, Hashable, Sendable {
    var network: String
    var batch: Int
    var layers: Int
    var measuredMs: Double
    var timestamp: String

    enum CodingKeys: String, CodingKey {
        case network, batch, layers, measuredMs = "measured_ms", timestamp
    }
}
