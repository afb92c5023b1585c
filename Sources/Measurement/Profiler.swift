import Foundation
import NASArchitecture
import NASSupport

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

    let backend: MeasurementBackend
    let options: Options
    let path: String
    /// Progress output; by default a bar on a terminal, plain lines otherwise.
    let progress: ProgressReporter

    public init(backend: MeasurementBackend, path: String, options: Options, progress: ProgressReporter = ProgressReporter()) {
        self.backend = backend
        self.path = path
        self.options = options
        self.progress = progress
    }

    /// One run's fixed inputs and its running count.
    private struct Pass {
        let log: JSONLinesFile
        let metadata: DeviceMetadata
        let settings: MeasurementSettings
        let start: UInt64
        var total = 0
        var summary = Summary()

        var elapsedSeconds: Double { Double(monotonicNanoseconds() - start) / 1e9 }
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
        let resume = try ProfileResume(path: path)
        var pass = Pass(log: log, metadata: try backend.metadata(settings: settings), settings: settings, start: start)
        pass.summary.droppedPartialBytes = log.droppedPartialBytes
        let todo = Self.pending(entries, batches: batches, done: resume.done, alreadyDone: &pass.summary.alreadyDone)
        pass.total = todo.reduce(0) { $0 + $1.batches.count }
        progress.note("profile: \(pass.total) measurement\(pass.total == 1 ? "" : "s") to make, \(pass.summary.alreadyDone) already in \(path)")
        progress.begin("profile", total: pass.total, unit: "measurements")
        for (entry, remaining) in todo {
            let earlier = resume.failures[ProfileResume.identity(entry.workload)]
            var failure: String? = nil
            for batch in remaining {
                if failure == nil, let earlier, earlier.batch < batch {
                    failure = "batch \(earlier.batch) failed: \(earlier.error)"
                }
                // Skips cost nothing, so they are still written once the budget is spent.
                if failure == nil, let budget = options.timeBudgetSeconds, pass.elapsedSeconds >= budget {
                    return finish(&pass, stoppedByBudget: true)
                }
                failure = try profile(entry, batch: batch, skippingBecause: failure, &pass)
            }
        }
        return finish(&pass, stoppedByBudget: false)
    }

    /// The entries with the batch sizes the dataset does not hold yet, counting the ones it does.
    static func pending(_ entries: [CatalogEntry], batches: [Int], done: Set<LayerWorkload>,
                        alreadyDone: inout Int) -> [(entry: CatalogEntry, batches: [Int])] {
        var todo: [(entry: CatalogEntry, batches: [Int])] = []
        for e in entries {
            var remaining: [Int] = []
            for b in batches {
                var w = e.workload
                w.batch = b
                if done.contains(w) { alreadyDone += 1 } else { remaining.append(b) }
            }
            if !remaining.isEmpty { todo.append((e, remaining)) }
        }
        return todo
    }

    /// Measures one pair (or records it as skipped) and writes its line; returns why the workload's larger
    /// batches are to be skipped, if they are.
    private func profile(_ e: CatalogEntry, batch: Int, skippingBecause reason: String?, _ pass: inout Pass) throws -> String? {
        var w = e.workload
        w.batch = batch
        if let reason {
            try pass.log.append(MeasuredProfileRecord(e, batch: batch, status: .skipped, error: reason, metadata: pass.metadata,
                                                      settings: pass.settings, timestamp: Self.timestamp()))
            pass.summary.skipped += 1
            progress.update(done: pass.summary.written, detail: "\(w.description): skipped")
            return reason
        }
        let m: LayerMeasurement
        do {
            m = try backend.measureLayer(w, settings: pass.settings)
        } catch MeasurementError.backendFailed(let message) {
            let summary = finish(&pass, stoppedByBudget: false)
            throw MeasurementError.backendFailed("\(message); \(summary.written) lines written to \(path) are kept, run again to resume")
        } catch MeasurementError.workloadFailed(let message) {
            try pass.log.append(MeasuredProfileRecord(e, batch: batch, status: .failed, error: message, metadata: pass.metadata,
                                                      settings: pass.settings, timestamp: Self.timestamp()))
            pass.summary.failed += 1
            progress.update(done: pass.summary.written, detail: "\(w.description): failed: \(message)")
            return "batch \(batch) failed: \(message)"
        }
        try pass.log.append(MeasuredProfileRecord(e, m, settings: pass.settings, timestamp: Self.timestamp()))
        pass.summary.measured += 1
        progress.update(done: pass.summary.written, detail: "\(w.description): " + String(format: "%.4f ms", m.latency.medianMs))
        return nil
    }

    /// Closes the run's account: what is left, how long it took, and the summary line.
    private func finish(_ pass: inout Pass, stoppedByBudget: Bool) -> Summary {
        pass.summary.remaining = pass.total - pass.summary.written
        pass.summary.seconds = pass.elapsedSeconds
        progress.finish()
        progress.note(pass.summary.text(stoppedByBudget: stoppedByBudget))
        return pass.summary
    }

    /// When a line is written, ISO 8601 in UTC.
    static func timestamp() -> String { ISO8601DateFormatter().string(from: Date()) }
}
