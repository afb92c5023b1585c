import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one writer of a folder (a search run, a calibration): an exclusive `flock` on `FOLDER/.lock`, held for as
/// long as the object lives. A second writer is refused at once with one line naming the holder's pid and command;
/// the lock dies with its process, so a killed writer never leaves the folder locked.
///
/// Within one process the lock is shared: every `FolderLock` of the same folder stands for the same claim, and
/// the lock goes when the last of them does.
///
/// Taking the lock also removes the temporary files an interrupted `AtomicFile.write` left in the folder (and in
/// `subfolders`): with the lock held, no other writer can be in the middle of one.
public final class FolderLock {
    public static let fileName = ".lock"

    public let folder: String
    /// Temporary files of interrupted atomic writes that taking the lock removed.
    public private(set) var removedTemporaryFiles: [String] = []
    private let path: String
    private let key: String
    private let fd: Int32

    /// `purpose` is what the holder is doing, shown to a refused second writer ("nas search").
    public init(_ folder: String, purpose: String, subfolders: [String] = []) throws {
        let path = folder + "/" + Self.fileName
        let key = Self.canonical(folder)
        self.folder = folder
        self.path = path
        self.key = key
        if let shared = Self.held.withLock({ held -> Int32? in
            guard let entry = held[key] else { return nil }
            held[key] = (entry.fd, entry.count + 1)
            return entry.fd
        }) {
            fd = shared
            return
        }
        let fd = try Self.acquire(path, folder: folder)
        self.fd = fd
        let text = "pid \(getpid()), \(purpose)\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        Self.held.withLock { $0[key] = (fd, 1) }
        removedTemporaryFiles = ([folder] + subfolders.map { folder + "/" + $0 }).flatMap(Self.removeTemporaryFiles)
    }

    /// An open descriptor of the lock file at `path`, locked exclusively.
    private static func acquire(_ path: String, folder: String) throws -> Int32 {
        for _ in 0..<100 {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw FileError(path: path, "cannot open the lock file (\(String(cString: strerror(errno))))") }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let why = errno
                // The holder writes its pid just after it locks: give it a moment before calling it anonymous.
                var holder = Self.holder(fd)
                for _ in 0..<50 where holder == nil && why == EWOULDBLOCK {
                    usleep(2_000)
                    holder = Self.holder(fd)
                }
                close(fd)
                if why == EWOULDBLOCK {
                    throw FileError(path: folder, "in use: \(holder ?? "another nas process") is writing to it; wait for it to finish or stop it")
                }
                throw FileError(path: path, "cannot lock (\(String(cString: strerror(why))))")
            }
            // The holder before us removes the file when it lets go: a lock on that removed file guards nothing.
            if isStillAt(path, fd) { return fd }
            close(fd)
        }
        throw FileError(path: path, "cannot lock: the lock file keeps being replaced")
    }

    /// Removes the lock file, then lets go: a folder keeps no trace of a writer that finished (a killed one
    /// leaves the file, unlocked).
    deinit {
        let (key, path, fd) = (key, path, fd)
        Self.held.withLock { held in
            guard let entry = held[key] else { return }
            if entry.count > 1 { held[key] = (entry.fd, entry.count - 1); return }
            held[key] = nil
            unlink(path)
            close(fd)
        }
    }

    /// The folders this process holds: descriptor and number of `FolderLock`s standing for the claim.
    private static let held = HeldFolders()

    private final class HeldFolders: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String: (fd: Int32, count: Int)] = [:]

        func withLock<T>(_ body: (inout [String: (fd: Int32, count: Int)]) throws -> T) rethrows -> T {
            lock.lock()
            defer { lock.unlock() }
            return try body(&entries)
        }
    }

    private static func canonical(_ folder: String) -> String {
        guard let resolved = realpath(folder, nil) else { return folder }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func isStillAt(_ path: String, _ fd: Int32) -> Bool {
        var a = stat(), b = stat()
        return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev
    }

    /// "pid 1234, nas search", as the holder wrote it.
    private static func holder(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Removes `.NAME.PID.RANDOM.tmp` files (AtomicFile's temporaries) directly in `folder`; returns their paths.
    static func removeTemporaryFiles(in folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter(AtomicFile.isTemporaryName).compactMap { name in
            let path = folder + "/" + name
            return (try? FileManager.default.removeItem(atPath: path)).map { path }
        }
    }
}
