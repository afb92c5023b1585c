import Foundation
import NASArchitecture
import NASPredictors
@testable import NASSearch

/// A stand-in for a device's predictors, for tests only: latency proportional to MACs, energy to latency
/// at a fixed power, memory the analytic peak.
struct ProportionalEstimator: NetworkCostEstimator {
    let deviceID: String
    var msPerMegaMAC: Double = 0.1
    var watts: Double = 3
    var withoutEnergy = false
    var bound: NetworkLatencyBound? = nil

    var latencyBound: NetworkLatencyBound? { bound }

    var identity: [String: String] { ["kind": "test-proportional", "ms_per_mmac": "\(msPerMegaMAC)"] }

    func costs(of network: ResolvedNetwork) -> DeviceCosts {
        let f = network.figures()
        let latency = Double(f.macs) / 1e6 * msPerMegaMAC + 0.01 * Double(network.layers.count)
        return DeviceCosts(latencyMs: latency, energyMJ: withoutEnergy ? nil : latency * watts,
                           memoryMiB: Double(f.peakMemoryBytes) / 1_048_576,
                           unavailable: withoutEnergy ? ["energy": "no power measurements"] : [:])
    }
}

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static func space(_ name: String) throws -> SearchSpace {
        try SearchSpace.load(path: "\(root)/SearchSpaces/\(name).json")
    }
    static let shippedSpaces = ["mobile-224", "cifar-32", "fashion-mnist-28", "mobilenetv2-224"]

    /// A fresh empty folder under the temporary directory.
    static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "nas-search-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func configuration(space: SearchSpace, devices: [String] = ["pi4"], budgets: [Budget], objectives: [Objective],
                              quality: QualitySpec = .params, algorithm: AlgorithmSettings, evaluations: Int,
                              seed: UInt64) -> SearchConfiguration {
        SearchConfiguration(space: space, spaceSource: "test", devices: devices, budgets: budgets, objectives: objectives,
                            quality: quality, settings: SearchSettings(algorithm: algorithm, evaluations: evaluations, seed: seed),
                            created: "")
    }
}
