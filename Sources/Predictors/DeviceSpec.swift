import Foundation
import NASArchitecture

/// Approximate public figures of one target device: what the roofline prior and the physics check need.
///
/// All figures of the seven named devices live in this one file, each with its source. They are
/// vendor peak figures, not measurements, and the roofline prior built on them is only a prior.
public struct DeviceSpec: Hashable, Sendable {
    /// Short id used on the command line and in bundle file names: `a100`, `k80`, …, `host`.
    public var id: String
    public var name: String
    /// The software stack the measurements were taken with.
    public var runtime: String
    /// Peak single-precision rate in FLOP/s.
    public var peakFlops: Double
    /// Peak (or effective, where so marked in `notes`) memory bandwidth in bytes/s.
    public var memoryBandwidth: Double
    /// Device memory in bytes, nil where it is the host's system memory and not part of the table.
    public var memoryBytes: Double?
    /// Thermal design power (or board power) in watts, nil where unknown.
    public var tdpWatts: Double?
    /// Where the figures come from, and how derived figures were computed.
    public var sources: [String]
    /// How the figures were obtained for this machine (only the host is detected rather than looked up).
    public var notes: String
    /// Streaming multiprocessors (GPUs) or cores (CPUs), and the clock the peak figure assumes: device
    /// descriptors for models pooled over a device group. Nil where not listed.
    public var computeUnits: Int? = nil
    public var clockMHz: Double? = nil

    public init(id: String, name: String, runtime: String, peakFlops: Double, memoryBandwidth: Double,
                memoryBytes: Double?, tdpWatts: Double?, sources: [String], notes: String = "") {
        self.id = id; self.name = name; self.runtime = runtime
        self.peakFlops = peakFlops; self.memoryBandwidth = memoryBandwidth
        self.memoryBytes = memoryBytes; self.tdpWatts = tdpWatts
        self.sources = sources; self.notes = notes
    }

    func with(computeUnits: Int, clockMHz: Double) -> DeviceSpec {
        var spec = self
        spec.computeUnits = computeUnits; spec.clockMHz = clockMHz
        return spec
    }

    /// The roofline time of a workload in milliseconds: max(FLOPs / peak, minimum bytes / bandwidth).
    @inlinable
    public func rooflineMilliseconds(flops: Double, bytes: Double) -> Double {
        Swift.max(flops / peakFlops, bytes / memoryBandwidth) * 1000
    }

    public func rooflineMilliseconds(_ w: LayerWorkload) -> Double {
        rooflineMilliseconds(flops: Double(w.flops), bytes: Double(w.bytesF32))
    }
}

private let GiB = 1024.0 * 1024.0 * 1024.0

extension DeviceSpec {
    /// The seven target devices of Sponner et al. 2022 (ids in search-space and CLI order), without the host.
    public static let targets: [DeviceSpec] = [a100, k80, gtx980ti, xeon, i7, pi4, xu4]

    /// All eight device ids, the host last.
    public static let allIDs: [String] = targets.map(\.id) + ["host"]

    /// A named target's spec, or the detected host; nil for an unknown id.
    public static func named(_ id: String) -> DeviceSpec? {
        if id == "host" { return DeviceSpec.host }
        return targets.first { $0.id == id }
    }

    public static let a100 = DeviceSpec(
        id: "a100", name: "NVIDIA A100-SXM4-40GB", runtime: "TVM cuda (untuned)",
        peakFlops: 19.5e12, memoryBandwidth: 1555e9, memoryBytes: 40 * GiB, tdpWatts: 400,
        sources: ["NVIDIA A100 Tensor Core GPU datasheet (2020): FP32 19.5 TFLOP/s, HBM2 1,555 GB/s, 40 GB, max TDP 400 W (SXM4)",
                  "NVIDIA A100 whitepaper: 108 SMs, 1410 MHz boost clock"]).with(computeUnits: 108, clockMHz: 1410)

