import Foundation
import NASArchitecture
import NASSupport

/// What an existing dataset already holds, read back so that a run resumes where the last one stopped.
struct ProfileResume {
    /// The (workload, batch) pairs in the file, whatever their status: a pair's identity is its workload.
    var done: Set<LayerWorkload> = []
    /// Per workload across batch sizes (`identity`), its smallest failed batch and why it failed.
    var failures: [LayerWorkload: (batch: Int, error: String)] = [:]

    /// A workload with its batch left out, the same for every batch size of it.
    static func identity(_ w: LayerWorkload) -> LayerWorkload {
        var v = w
        v.batch = 0
        return v
    }

    /// Reads the dataset at `path` (none yet is an empty one). A last line without its newline is left out, as
    /// opening the file for appending cuts it off; any other line that is not a profiling line stops the
    /// resume, because something other than `nas profile` has damaged the file.
    init(path: String) throws {
        guard let data = try JSONLines.contents(of: path) else { return }
        let decoder = JSONDecoder()
        for line in JSONLines.split(data) where line.isTerminated {
            let record: MeasuredProfileRecord
            do { record = try decoder.decode(MeasuredProfileRecord.self, from: line.bytes) } catch {
                throw MeasurementError.invalidSettings(
                    "\(path):\(line.number): \(DecodingErrorText.describe(error)); the dataset is damaged, not resuming")
            }
            add(record)
        }
    }

    private mutating func add(_ record: MeasuredProfileRecord) {
        let w = record.workload
        done.insert(w)
        guard record.status == .failed else { return }
        let id = Self.identity(w)
        if failures[id].map({ w.batch < $0.batch }) ?? true {
            failures[id] = (w.batch, record.error ?? "unknown error")
        }
    }
}
