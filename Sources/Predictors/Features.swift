import Foundation
import NASArchitecture

/// The feature vector of one workload on one device.
///
/// Every feature is a natural logarithm: sizes span four to eight orders of magnitude, trees do not care
/// about monotone transforms, and kNN distances and linear fits behave far better on logs. Counts that
/// can be zero (padding) use log(1 + x).
///
/// The features are the layer hyperparameters, the paper's augmentation (input, weight and output tensor
/// sizes and FLOPs) and the roofline prior of the device. For dense layers, `filters` and `units` are
/// `out_c`; for pooling, the pool size is the kernel.
public enum Features {
    public static let names: [String] = [
        "batch", "in_h", "in_w", "in_c", "out_h", "out_w", "out_c",
        "kernel_h", "kernel_w", "stride_h", "stride_w", "dilation_h", "dilation_w", "groups", "channels_per_group",
        "padding",
        "input_elements", "weight_elements", "output_elements", "flops", "bytes",
        "compute_ms", "memory_ms", "roofline_ms",
    ]
    public static let count = names.count

    /// Device descriptors a pooled model sees after the base features, so that one model fitted over a
    /// device group can tell the devices apart. All logs; a missing figure is 0.
    public static let descriptorNames = ["device_peak_flops", "device_bandwidth", "device_compute_units", "device_clock_mhz", "device_tdp_w"]
    public static let pooledCount = count + descriptorNames.count

    public static func columnName(_ i: Int) -> String { i < count ? names[i] : descriptorNames[i - count] }

    public static func descriptor(_ spec: DeviceSpec) -> [Double] {
        func l(_ x: Double?) -> Double { x.map { Foundation.log($0) } ?? 0 }
        return [l(spec.peakFlops), l(spec.memoryBandwidth), l(spec.computeUnits.map(Double.init)), l(spec.clockMHz), l(spec.tdpWatts)]
    }

    /// Base features followed by the device descriptor.
    public static func pooledVector(_ w: LayerWorkload, spec: DeviceSpec) -> [Double] {
        vector(w, spec: spec) + descriptor(spec)
    }

    /// Indices of features used by the linear model for time and power: the power law
    /// log y = a + b·log(FLOPs/peak) + c·log(bytes/bandwidth).
    public static let linearCostSubset: [Int] = [names.firstIndex(of: "compute_ms")!, names.firstIndex(of: "memory_ms")!]
    /// … and for memory: log y = a + Σ bᵢ·log(input, weight and output elements).
    public static let linearMemorySubset: [Int] = ["input_elements", "weight_elements", "output_elements"].map { names.firstIndex(of: $0)! }
    public static let rooflineIndex = names.firstIndex(of: "roofline_ms")!

    /// Writes the features of `w` on `spec` into `out` (which must hold `count` elements).
    @inlinable
    public static func write(_ w: LayerWorkload, spec: DeviceSpec, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(out.count >= 24)
        let flops = Double(max(w.flops, 1))
        let bytes = Double(max(w.bytesF32, 1))
        let compute = flops / spec.peakFlops * 1000
        let memory = bytes / spec.memoryBandwidth * 1000
        @inline(__always) func l(_ x: Int) -> Double { Foundation.log(Double(max(x, 1))) }
        out[0] = l(w.batch)
        out[1] = l(w.inH); out[2] = l(w.inW); out[3] = l(w.inC)
        out[4] = l(w.outH); out[5] = l(w.outW); out[6] = l(w.outC)
        out[7] = l(w.kernelH); out[8] = l(w.kernelW)
        out[9] = l(w.strideH); out[10] = l(w.strideW)
        out[11] = l(w.dilationH); out[12] = l(w.dilationW)
        out[13] = l(w.groups); out[14] = l(w.inC / max(w.groups, 1))
        out[15] = Foundation.log(1 + Double(w.padTop + w.padBottom + w.padLeft + w.padRight))
        out[16] = l(w.inputElements); out[17] = l(w.weightElements); out[18] = l(w.outputElements)
        out[19] = Foundation.log(flops); out[20] = Foundation.log(bytes)
        out[21] = Foundation.log(compute); out[22] = Foundation.log(memory)
        out[23] = Foundation.log(max(compute, memory))
    }

    public static func vector(_ w: LayerWorkload, spec: DeviceSpec) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            write(w, spec: spec, into: buffer)
            initialized = count
        }
    }
}
