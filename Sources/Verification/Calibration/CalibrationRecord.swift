import Foundation

/// One network of the calibration set: what the freshly trained host predictor said, and what the network took.
public struct CalibrationRecord: Codable, Hashable, Sendable {
    public var network: String
    public var batch: Int
    public var layers: Int
    /// Sum of the layer predictions, the figure every search uses.
    public var predictedMs: Double
    /// End-to-end median of the timed runs.
    public var measuredMs: Double
    public var timestamp: String

    enum CodingKeys: String, CodingKey {
        case network, batch, layers, predictedMs = "predicted_ms", measuredMs = "measured_ms", timestamp
    }

    /// Predicted / measured − 1: negative when the predictor is optimistic.
    public var relativeError: Double { predictedMs / measuredMs - 1 }
}

/// Whole-network errors of a calibration set.
public struct CalibrationScores: Sendable, Equatable {
    public var networks: Int
    public var mape: Double
    public var medianAPE: Double
    /// Share of networks predicted within ±10 %.
    public var within10: Double
    /// Share predicted faster than measured: a budget built on the plain sum is exceeded that often.
    public var underPredicted: Double
    /// Median of measured / predicted.
    public var medianRatio: Double

    public init?(_ records: [CalibrationRecord]) {
        guard !records.isEmpty else { return nil }
        let ape = records.map { abs($0.relativeError) }.sorted()
        let ratios = records.map { $0.measuredMs / $0.predictedMs }.sorted()
        networks = records.count
        mape = ape.reduce(0, +) / Double(ape.count)
        medianAPE = Self.median(ape)
        within10 = Double(ape.filter { $0 <= 0.10 }.count) / Double(ape.count)
        underPredicted = Double(records.filter { $0.predictedMs < $0.measuredMs }.count) / Double(records.count)
        medianRatio = Self.median(ratios)
    }

    static func median(_ sorted: [Double]) -> Double {
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
