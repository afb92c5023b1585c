import Foundation
import NASArchitecture
import NASSupport

/// candidates.jsonl: one candidate per line, appended as they are evaluated and never rewritten. Every line is
/// sealed into a `LineChain`, so a line changed after nas wrote it is refused instead of resumed or ranked.
public final class CandidateLog: @unchecked Sendable {
    public let path: String
    /// Where the chain stands after the last line, once read or written (guarded by `lock`).
    private var chainState: LineChainState?
    private let lock = NSLock()

    public init(path: String) { self.path = path }

    /// The complete lines. A last line without its newline is what a kill mid-write leaves: with `repair`
    /// it is cut off the file, otherwise it is ignored. A malformed complete line is an error naming it.
    public func read(objectives: Int, budgets: Int, repair: Bool) throws -> [Candidate] {
        guard let data = FileManager.default.contents(atPath: path) else { throw SearchError("\(path): cannot read file") }
        let bytes = [UInt8](data)
        let end = (bytes.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
        if end < bytes.count, repair {
            guard truncate(path, off_t(end)) == 0 else {
                throw SearchError("\(path): cannot cut the incomplete last line: \(String(cString: strerror(errno)))")
            }
        }
        var out: [Candidate] = []
        var start = 0
        var line = 0
        var chain = LineChainReader()
        while start < end {
            let stop = bytes[start..<end].firstIndex(of: 0x0A)!
            line += 1
            do {
                let body = try chain.next(bytes[start..<stop])
                let value = try JSONValue.parse(Data(body))
                let c = try Candidate(jsonValue: value, objectives: objectives, budgets: budgets)
                guard c.index == out.count else { throw SearchError("index \(c.index) where \(out.count) is expected") }
                out.append(c)
            } catch {
                throw SearchError("\(path) line \(line): \(error)")
            }
            start = stop + 1
        }
        lock.withLock { chainState = chain.state }
        return out
    }

    /// Appends candidates with one write, so a kill leaves at most one incomplete line.
    public func append(_ candidates: [Candidate]) throws {
        try seal(candidates.map { c in
            var out = JSONBytes(capacity: 1024)
            c.writeJSONLine(to: &out)
            return Array(out.bytes)
        })
    }

    /// `append`, with the lines made on `workers`.
    func append(_ candidates: [Candidate], workers: BatchWorkers) throws {
        try seal(try workers.map(candidates) { c, _ -> [UInt8] in
            var out = JSONBytes(capacity: 1024)
            c.writeJSONLine(to: &out)
            return Array(out.bytes)
        })
    }

    /// Chains the lines after the file's last one and writes them.
    private func seal(_ bodies: [[UInt8]]) throws {
        try lock.withLock {
            var state = try chainState ?? LineChainReader.state(ofFile: path)
            var all: [UInt8] = []
            all.reserveCapacity(bodies.reduce(0) { $0 + $1.count + 30 })
            for body in bodies { state.append(body, to: &all) }
            try all.withUnsafeBufferPointer { try write($0) }
            chainState = state
        }
    }

    /// One open, one write and no sync per batch. Not `JSONLinesFile`: its torn-line check on every open cost
    /// 8–18 % of the search loop (bench-search); a torn line is cut by `read(repair:)` when a run resumes.
    private func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SearchError("\(path): cannot open for appending: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try FileDescriptorIO.writeAll(fd, UnsafeRawBufferPointer(bytes), path: path)
    }
}
