import Foundation
@testable import NASPredictors
import NASArchitecture
import NASSupport

/// A made-up device whose layers obey known laws, for bundle and estimate tests that must not depend on
/// ../shared: latency = 0.01 ms + 4 × roofline, power = 5 W + 1 W × log10(FLOPs), memory = output bytes × 1.5.
enum SyntheticDevice {
    static let spec = DeviceSpec(id: "pi4", name: "synthetic Pi", runtime: "test", peakFlops: 48e9, memoryBandwidth: 5e9,
                                 memoryBytes: nil, tdpWatts: 10, sources: ["test"])

    static func latency(_ w: LayerWorkload) -> Double { 0.01 + 4 * spec.rooflineMilliseconds(w) }
    static func power(_ w: LayerWorkload) -> Double { 5 + log10(Double(max(w.flops, 1))) }

    static func workloads(_ n: Int, seed: UInt64) -> [LayerWorkload] {
        var rng = SplitMix64(seed: seed)
        var out: [LayerWorkload] = []
        for i in 0..<n {
            let batch = [1, 8, 16][rng.int(3)]
            let hw = [7, 14, 28, 56][rng.int(4)]
            let c = [16, 32, 64, 128][rng.int(4)]
            switch i % 4 {
            case 0, 1:
                let k = [1, 3][rng.int(2)]
                let f = [16, 32, 64, 128][rng.int(4)]
                out.append(LayerWorkload(kind: .conv2d, batch: batch, inH: hw, inW: hw, inC: c, outH: hw - k + 1, outW: hw - k + 1,
                                         outC: f, kernelH: k, kernelW: k))
            case 2:
                out.append(.dense(batch: batch, inputs: c * hw, units: [10, 100, 1000][rng.int(3)], bias: false))
            default:
                out.append(LayerWorkload(kind: .maxPool2d, batch: batch, inH: hw, inW: hw, inC: c, outH: hw / 2, outW: hw / 2,
                                         outC: c, kernelH: 2, kernelW: 2, strideH: 2, strideW: 2))
                out.append(LayerWorkload(kind: .avgPool2d, batch: batch, inH: hw, inW: hw, inC: c, outH: hw / 2, outW: hw / 2,
                                         outC: c, kernelH: 2, kernelW: 2, strideH: 2, strideW: 2))
            }
        }
        return out
    }

    static func dataset(_ n: Int = 60, seed: UInt64 = 11) -> LoadedDataset {
        let samples = workloads(n, seed: seed).enumerated().map { i, w in
            MeasuredSample(source: "synthetic.jsonl:\(i + 1)", origin: "synthetic", device: spec.id, workload: w,
                           measurements: Measurements(latencyMs: latency(w), powerW: power(w),
                                                      memoryMiB: 1.5 * Double(4 * w.outputElements) / 1_048_576))
        }
        return LoadedDataset(path: "/somewhere/synthetic.jsonl", sha256: String(repeating: "0", count: 64),
                             lineCount: samples.count, samples: samples, rejected: [], format: "nas-profile")
    }

    static func bundle() throws -> PredictorBundle {
        try Trainer.train(device: spec, datasets: [dataset()])
    }
}
