import Foundation

/// Whole-file writes that readers never see half done: write a temporary file beside the target, then rename.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    public static func write(_ data: Data, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = (dir.isEmpty ? "." : dir) + "/.\((path as NSString).lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt64.random(in: 0...UInt64.max)).tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: data) else {
            throw SearchError("cannot write \(tmp)")
        }
        guard rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: tmp)
            throw SearchError("cannot rename \(tmp) to \(path): \(why)")
        }
    }
}
