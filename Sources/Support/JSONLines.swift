import Foundation

/// The lines of a JSON-lines file as read back: numbered from 1 as an editor numbers them, blank lines left out,
/// and the last one marked when it has no newline, which is how a write cut short by a killed process looks.
public enum JSONLines {
    public struct Line: Sendable {
        /// 1-based, counting blank lines too, so that `file:line` points where an editor does.
        public var number: Int
        public var bytes: Data
        /// False only for a last line without its newline.
        public var isTerminated: Bool
    }

    public static func split(_ data: Data) -> [Line] {
        var lines: [Line] = []
        var number = 0
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            number += 1
            if end > start { lines.append(Line(number: number, bytes: data[start..<end], isTerminated: end < data.endIndex)) }
            start = end < data.endIndex ? end + 1 : end
        }
        return lines
    }

    /// The encoder of every machine-written JSON line: keys sorted, so lines are stable under diff and the same
    /// record always gives the same bytes; slashes unescaped, as in paths and error messages they are common.
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    /// `value` as one line of JSON, without its newline.
    public static func line<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    /// Every complete line of the file at `path` as a `T`; a missing file is empty, and a last line without its
    /// newline (a torn write, cut off by the next append) is left out. A line that is not a `T` throws
    /// `path:line: what is wrong`.
    public static func read<T: Decodable>(_ type: T.Type, from path: String) throws -> [T] {
        guard let data = try contents(of: path) else { return [] }
        let decoder = JSONDecoder()
        return try split(data).filter(\.isTerminated).map { line in
            do { return try decoder.decode(T.self, from: line.bytes) } catch {
                throw FileError(path: "\(path):\(line.number)", DecodingErrorText.describe(error))
            }
        }
    }

    /// `read`, for a file whose lines are sealed in a `LineChain`: a line that breaks the chain throws
    /// `path:line: …` like a line that is not a `T`.
    public static func readChained<T: Decodable>(_ type: T.Type, from path: String) throws -> [T] {
        guard let data = try contents(of: path) else { return [] }
        let decoder = JSONDecoder()
        var chain = LineChainReader()
        return try split(data).filter(\.isTerminated).map { line in
            do {
                let body = try chain.next([UInt8](line.bytes)[...])
                return try decoder.decode(T.self, from: Data(body))
            } catch let mismatch as LineChainReader.Mismatch {
                throw FileError(path: "\(path):\(line.number)", mismatch.description)
            } catch {
                throw FileError(path: "\(path):\(line.number)", DecodingErrorText.describe(error))
            }
        }
    }

    /// The bytes of the file at `path`, or nil when there is no file yet (an append-only file not yet begun).
    public static func contents(of path: String) throws -> Data? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw FileError(path: path, "cannot read (\((error as NSError).localizedDescription))")
        }
    }
}

extension JSONLinesFile {
    /// Appends `record` as one line of `JSONLines.encoder()` JSON.
    public func append<T: Encodable>(_ record: T) throws {
        try append(line: try JSONLines.line(record))
    }

    /// Appends `record` sealed after the file's last line (`LineChain`); a file of unsealed lines stays unsealed.
    public func appendChained<T: Encodable>(_ record: T) throws {
        var state = try LineChainReader.state(ofFile: path)
        var line: [UInt8] = []
        state.append(Array(try JSONLines.line(record).utf8), to: &line)
        try append(line: String(decoding: line.dropLast(), as: UTF8.self))
    }
}
