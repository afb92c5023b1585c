import Foundation

/// Everything nas reads or measures about the machine it runs on, in one value.
///
/// Measurement owns these facts; the predictors receive them as plain numbers (`HostFigures` in
/// NASPredictors), so the predictor layer never parses system files or runs a benchmark itself.
public struct HostFacts: Sendable {
    public var cpu: CPUInfo
    /// Logical CPUs the process may use (at least the processors cpuinfo lists).
    public var logicalCPUs: Int
    /// `MemTotal` of /proc/meminfo in bytes, nil where unreadable.
    public var memoryBytes: Double?
    /// Copy bandwidth in bytes/s (`MemoryBandwidthProbe`).
    public var memoryBandwidth: Double
    /// The instruction set oneDNN dispatches to here, and its version: what host measurements depend on.
    public var dnnlISA: String
    public var dnnlVersion: String

    /// Reads cpuinfo and meminfo and runs the bandwidth probe (about a tenth of a second).
    public static func read() -> HostFacts {
        let cpu = CPUInfo.current()
        return HostFacts(cpu: cpu, logicalCPUs: max(cpu.processors, HostInfo.logicalCPUs),
                         memoryBytes: memTotalBytes(), memoryBandwidth: MemoryBandwidthProbe.measure(),
                         dnnlISA: DNNLInfo.isa, dnnlVersion: DNNLInfo.version)
    }

    static func memTotalBytes() -> Double? {
        guard let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
              let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kb * 1024
    }
}
