import Foundation
import NASStatistics
#if canImport(Glibc)
import Glibc
#endif

extension LatencyStats {
    /// Drops samples outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR] of all samples, then summarises the rest.
    public init(samplesMs: [Double]) throws {
        let all = try Descriptive.quartiles(samplesMs)
        let fence = 1.5 * all.interquartileRange
        let kept = samplesMs.filter { $0 >= all.q1 - fence && $0 <= all.q3 + fence }
        let q = try Descriptive.quartiles(kept)
        self.init(medianMs: q.median, iqrMs: q.interquartileRange, minMs: kept.min()!, maxMs: kept.max()!,
                  samples: samplesMs.count, outliers: samplesMs.count - kept.count)
    }
}

/// A monotonic clock in nanoseconds.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Package-level energy from Linux powercap (Intel RAPL; AMD's RAPL is exposed under the same names).
public struct EnergyCounter: Sendable {
    struct Domain: Sendable {
        var path: String
        var maxRangeMicrojoules: UInt64?
    }
    let domains: [Domain]

    /// Either readable counters or the reason there are none.
    public static func open(root: String = "/sys/class/powercap") -> Result<EnergyCounter, EnergyUnavailable> {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            return .failure(EnergyUnavailable(reason: "no readable RAPL counter: \(root) does not exist (the kernel exposes no powercap interface here)"))
        }
        let entries = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted()
        // Top-level package zones are "intel-rapl:N"; "intel-rapl:N:M" are sub-zones already counted in them.
        let packages = entries.filter { $0.hasPrefix("intel-rapl:") && $0.split(separator: ":").count == 2 }
        guard !packages.isEmpty else {
            return .failure(EnergyUnavailable(reason: "no readable RAPL counter under \(root) (no intel-rapl:N package zone)"))
        }
        var domains: [Domain] = []
        var problems: [String] = []
        for p in packages {
            let path = "\(root)/\(p)/energy_uj"
            if readCounter(path) != nil {
                let range = readCounter("\(root)/\(p)/max_energy_range_uj")
                domains.append(Domain(path: path, maxRangeMicrojoules: range))
            } else {
                problems.append("\(path) is not readable (\(String(cString: strerror(errno))))")
            }
        }
        guard !domains.isEmpty else {
            return .failure(EnergyUnavailable(reason: "no readable RAPL counter: " + problems.joined(separator: "; ")))
        }
        return .success(EnergyCounter(domains: domains))
    }

    static func readCounter(_ path: String) -> UInt64? {
        guard let s = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return UInt64(s.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Current counter values, one per package.
    func read() -> [UInt64]? {
        var out: [UInt64] = []
        for d in domains {
            guard let v = EnergyCounter.readCounter(d.path) else { return nil }
            out.append(v)
        }
        return out
    }

    /// Joules between two readings, allowing for one wrap-around per counter.
    func joules(from a: [UInt64], to b: [UInt64]) -> Double {
        var total: Double = 0
        for (i, d) in domains.enumerated() {
            if b[i] >= a[i] {
                total += Double(b[i] - a[i])
            } else if let range = d.maxRangeMicrojoules {
                total += Double(range - a[i] + b[i])
            }
        }
        return total / 1e6
    }
}

public struct EnergyUnavailable: Error, Sendable {
    public var reason: String
}

/// Measures energy and power across a block of `runs` timed runs.
struct EnergyWindow {
    let counter: Result<EnergyCounter, EnergyUnavailable>
    private var start: [UInt64]?
    private var startTime: UInt64 = 0

    init() { counter = EnergyCounter.open() }

    mutating func begin() {
        if case .success(let c) = counter { start = c.read() }
        startTime = monotonicNanoseconds()
    }

    /// Energy per run (J) and mean power (W) over the window.
    func end(runs: Int) -> (energy: Reading, power: Reading) {
        let seconds = Double(monotonicNanoseconds() - startTime) / 1e9
        switch counter {
        case .failure(let e):
            return (.unavailable(reason: e.reason), .unavailable(reason: e.reason))
        case .success(let c):
            guard let start, let stop = c.read() else {
                let r = "RAPL counter could not be read at the start or end of the timed runs"
                return (.unavailable(reason: r), .unavailable(reason: r))
            }
            let j = c.joules(from: start, to: stop)
            // RAPL updates about every millisecond; a shorter window reads as noise or zero.
            guard seconds >= 0.01, j > 0 else {
                let r = String(format: "timed runs lasted %.3f s, too short for the RAPL counter (needs ≥ 0.01 s with a nonzero delta)", seconds)
                return (.unavailable(reason: r), .unavailable(reason: r))
            }
            return (.measured(j / Double(max(runs, 1))), .measured(j / seconds))
        }
    }
}

/// Facts about the machine nas runs on.
public enum HostInfo {
    /// The CPU's name as /proc/cpuinfo gives it (see `CPUInfo.model`), read once.
    public static let cpuModel: String = CPUInfo.current().model

    public static var logicalCPUs: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The first field of /proc/loadavg.
    public static var loadAverage1m: Double? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Double($0) }
    }
}
