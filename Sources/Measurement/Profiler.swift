import Foundation
import NASArchitecture
import NASSupport
#if canImport(Glibc)
import Glibc
#endif

/// One line of a profiling dataset (docs/profiling-format.md).
public enum ProfileRecord {
    public static let formatVersion = 1

    /// The workload's identity across batch sizes: its canonical JSON with the batch left out.
    static func workloadKey(_ w: LayerWorkload) -> String {
        var v = w
        v.batch = 0
        return key(v)
    }

    /// A (workload, batch) pair's identity: the canonical JSON of the workload.
    static func key(_ w: LayerWorkload) -> String {
        ((try? AgentProtocol.encode(w)) ?? .null).serialized(pretty: false)
    }

    static func common(_ e: CatalogEntry, batch: Int, status: String, device: String) throws -> [String: JSONValue] {
        var w = e.workload
        w.batch = batch
        return [
            "format_version": JSONValue(formatVersion),
            "status": .string(status),
            "workload": try AgentProtocol.encode(w),
            "category": .string(e.category),
            "label": .string(e.label),
            "device": .string(device),
            "timestamp": .string(ISO8601DateFormatter().string(from: Date())),
        ]
    }

    static func reading(_ r: Reading, scale: Double) -> (JSONValue, JSONValue) {
        switch r {
        case .measured(let v): return (JSONValue(v * scale), .null)
        case .unavailable(let reason): return (.null, .string(reason))
        }
    }

    public static func ok(_ e: CatalogEntry, _ m: LayerMeasurement, settings: MeasurementSettings) throws -> JSONValue {
        var o = try common(e, batch: m.workload.batch, status: "ok", device: m.metadata.deviceID)
        o["workload"] = try AgentProtocol.encode(m.workload)
        o["latency_ms"] = JSONValue(m.latency.medianMs)
        o["latency_iqr_ms"] = JSONValue(m.latency.iqrMs)
        o["latency_min_ms"] = JSONValue(m.latency.minMs)
        o["latency_max_ms"] = JSONValue(m.latency.maxMs)
        o["samples"] = JSONValue(m.latency.samples)
        o["outliers"] = JSONValue(m.latency.outliers)
        o["memory_bytes"] = JSONValue(m.memory.totalBytes)
        o["memory_mib"] = JSONValue(Double(m.memory.totalBytes) / 1_048_576)
        o["memory"] = try AgentProtocol.encode(m.memory)
        let (energy, energyWhy) = reading(m.energyJ, scale: 1000)
        let (power, powerWhy) = reading(m.powerW, scale: 1)
        o["energy_mj"] = energy
        o["power_w"] = power
        if energyWhy != .null { o["energy_unavailable"] = energyWhy }
        if powerWhy != .null { o["power_unavailable"] = powerWhy }
        o["implementation"] = .array(m.implementation.map { .string($0) })
        o["load_avg_1m"] = m.loadAverage1m.map { JSONValue($0) } ?? .null
        o["metadata"] = try AgentProtocol.encode(m.metadata)
        o["settings"] = try AgentProtocol.encode(settings)
        return .object(o)
    }

    public static func failed(_ e: CatalogEntry, batch: Int, status: String, error: String, metadata: DeviceMetadata,
                              settings: MeasurementSettings) throws -> JSONValue {
        var o = try common(e, batch: batch, status: status, device: metadata.deviceID)
        o["error"] = .string(error)
        o["metadata"] = try AgentProtocol.encode(metadata)
        o["settings"] = try AgentProtocol.encode(settings)
        return .object(o)
    }
}

/// Measures catalog workloads at several batch sizes into an append-only dataset, resuming where a previous run stopped.
public final class Profiler {
    public struct Options {
        public var batches: [Int]
        public var limit: Int?
        public var timeBudgetSeconds: Double?
        public var settings: MeasurementSettings
        public init(batches: [Int] = [1, 16], limit: Int? = nil, timeBudgetSeconds: Double? = nil,
                    settings: MeasurementSettings = MeasurementSettings(warmup: 2, repeats: 10)) {
            self.batches = batches; self.limit = limit; self.timeBudgetSeconds = timeBudgetSeconds; self.settings = settings
        }
    }

    public struct Summary: Sendable {
        public var measured = 0
        public var failed = 0
        public var skipped = 0
        /// (workload, batch) pairs already in the file.
        public var alreadyDone = 0
        /// Pairs left because the time budget ran out.
        public var remaining = 0
        public var droppedPartialBytes = 0
        public var seconds: Double = 0
    }

