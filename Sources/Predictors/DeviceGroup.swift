import Foundation
import NASArchitecture

/// Devices that ran largely the same layers with the same software: a model fitted over the whole group,
/// with device descriptors as features, can learn from three times the samples. Whether it beats the
/// device's own model is decided per (device, layer type, metric) by cross-validation.
public enum DeviceGroup {
    /// The CUDA GPUs and the two AVX2 CPUs of Sponner et al.; the Raspberry Pi stands alone.
    public static let groups: [[String]] = [["a100", "k80", "gtx980ti"], ["xeon", "i7"]]

    /// The other members of `device`'s group (empty when it has none).
    public static func partners(of device: String) -> [String] {
        groups.first { $0.contains(device) }?.filter { $0 != device } ?? []
    }
}

/// The measured samples of a device's group partners, for the pooled candidates of `nas train`.
public struct DeviceGroupData: Sendable {
    public var partners: [(spec: DeviceSpec, samples: [MeasuredSample])]

    public init(partners: [(spec: DeviceSpec, samples: [MeasuredSample])]) { self.partners = partners }

    public var members: [String] { partners.map(\.spec.id) }

    /// Pooled rows (base features on the partner's own spec, then its descriptor) and log targets of every
    /// partner sample of `kind` with `metric`. Latency leaves out each partner's own outliers, found by the
    /// same rule on all of that partner's rows: they are never scored, so nothing leaks.
    func rows(_ kind: WorkloadKind, _ metric: Metric) -> (X: [[Double]], y: [Double]) {
        var X: [[Double]] = [], y: [Double] = []
        for (spec, samples) in partners {
            let rows = samples.filter { $0.workload.kind == kind && $0.measurements.value(metric) != nil }
            let base = rows.map { Features.vector($0.workload, spec: spec) }
            let targets = rows.map { Foundation.log($0.measurements.value(metric)!) }
            let outliers = metric == .latency ? Set(OutlierRule.flag(rows: Array(rows.indices), X: base, y: targets).map(\.row)) : []
            let descriptor = Features.descriptor(spec)
            for i in rows.indices where !outliers.contains(i) {
                X.append(base[i] + descriptor)
                y.append(targets[i])
            }
        }
        return (X, y)
    }
}

/// A model fitted over a device group, bound to one device: it appends that device's descriptor to each
/// feature row and asks the inner model, which was fitted on rows of `Features.pooledCount` values.
public struct PooledModel: LayerModel {
    public static let fileFamily = "pooled"
    public var inner: any Regressor
    public var descriptor: [Double]
    /// Device ids of the group, the bound device first.
    public var group: [String]

    public func predict(_ row: UnsafeBufferPointer<Double>) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: Features.pooledCount) { wide in
            for i in 0..<Features.count { wide[i] = row[i] }
            for (j, d) in descriptor.enumerated() { wide[Features.count + j] = d }
            return inner.predict(UnsafeBufferPointer(wide))
        }
    }

    public func serialized() throws -> Data {
        ModelJSON.encode(family: Self.fileFamily, [
            "inner_family": .string(type(of: inner).family.rawValue),
            "inner": try JSONValue.parse(try inner.serialized()),
            "descriptor": ModelJSON.array(descriptor), "descriptor_names": .array(Features.descriptorNames.map { .string($0) }),
            "group": .array(group.map { .string($0) }),
        ])
    }

    public static func load(_ data: Data, file: String) throws -> PooledModel {
        let o = try ModelJSON.decode(data, familyName: fileFamily, file: file)
        guard let name = o["inner_family"]?.stringValue, let family = RegressorFamily(rawValue: name), let inner = o["inner"] else {
            throw PredictorError(file: file, "corrupt model file: a pooled model needs 'inner_family' and 'inner'")
        }
        let descriptor = try ModelJSON.doubles(o, "descriptor", file: file)
        guard descriptor.count == Features.descriptorNames.count, descriptor.allSatisfy(\.isFinite) else {
            throw PredictorError(file: file, "corrupt model file: 'descriptor' must hold \(Features.descriptorNames.count) finite numbers")
        }
        let group = o["group"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let model = try family.type.load(Data(inner.serialized(pretty: false).utf8), file: file, width: Features.pooledCount)
        return PooledModel(inner: model, descriptor: descriptor, group: group)
    }
}
