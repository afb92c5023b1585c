import Foundation

/// An append-only JSON-lines file (profiles, candidate logs, verification records), open for appending.
///
/// Every line goes out in one `write(2)` of the whole line and its newline, so a killed writer leaves at most
/// one torn last line; opening cuts such a line off, so the next append starts on a line of its own. With a
/// `holder`, the file is locked exclusively (`flock`) for as long as the object lives, and a second writer
/// is refused with one line that names what holds it; the lock dies with the process.
public final class JSONLinesFile {
    /// When appended lines are forced to disk.
    public enum SyncPolicy: Sendable, Equatable {
        /// After every line: for records that took long to make (a benchmark of a whole network).
        case everyLine
        /// After `lines` lines or `seconds` seconds, whichever comes first, and on close.
        case batched(lines: Int, seconds: Double)
        /// Once, on close.
        case onClose
    }

    public let path: String
    /// Bytes of a torn last line that opening cut off (0 when the file ended on a newline).
    public let droppedPartialBytes: Int
    private let fd: Int32
    private let policy: SyncPolicy
    private var unsynced = 0
    private var lastSync = DispatchTime.now().uptimeNanoseconds

    public init(appendingTo path: String, sync policy: SyncPolicy, holder: String? = nil) throws {
        self.path = path
        self.policy = policy
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw FileError(path: directory, "cannot create directory (\((error as NSError).localizedDescription))")
            }
        }
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(path: path, "cannot open for appending (\(String(cString: strerror(errno))))") }
        if let holder, flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let why = errno == EWOULDBLOCK ? "\(holder) is writing to it" : String(cString: strerror(errno))
            close(fd)
            throw FileError(path: path, "cannot lock for appending (\(why))")
        }
        do {
            droppedPartialBytes = try Self.cutTornLastLine(fd, path: path)
        } catch {
            close(fd)
            throw error
        }
        self.fd = fd
    }

    deinit {
        if unsynced > 0 { fsync(fd) }
        close(fd)
    }

    /// Appends `line` (one JSON value, no newline in it) and its newline.
    public func append(line: String) throws {
        try FileDescriptorIO.writeAll(fd, Data((line + "\n").utf8), path: path)
        unsynced += 1
        switch policy {
        case .everyLine: sync()
        case .batched(let lines, let seconds):
            if unsynced >= lines || Double(DispatchTime.now().uptimeNanoseconds - lastSync) > seconds * 1e9 { sync() }
        case .onClose: break
        }
    }

    public func sync() {
        fsync(fd)
        unsynced = 0
        lastSync = DispatchTime.now().uptimeNanoseconds
    }

    /// Cuts the file back to just after its last newline, reading only as far back as that newline.
    private static func cutTornLastLine(_ fd: Int32, path: String) throws -> Int {
        let size = Int(lseek(fd, 0, SEEK_END))
        guard size > 0 else { return 0 }
        var chunk = [UInt8](repeating: 0, count: 4096)
        var end = size
        var keep = 0
        search: while end > 0 {
            let start = max(0, end - chunk.count)
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, end - start, off_t(start)) }
            guard n == end - start else { throw FileError(path: path, "cannot read (\(String(cString: strerror(errno))))") }
            for i in stride(from: n - 1, through: 0, by: -1) where chunk[i] == 0x0A {
                keep = start + i + 1
                break search
            }
            end = start
        }
        guard keep < size else { return 0 }
        guard ftruncate(fd, off_t(keep)) == 0 else {
            throw FileError(path: path, "cannot cut off the torn last line (\(String(cString: strerror(errno))))")
        }
        return size - keep
    }
}