    let backend: MeasurementBackend
    let options: Options
    let path: String
    /// Progress output; by default a bar on a terminal, plain lines otherwise.
    var progress: ProgressReporter

    public init(backend: MeasurementBackend, path: String, options: Options, progress: ProgressReporter = ProgressReporter()) {
        self.backend = backend
        self.path = path
        self.options = options
        self.progress = progress
    }

    /// Keys of the (workload, batch) pairs in an existing dataset and of workloads whose every batch is settled.
    static func existingKeys(path: String) throws -> (keys: Set<String>, failures: [String: (batch: Int, error: String)]) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], [:]) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw MeasurementError.invalidSettings("\(path): cannot read (\(error.localizedDescription))")
        }
        var keys: Set<String> = []
        var failures: [String: (batch: Int, error: String)] = [:]
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() {
            let isLast = i == lines.count - 1
            if line.isEmpty { continue }
            // A last line without its newline was cut short (JSONLinesFile cuts it off on opening).
            if isLast && data.last != 0x0A { break }
            let v: JSONValue
            do { v = try JSONValue.parse(Data(line)) } catch {
                throw MeasurementError.invalidSettings("\(path):\(i + 1): not a JSON line (\(error)); the dataset is damaged, not resuming")
            }
            guard let w = v["workload"] else {
                throw MeasurementError.invalidSettings("\(path):\(i + 1): no 'workload' object; not a nas profile dataset")
            }
            let workload: LayerWorkload
            do {
                workload = try AgentProtocol.decode(LayerWorkload.self, w)
            } catch {
                throw MeasurementError.invalidSettings("\(path):\(i + 1): 'workload' does not decode (\(error))")
            }
            keys.insert(ProfileRecord.key(workload))
            if v["status"]?.stringValue == "failed" {
                let wk = ProfileRecord.workloadKey(workload)
                if failures[wk].map({ workload.batch < $0.batch }) ?? true {
                    failures[wk] = (workload.batch, v["error"]?.stringValue ?? "unknown error")
                }
            }
        }
        return (keys, failures)
    }

    public func run(catalog: [CatalogEntry]) throws -> Summary {
        let start = monotonicNanoseconds()
        let batches = Array(Set(options.batches)).sorted()
        guard !batches.isEmpty, batches.allSatisfy({ $0 > 0 }) else {
            throw MeasurementError.invalidSettings("batch sizes must be positive, got \(options.batches)")
        }
        let settings = try options.settings.validated()
        let entries = options.limit.map { Array(catalog.prefix($0)) } ?? catalog
        // Two runs appending to one dataset would both measure what is missing and write it twice.
        let log = try JSONLinesFile(appendingTo: path, sync: .batched(lines: 20, seconds: 5), holder: "another nas profile")
        let (done, earlierFailures) = try Profiler.existingKeys(path: path)
        var summary = Summary()
        summary.droppedPartialBytes = log.droppedPartialBytes
        let metadata = try backend.metadata(settings: settings)

        var todo: [(CatalogEntry, [Int])] = []
        for e in entries {
            var remaining: [Int] = []
            for b in batches {
                var w = e.workload
                w.batch = b
                if done.contains(ProfileRecord.key(w)) { summary.alreadyDone += 1 } else { remaining.append(b) }
            }
            if !remaining.isEmpty { todo.append((e, remaining)) }
        }
        let total = todo.reduce(0) { $0 + $1.1.count }
        progress.begin(total: total, alreadyDone: summary.alreadyDone, path: path)
        var finished = 0
        for (e, remaining) in todo {
            var failure: String? = nil
            let earlier = earlierFailures[ProfileRecord.workloadKey(e.workload)]
            for b in remaining {
                if let earlier, earlier.batch < b, failure == nil {
                    failure = "batch \(earlier.batch) failed: \(earlier.error)"
                }
                if let budget = options.timeBudgetSeconds, Double(monotonicNanoseconds() - start) / 1e9 >= budget, failure == nil {
                    summary.remaining = total - finished
                    summary.seconds = Double(monotonicNanoseconds() - start) / 1e9
                    progress.end(summary, stoppedByBudget: true)
                    return summary
                }
                var w = e.workload
                w.batch = b
                if let reason = failure {
                    try log.append(line: try ProfileRecord.failed(e, batch: b, status: "skipped", error: reason, metadata: metadata, settings: settings).serialized(pretty: false))
                    summary.skipped += 1
                    finished += 1
                    progress.step(done: finished, workload: w, result: "skipped")
                    continue
                }
                do {
                    let m: LayerMeasurement
                    do {
                        m = try backend.measureLayer(w, settings: settings)
                    } catch MeasurementError.backendFailed(let message) {
                        summary.remaining = total - finished
                        summary.seconds = Double(monotonicNanoseconds() - start) / 1e9
                        progress.end(summary, stoppedByBudget: false)
                        throw MeasurementError.backendFailed("\(message); \(summary.measured + summary.failed + summary.skipped) lines written to \(path) are kept, run again to resume")
                    }
                    try log.append(line: try ProfileRecord.ok(e, m, settings: settings).serialized(pretty: false))
                    summary.measured += 1
                    finished += 1
                    progress.step(done: finished, workload: w, result: String(format: "%.4f ms", m.latency.medianMs))
                } catch MeasurementError.workloadFailed(let message) {
                    try log.append(line: try ProfileRecord.failed(e, batch: b, status: "failed", error: message, metadata: metadata, settings: settings).serialized(pretty: false))
                    summary.failed += 1
                    finished += 1
                    failure = "batch \(b) failed: \(message)"
                    progress.step(done: finished, workload: w, result: "failed: \(message)")
                }
            }
        }
        summary.seconds = Double(monotonicNanoseconds() - start) / 1e9
        progress.end(summary, stoppedByBudget: false)
        return summary
    }
}

