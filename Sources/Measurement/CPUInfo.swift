import Foundation

/// What `/proc/cpuinfo` says about this machine, read once and parsed one way.
///
/// Both the measurement metadata (CPU model in every profile line) and the host's roofline figures
/// come from here, so the two never disagree about which CPU this is.
public struct CPUInfo: Hashable, Sendable {
    /// "model name" on x86; "Model", "Hardware" or "cpu model" on Arm and others; "unknown" if none.
    public var model: String
    /// Number of "processor" entries (at least 1).
    public var processors: Int
    /// The first "cpu MHz" value, nil where the kernel does not report one (most Arm boards).
    public var clockMHz: Double?
    /// The first "flags" (x86) or "Features" (Arm) list.
    public var flags: Set<String>

    public init(model: String, processors: Int, clockMHz: Double?, flags: Set<String>) {
        self.model = model; self.processors = processors; self.clockMHz = clockMHz; self.flags = flags
    }

    /// Parses the text of `/proc/cpuinfo`.
    public init(parsing text: String) {
        var models: [String: String] = [:]
        var processors = 0
        var mhz: Double?
        var flags: Set<String>?
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "processor": processors += 1
            case "cpu MHz": if mhz == nil { mhz = Double(parts[1]).flatMap { $0 > 0 && $0.isFinite ? $0 : nil } }
            case "flags", "Features": if flags == nil { flags = Set(parts[1].split(separator: " ").map(String.init)) }
            case let key where CPUInfo.modelKeys.contains(key) && !parts[1].isEmpty:
                if models[key] == nil { models[key] = parts[1] }
            default: break
            }
        }
        self.model = CPUInfo.modelKeys.lazy.compactMap { models[$0] }.first ?? "unknown"
        self.processors = max(processors, 1)
        self.clockMHz = mhz
        self.flags = flags ?? []
    }

    /// Keys naming the CPU, most specific first.
    static let modelKeys = ["model name", "Model", "Hardware", "cpu model"]

    /// This machine's `/proc/cpuinfo`, or an empty description where it cannot be read.
    public static func current() -> CPUInfo {
        CPUInfo(parsing: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "")
    }

    /// The widest vector ISA with FMA that the flags show, and the FP32 FLOP per cycle per CPU it is
    /// assumed to sustain: 64 with AVX-512F and FMA (two 512-bit FMA units: an upper bound, since e.g.
    /// Zen 4 runs AVX-512 on 256-bit units), 32 with AVX2 and FMA, 16 with AVX but no FMA, 8 with SSE or NEON.
    public var vectorISA: (name: String, fp32FlopsPerCycle: Double) {
        if flags.contains("avx512f") && flags.contains("fma") {
            return ("AVX-512F + FMA (two 512-bit FMA units assumed: an upper bound)", 64)
        } else if flags.contains("avx2") && flags.contains("fma") {
            return ("AVX2 + FMA (two 256-bit FMA units assumed)", 32)
        } else if flags.contains("avx") {
            return ("AVX without FMA", 16)
        }
        return (flags.contains("asimd") ? "NEON" : "SSE", 8)
    }
}
