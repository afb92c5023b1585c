import Foundation

/// A quick measurement of the host's memory bandwidth, for the roofline prior of the `host` device.
///
/// It is a copy, not STREAM: good enough to place the memory roof within a small factor, which is
/// all a prior needs. The learnt host predictor, not this figure, is what budgets rest on.
public enum MemoryBandwidthProbe {
    /// Best-of-five copy bandwidth of a 64 MiB buffer in bytes/s, counted as read plus write traffic,
    /// rounded to two significant figures so that run-to-run noise does not show in every report.
    public static func measure() -> Double {
        let count = 8 * 1024 * 1024 // 64 MiB of Double
        let source = [Double](repeating: 1.5, count: count)
        var target = [Double](repeating: 0, count: count)
        var best = Double.infinity
        for _ in 0..<5 {
            let start = monotonicNanoseconds()
            target.withUnsafeMutableBufferPointer { t in
                source.withUnsafeBufferPointer { s in
                    t.baseAddress!.update(from: s.baseAddress!, count: count)
                }
            }
            best = min(best, Double(monotonicNanoseconds() - start) / 1e9)
        }
        precondition(target[count - 1] == 1.5)
        return roundedToTwoFigures(2 * Double(count * 8) / max(best, 1e-9))
    }

    static func roundedToTwoFigures(_ x: Double) -> Double {
        let magnitude = pow(10, floor(log10(x)) - 1)
        return (x / magnitude).rounded() * magnitude
    }
}