/// Progress on stderr: a bar with an ETA on a terminal, one plain line per measurement otherwise.
public struct ProgressReporter {
    public enum Style { case bar, lines, silent }
    public var style: Style
    private var total = 0
    private var start: UInt64 = 0

    public init(style: Style? = nil) {
        self.style = style ?? (isatty(STDERR_FILENO) != 0 ? .bar : .lines)
    }

    private func emit(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

    mutating func begin(total: Int, alreadyDone: Int, path: String) {
        self.total = total
        start = monotonicNanoseconds()
        guard style != .silent else { return }
        emit("profile: \(total) measurement\(total == 1 ? "" : "s") to make, \(alreadyDone) already in \(path)\n")
    }

    func step(done: Int, workload: LayerWorkload, result: String) {
        let elapsed = Double(monotonicNanoseconds() - start) / 1e9
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        switch style {
        case .silent: return
        case .lines:
            emit("profile \(done)/\(total) \(workload.description): \(result)\n")
        case .bar:
            let width = 30
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            var label = workload.description
            if label.count > 48 { label = String(label.prefix(47)) + "…" }
            emit("\r\u{1B}[K[\(bar)] \(done)/\(total) ETA \(ProgressReporter.duration(eta))  \(label)")
        }
    }

    func end(_ s: Profiler.Summary, stoppedByBudget: Bool) {
        guard style != .silent else { return }
        if style == .bar { emit("\n") }
        var line = "profile: \(s.measured) measured, \(s.failed) failed, \(s.skipped) skipped after a failure, in \(ProgressReporter.duration(s.seconds))"
        if s.droppedPartialBytes > 0 { line += "; cut off a truncated last line of \(s.droppedPartialBytes) bytes first" }
        if stoppedByBudget { line += "; time budget reached with \(s.remaining) left (run again to continue)" }
        emit(line + "\n")
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        if t >= 3600 { return "\(t / 3600)h\(String(format: "%02d", (t % 3600) / 60))m" }
        if t >= 60 { return "\(t / 60)m\(String(format: "%02d", t % 60))s" }
        return String(format: "%.1fs", s)
    }
}

/// "30m", "2h", "1h30m", "90s" or plain seconds.
public func parseDuration(_ text: String) throws -> Double {
    var total = 0.0
    var number = ""
    var sawUnit = false
    for ch in text.trimmingCharacters(in: .whitespaces) {
        if ch.isNumber || ch == "." { number.append(ch); continue }
        guard let v = Double(number) else { throw MeasurementError.invalidSettings("time budget '\(text)' is not like 30m, 2h, 1h30m or 90s") }
        switch ch {
        case "h": total += v * 3600
        case "m": total += v * 60
        case "s": total += v
        default: throw MeasurementError.invalidSettings("time budget '\(text)' has unknown unit '\(ch)' (use h, m or s)")
        }
        number = ""
        sawUnit = true
    }
    if !number.isEmpty {
        guard let v = Double(number), !sawUnit else { throw MeasurementError.invalidSettings("time budget '\(text)' is not like 30m, 2h, 1h30m or 90s") }
        total += v
    }
    guard total > 0 else { throw MeasurementError.invalidSettings("time budget '\(text)' must be positive") }
    return total
}
