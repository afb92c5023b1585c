import Foundation

/// Whole-file writes that readers never see half done: write a temporary file beside the target, then rename.
public enum AtomicFile {
    public static func write(_ text: String, to path: String, durable: Bool = true) throws {
        try write(Data(text.utf8), to: path, durable: durable)
    }

    /// With `durable`, the data reach the disk before the rename (Foundation's atomic write, which syncs);
    /// without, the file is still never seen half written, even by a killed process's successor, but a power
    /// loss may lose it: for files that can be made again from the run's log, where a sync per file costs
    /// milliseconds each.
    public static func write(_ data: Data, to path: String, durable: Bool = true) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = (dir.isEmpty ? "." : dir) + "/.\((path as NSString).lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt64.random(in: 0...UInt64.max)).tmp"
        if durable {
            guard FileManager.default.createFile(atPath: tmp, contents: data) else {
                throw SearchError("cannot write \(tmp)")
            }
        } else {
            try writePlain(data, to: tmp)
        }
        guard rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: tmp)
            throw SearchError("cannot rename \(tmp) to \(path): \(why)")
        }
    }

    private static func writePlain(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw SearchError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                guard n > 0 else {
                    let why = String(cString: strerror(errno))
                    try? FileManager.default.removeItem(atPath: path)
                    throw SearchError("cannot write \(path): \(why)")
                }
                offset += n
            }
        }
    }
}
