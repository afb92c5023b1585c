import Foundation

/// Whole-file writes that no reader ever sees half done: the bytes go to a temporary file beside the
/// target (`.NAME.PID.RANDOM.tmp`), which is then renamed over it. The target's directory is created first.
///
/// With `durable` (the default) the file is synced before the rename and the directory after it, so the
/// new content survives a power loss once `write` returns. Without it the file is still never seen half
/// written, even by a killed process's successor, but a power loss may lose it: for files that can be made
/// again from a run's log, where a sync per file costs milliseconds each.
public enum AtomicFile {
    public static func write(_ text: String, to path: String, durable: Bool = true) throws {
        try write(Data(text.utf8), to: path, durable: durable)
    }

    public static func write(_ data: Data, to path: String, durable: Bool = true) throws {
        let name = (path as NSString).lastPathComponent
        let parent = (path as NSString).deletingLastPathComponent
        let directory = parent.isEmpty ? "." : parent
        let temporary = "\(directory)/.\(name).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        do {
            do {
                try writeNew(data, to: temporary, sync: durable)
            } catch let error as FileError where error.missingDirectory {
                // The directory is made only when it is missing: a run writes thousands of files into one.
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } catch {
                    throw FileError(path: directory, "cannot create directory (\((error as NSError).localizedDescription))")
                }
                try writeNew(data, to: temporary, sync: durable)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw FileError(path: path, "cannot rename the temporary file into place (\(why))")
        }
        if durable { syncDirectory(directory) }
    }

    /// Whether `name` is one of the temporary files `write` makes: `.NAME.PID.RANDOM.tmp`.
    public static func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        let parts = name.dropFirst().dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return false }
        return parts.suffix(2).allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    /// Writes `data` to a file that must not exist yet.
    private static func writeNew(_ data: Data, to path: String, sync: Bool) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            var error = FileError(path: path, "cannot create (\(String(cString: strerror(errno))))")
            error.missingDirectory = errno == ENOENT
            throw error
        }
        defer { close(fd) }
        try FileDescriptorIO.writeAll(fd, data, path: path)
        if sync, fsync(fd) != 0 {
            throw FileError(path: path, "cannot sync to disk (\(String(cString: strerror(errno))))")
        }
    }

    /// Makes a rename in `directory` durable. Best effort: some file systems refuse to sync a directory.
    private static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}

/// `write(2)` until every byte is written, retrying interrupted and short writes.
public enum FileDescriptorIO {
    public static func writeAll(_ fd: Int32, _ data: Data, path: String) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            try writeAll(fd, buffer, path: path)
        }
    }

    public static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let n = Foundation.write(fd, base + offset, buffer.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw FileError(path: path, "write failed (\(String(cString: strerror(errno))))") }
            offset += n
        }
    }
}
