import Foundation
import NASArchitecture

/// Plausibility checks on measured samples, shared by both line formats: what no real device can do.
extension DatasetReader {
    /// The physics check shared by both formats: nothing may run faster than the device's peak rate.
    /// Returns the reason for rejection, or nil.
    static func physicsViolation(_ w: LayerWorkload, latencyMs: Double, spec: DeviceSpec?) -> String? {
        guard let spec else { return nil }
        let rate = effectiveFlops(w) / (latencyMs / 1000)
        let ceiling = physicsCeiling(spec)
        if rate > ceiling {
            return String(format: "%.3g FLOP/s exceeds the %@ peak of %.3g FLOP/s (check the time unit)",
                          rate, spec.id, ceiling)
        }
        return nil
    }

    /// FLOPs of the window taps that land inside the input. With zero padding (and more so with dilation), some
    /// taps only ever read padding, and libraries skip them; counting them would make honest samples look faster
    /// than the device's peak. Equal to `w.flops` without padding.
    static func effectiveFlops(_ w: LayerWorkload) -> Double {
        func taps(input: Int, output: Int, stride: Int, kernel: Int, dilation: Int, pad: Int) -> Int {
            var n = 0
            for o in 0..<output {
                for t in 0..<kernel {
                    let i = o * stride - pad + t * dilation
                    if i >= 0 && i < input { n += 1 }
                }
            }
            return n
        }
        switch w.kind {
        case .dense: return Double(w.flops)
        case .conv2d, .maxPool2d, .avgPool2d:
            let h = taps(input: w.inH, output: w.outH, stride: w.strideH, kernel: w.kernelH, dilation: w.dilationH, pad: w.padTop)
            let v = taps(input: w.inW, output: w.outW, stride: w.strideW, kernel: w.kernelW, dilation: w.dilationW, pad: w.padLeft)
            if w.kind == .conv2d {
                return 2 * Double(w.batch) * Double(w.outC) * Double(w.inC / max(w.groups, 1)) * Double(h) * Double(v)
            }
            return Double(w.batch) * Double(w.outC) * Double(h) * Double(v)
        }
    }

    /// The FLOP/s no sample may exceed: the vendor peak, or for the host, whose peak is estimated from the
    /// nominal clock, 1.5× the estimate (turbo clocks).
    static func physicsCeiling(_ spec: DeviceSpec) -> Double {
        spec.id == "host" ? 1.5 * spec.peakFlops : spec.peakFlops
    }

    /// The highest power reading `spec` can physically draw, or nil where the meter covers more than the device.
    static func powerCeiling(_ spec: DeviceSpec) -> Double? {
        switch spec.id {
        // The Xeon's readings come from a node meter (CPU plus DRAM of a blade): no ceiling from the CPU's TDP.
        case "xeon", "host": return nil
        // RAPL package power: the dataset README calls readings above the 84 W TDP unphysical.
        case "i7": return 84
        default: return spec.tdpWatts.map { $0 * 1.25 }
        }
    }
}
