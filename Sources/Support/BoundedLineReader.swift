import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads newline-terminated lines from a file descriptor without ever holding more than `maxBytes` of one line.
///
/// `readLine()` grows its buffer until the newline comes, so a peer that sends gigabytes without one takes all
/// the memory of the process that serves it. This reader keeps at most `maxBytes` of a line and skips the rest
/// up to its newline, reporting the line as too long, so the server can answer it and go on with the next.
public struct BoundedLineReader {
    public enum Line: Equatable, Sendable {
        case text(String)
        /// A line of `bytes` bytes (newline excluded) over the limit; its content was discarded.
        case tooLong(bytes: Int)
    }

    public let maxBytes: Int
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false

    public init(fd: Int32, maxBytes: Int) {
        precondition(maxBytes > 0, "a line limit must be positive")
        self.fd = fd
        self.maxBytes = maxBytes
    }

    /// The next line, or nil at end of input. A last line without a newline is returned like any other.
    /// Invalid UTF-8 is repaired with U+FFFD, so the parser that follows names the problem.
    public mutating func next() -> Line? {
        var line: [UInt8] = []
        var length = 0
        while true {
            if start == buffer.count {
                guard refill() else {
                    if length == 0 { return nil }
                    return finish(line, length: length)
                }
            }
            let end = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) ?? buffer.count
            let chunk = end - start
            if length + chunk <= maxBytes { line.append(contentsOf: buffer[start..<end]) }
            else if length <= maxBytes { line.removeAll(keepingCapacity: false) }
            length += chunk
            let sawNewline = end < buffer.count
            start = sawNewline ? end + 1 : end
            if sawNewline { return finish(line, length: length) }
        }
    }

    private func finish(_ line: [UInt8], length: Int) -> Line {
        if length > maxBytes { return .tooLong(bytes: length) }
        var bytes = line
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return .text(String(decoding: bytes, as: UTF8.self))
    }

    /// Reads the next chunk into `buffer`, which is reused from read to read.
    private mutating func refill() -> Bool {
        guard !atEnd else { return false }
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: repeatElement(0, count: 64 * 1024))
        start = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { buffer.removeAll(keepingCapacity: true); atEnd = true; return false }
            buffer.removeLast(buffer.count - n)
            return true
        }
    }
}
