import Foundation
import NASArchitecture

/// Plausibility checks on measured samples, shared by both line formats: what no real device can do.
extension DatasetReader {
    /// The physics check shared by both formats: nothing may run faster than the device's peak rate.
    /// Returns the reason for rejection, or nil.
    static func physicsViolation(_ w: LayerWorkload, latencyMs: Double, spec: DeviceSpec?) -> String? {
        guard let spec else { return nil }
        return physicsViolation(w, latencyMs: latencyMs, ceiling: physicsCeiling(spec), device: spec.id)
    }

    static func physicsViolation(_ w: LayerWorkload, latencyMs: Double, ceiling: Double, device: String) -> String? {
        let rate = effectiveFlops(w) / (latencyMs / 1000)
        if rate > ceiling {
            return String(format: "%.3g FLOP/s exceeds the %@ peak of %.3g FLOP/s (check the time unit)",
                          rate, device, ceiling)
        }
        return nil
    }

    /// The FLOP/s ceiling of the machine a host profile line was measured on, from the line's own metadata
    /// (logical CPUs and the ISA oneDNN dispatched to), not from the machine reading the file: profiles travel
    /// between machines. A deliberately loose bound, 5 GHz on every logical CPU with two FMA units of the
    /// ISA's width, since it only has to catch wrong time units. Nil when the metadata lacks either fact.
    static func hostCeiling(metadata: JSONValue) -> Double? {
        guard let m = metadata.objectValue, let cpus = m["logical_cpus"]?.intValue, cpus > 0,
              let isa = m["isa"]?.stringValue?.lowercased() else { return nil }
        let perCycle: Double = isa.contains("avx512") ? 64 : isa.contains("avx2") ? 32 : isa.contains("avx") ? 16 : 8
        return Double(min(cpus, 1 << 16)) * 5e9 * perCycle
    }

    /// FLOPs of the window taps that land inside the input. With zero padding (and more so with dilation), some
    /// taps only ever read padding, and libraries skip them; counting them would make honest samples look faster
    /// than the device's peak. Equal to `w.flops` without padding.
    static func effectiveFlops(_ w: LayerWorkload) -> Double {
        /// Σ over kernel taps t of the outputs o in 0..<output whose input index o·stride − pad + t·dilation
        /// lies in 0..<input: one step per tap, so a hostile line cannot make it loop output × kernel times.
        func taps(input: Int, output: Int, stride: Int, kernel: Int, dilation: Int, pad: Int) -> Int {
            var n = 0
            for t in 0..<kernel {
                let offset = t * dilation - pad   // input index of output 0
                // o·stride + offset ≥ 0  and  o·stride + offset ≤ input − 1
                let first = offset >= 0 ? 0 : (-offset + stride - 1) / stride
                let last = input - 1 - offset < 0 ? -1 : (input - 1 - offset) / stride
                let count = min(last, output - 1) - first + 1
                if count > 0 { n += count }
            }
            return n
        }
        switch w.kind {
        case .dense, .add, .concat: return Double(w.flops)
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