    public static let k80 = DeviceSpec(
        id: "k80", name: "NVIDIA Tesla K80 (one GK210)", runtime: "TVM cuda (untuned)",
        peakFlops: 4.37e12, memoryBandwidth: 240e9, memoryBytes: 12 * GiB, tdpWatts: 150,
        sources: ["NVIDIA Tesla K80 datasheet (2014): board of two GK210, 8.73 TFLOP/s FP32 at boost, 480 GB/s, 24 GB GDDR5, 300 W",
                  "one GPU = half the board: 4.37 TFLOP/s, 240 GB/s, 12 GiB, ~150 W; 13 SMX at 875 MHz boost"]).with(computeUnits: 13, clockMHz: 875)

    public static let gtx980ti = DeviceSpec(
        id: "gtx980ti", name: "NVIDIA GeForce GTX 980 Ti", runtime: "TVM cuda (untuned)",
        peakFlops: 5.63e12, memoryBandwidth: 336e9, memoryBytes: 6 * GiB, tdpWatts: 250,
        sources: ["NVIDIA GeForce GTX 980 Ti specifications (2015): 2816 CUDA cores at 1000 MHz base → 5.63 TFLOP/s FP32, 336.5 GB/s GDDR5, 6 GB, 250 W; 22 SMM"]).with(computeUnits: 22, clockMHz: 1000)

    public static let xeon = DeviceSpec(
        id: "xeon", name: "Intel Xeon E5-2680 v3", runtime: "TVM llvm -mcpu=haswell (untuned)",
        peakFlops: 0.96e12, memoryBandwidth: 68e9, memoryBytes: nil, tdpWatts: 120,
        sources: ["Intel ARK E5-2680 v3: 12 cores, 2.5 GHz base, AVX2 with two FMA units, 4 channels DDR4-2133 (68 GB/s), TDP 120 W",
                  "peak = 12 cores × 2.5 GHz × 32 FP32 FLOP/cycle (2 FMA × 8 lanes × 2) = 0.96 TFLOP/s"],
        notes: "power in the data is a node meter reading (CPU plus DRAM), so it can exceed the CPU's TDP").with(computeUnits: 12, clockMHz: 2500)

    public static let i7 = DeviceSpec(
        id: "i7", name: "Intel Core i7-4790", runtime: "TVM llvm -mcpu=haswell (untuned)",
        peakFlops: 0.4608e12, memoryBandwidth: 25.6e9, memoryBytes: nil, tdpWatts: 84,
        sources: ["Intel ARK i7-4790: 4 cores, 3.6 GHz base, AVX2 with two FMA units, dual-channel DDR3-1600 (25.6 GB/s), TDP 84 W",
                  "peak = 4 cores × 3.6 GHz × 32 FP32 FLOP/cycle = 0.46 TFLOP/s"]).with(computeUnits: 4, clockMHz: 3600)

    public static let pi4 = DeviceSpec(
        id: "pi4", name: "Raspberry Pi 4B (4× Cortex-A72)", runtime: "TVM arm_cpu (untuned, cross-compiled)",
        peakFlops: 48e9, memoryBandwidth: 5e9, memoryBytes: 4 * GiB, tdpWatts: 6.4,
        sources: ["Raspberry Pi 4 Model B product brief: BCM2711, 4× Cortex-A72 at 1.5 GHz, LPDDR4-3200, 4 GB variant",
                  "peak = 4 cores × 1.5 GHz × 8 FP32 FLOP/cycle (one 128-bit NEON FMA) = 48 GFLOP/s",
                  "bandwidth: 5 GB/s, the middle of the ~4–6 GB/s effective range of published STREAM-type runs (theoretical 12.8 GB/s)",
                  "power ~6.4 W: the board under full CPU load, as in the issue's table"]).with(computeUnits: 4, clockMHz: 1500)

    public static let xu4 = DeviceSpec(
        id: "xu4", name: "ODroid XU4 (Mali-T628 MP6)", runtime: "none measured",
        peakFlops: 100e9, memoryBandwidth: 14.9e9, memoryBytes: 2 * GiB, tdpWatts: 10,
        sources: ["Hardkernel ODROID-XU4 (Exynos 5422): Mali-T628 MP6 GPU, ~100 GFLOP/s FP32 (vendor figure ~102 GFLOP/s at 600 MHz)",
                  "2 GB LPDDR3 at 933 MHz, 2×32 bit: 14.9 GB/s; board power ~10 W under load"],
        notes: "uncalibrated: no measurements").with(computeUnits: 6, clockMHz: 600)
}
