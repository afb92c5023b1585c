import Foundation
import NASArchitecture

/// A profiling line as the profiler writes it: with the measuring side's own metadata and settings.
public typealias MeasuredProfileRecord = ProfileRecord<DeviceMetadata, MeasurementSettings>

extension ProfileRecord where Metadata == DeviceMetadata, Settings == MeasurementSettings {
    /// The line of a measured pair: the workload as measured, and everything the measurement says.
    public init(_ entry: CatalogEntry, _ m: LayerMeasurement, settings: MeasurementSettings, timestamp: String) {
        self.init(status: .ok, workload: m.workload, category: entry.category, label: entry.label,
                  device: m.metadata.deviceID, timestamp: timestamp)
        latencyMs = m.latency.medianMs
        latencyIQRMs = m.latency.iqrMs
        latencyMinMs = m.latency.minMs
        latencyMaxMs = m.latency.maxMs
        samples = m.latency.samples
        outliers = m.latency.outliers
        memoryBytes = m.memory.totalBytes
        memoryMiB = Double(m.memory.totalBytes) / 1_048_576
        memory = ProfiledMemory(inputBytes: m.memory.inputBytes, outputBytes: m.memory.outputBytes,
                                weightsBytes: m.memory.weightsBytes, scratchpadBytes: m.memory.scratchpadBytes)
        energyMJ = m.energyJ.value.map { $0 * 1000 }
        energyUnavailable = m.energyJ.unavailableReason
        powerW = m.powerW.value
        powerUnavailable = m.powerW.unavailableReason
        implementation = m.implementation
        loadAverage1m = m.loadAverage1m
        metadata = m.metadata
        self.settings = settings
    }

    /// The line of a pair that failed, or was skipped because a smaller batch failed: why, and where.
    public init(_ entry: CatalogEntry, batch: Int, status: ProfileStatus, error: String, metadata: DeviceMetadata,
                settings: MeasurementSettings, timestamp: String) {
        var w = entry.workload
        w.batch = batch
        self.init(status: status, workload: w, category: entry.category, label: entry.label,
                  device: metadata.deviceID, timestamp: timestamp)
        self.error = error
        self.metadata = metadata
        self.settings = settings
    }
}

extension Reading {
    var unavailableReason: String? {
        if case .unavailable(let reason) = self { return reason }
        return nil
    }
}
