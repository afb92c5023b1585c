import Foundation
import NASArchitecture
import NASSupport

/// Reads measurement files: the public Sponner et al. data (`{"path", "sample"}` lines) and the project's
/// own profiling output (lines with a `"workload"` object), telling them apart line by line.
public enum DatasetReader {
    /// What a malformed line does to the read.
    public enum BadLines: Sendable {
        /// Throw `file:line: what is wrong`: training data must be whole, or a model is fitted to less than the
        /// user thinks.
        case fail
        /// Put the line in `rejected` with the reason and go on: for scoring predictions on any file.
        case skip
    }

    /// Reads a JSON-lines file, plain or gzip. Malformed lines throw `file:line: what is wrong` (or are skipped,
    /// with `badLines: .skip`); samples that are well-formed but unphysical (faster than the device's peak) are
    /// returned in `rejected`.
    ///
    /// - Parameter device: the device the file is expected to hold. Sponner lines name their device in
    ///   `path`, and a line from another device is malformed. Own-format lines are taken to be from it.
    public static func read(path: String, device: DeviceSpec? = nil, badLines: BadLines = .fail) throws -> LoadedDataset {
        try read(data: try DataFile.contents(path: path), path: path, device: device, badLines: badLines)
    }

    public static func read(data: Data, path: String, device: DeviceSpec? = nil, badLines: BadLines = .fail) throws -> LoadedDataset {
        var samples: [MeasuredSample] = []
        var rejected: [RejectedSample] = []
        var formats: Set<String> = []
        /// (1-min load average, logical CPUs) of profile lines that record them.
        var loads: [(average: Double, cpus: Int)] = []
        var machines: Set<MachineFingerprint> = []
        var lineCount = 0
        for line in JSONLines.split(data) {
            // Invalid UTF-8 is refused, not repaired into U+FFFD: a damaged byte would otherwise become a new label.
            guard let decoded = String(validating: line.bytes, as: UTF8.self) else {
                if !line.isTerminated {
                    rejected.append(RejectedSample(source: "\(path):\(line.number)", reason: "incomplete last line (no newline, not valid UTF-8) ignored"))
                    break
                }
                if badLines == .skip { rejected.append(RejectedSample(source: "\(path):\(line.number)", reason: "invalid UTF-8")); continue }
                throw PredictorError(file: path, line: line.number, "invalid UTF-8")
            }
            let text = decoded.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            lineCount += 1
            let source = "\(path):\(line.number)"
            let json: JSONValue
            do {
                json = try JSONValue.parse(text)
            } catch let e as JSONValueError {
                // A last line without its newline that does not parse was cut off mid-write (docs/profiling-format.md):
                // ignore it, as the profiler itself does, but say so.
                if !line.isTerminated {
                    rejected.append(RejectedSample(source: source, reason: "incomplete last line (no newline, not valid JSON) ignored"))
                    break
                }
                let reason = e.description.replacingOccurrences(of: " at line 1,", with: " at")
                if badLines == .skip { rejected.append(RejectedSample(source: source, reason: reason)); continue }
                throw PredictorError(file: path, line: line.number, reason)
            }
            let parsed: (sample: MeasuredSample, rejection: String?)
            do {
                if json["sample"] != nil {
                    parsed = try SponnerLine.parse(json, source: source, expected: device)
                    formats.insert("sponner")
                } else if json["workload"]?.objectValue != nil {
                    let record = try ProfileLine.decode(text)
                    parsed = try ProfileLine.sample(record, source: source, expected: device)
                    formats.insert("nas-profile")
                    if let m = record.metadata.flatMap(MachineFingerprint.init(metadata:)) { machines.insert(m) }
                    if let load = record.loadAverage1m {
                        loads.append((load, record.metadata?["logical_cpus"]?.intValue ?? ProcessInfo.processInfo.activeProcessorCount))
                    }
                } else {
                    throw LineError("neither a Sponner line ({\"path\", \"sample\"}) nor a profiling line (with a \"workload\" object)")
                }
            } catch let e as LineError {
                if badLines == .skip { rejected.append(RejectedSample(source: source, reason: e.message)); continue }
                throw PredictorError(file: path, line: line.number, e.message)
            }
            if let reason = parsed.rejection {
                rejected.append(RejectedSample(source: source, reason: reason))
            } else {
                samples.append(parsed.sample)
            }
        }
        let format = formats.count == 1 ? formats.first! : (formats.isEmpty ? "empty" : "mixed")
        return LoadedDataset(path: path, sha256: SHA256.hex([UInt8](data)), lineCount: lineCount, samples: samples,
                             rejected: rejected, format: format, warnings: busyMachineWarning(loads).map { [$0] } ?? [],
                             machines: machines.sorted())
    }

    /// A profile taken while other processes competed for the CPUs has inflated latencies: say so when the
    /// median load average exceeds half the logical CPUs.
    static func busyMachineWarning(_ loads: [(average: Double, cpus: Int)]) -> String? {
        guard !loads.isEmpty else { return nil }
        let sorted = loads.map(\.average).sorted()
        let median = sorted[sorted.count / 2]
        let cpus = loads.map(\.cpus).max() ?? 1
        guard median > 0.5 * Double(cpus) else { return nil }
        return String(format: "profiled on a busy machine: median 1-min load average %.2f (range %.2f–%.2f) on %d logical CPUs, so latencies include CPU contention",
                      median, sorted.first!, sorted.last!, cpus)
    }
}
