import Foundation
import CZlib

/// Measurement files read whole, plain or gzip-compressed: the one place that tells the two apart.
public enum DataFile {
    /// The bytes of the file at `path`, decompressed when it is gzip.
    public static func contents(path: String) throws -> Data {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PredictorError(file: path, "cannot read file (\((error as NSError).localizedDescription))")
        }
        return isGzip(data) ? try gunzip(path: path) : data
    }

    /// Told by the gzip magic bytes (1f 8b), never by the name: a renamed file still reads, and a JSON-lines
    /// file cannot start with them.
    public static func isGzip(_ data: Data) -> Bool { data.starts(with: [0x1F, 0x8B]) }

    /// The decompressed contents of a gzip file (zlib's gzread).
    static func gunzip(path: String) throws -> Data {
        guard let file = gzopen(path, "rb") else { throw PredictorError(file: path, "cannot open gzip file") }
        defer { gzclose(file) }
        var out = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 { throw PredictorError(file: path, "corrupt gzip data") }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<Int(n)])
        }
        return out
    }
}
