import Foundation
import NASSupport
import Testing

@Suite struct FolderLockTests {
    private func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nas-lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Whether another process can take the lock now (util-linux `flock -n`, as a second writer would).
    private func anotherProcessCanLock(_ folder: String) throws -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        p.arguments = ["-n", folder + "/.lock", "true"]
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    @Test func theLockExcludesOtherProcessesAndLeavesNoTrace() throws {
        let dir = try folder()
        do {
            let lock = try FolderLock(dir, purpose: "nas test")
            #expect(try !anotherProcessCanLock(dir))
            let text = try String(contentsOfFile: dir + "/.lock", encoding: .utf8)
            #expect(text == "pid \(getpid()), nas test\n")
            withExtendedLifetime(lock) {}
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/.lock"), "a finished writer leaves no lock file")
        #expect(try anotherProcessCanLock(dir))
    }

    @Test func aFolderAnotherProcessHoldsIsRefusedWithOneLine() throws {
        let dir = try folder()
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [dir + "/.lock", "sleep", "30"]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        let deadline = Date().addingTimeInterval(10)
        while try anotherProcessCanLock(dir), Date() < deadline { usleep(10_000) }
        #expect(throws: FileError.self) { _ = try FolderLock(dir, purpose: "nas test") }
        do {
            _ = try FolderLock(dir, purpose: "nas test")
        } catch let e as FileError {
            #expect(e.description == "\(dir): in use: another nas process is writing to it; wait for it to finish or stop it")
        }
    }

    @Test func locksOfOneProcessShareTheClaim() throws {
        let dir = try folder()
        var first: FolderLock? = try FolderLock(dir, purpose: "a")
        var second: FolderLock? = try FolderLock(dir + "/../" + (dir as NSString).lastPathComponent, purpose: "b")
        first = nil
        #expect(try !anotherProcessCanLock(dir), "the second still holds it")
        second = nil
        #expect(try anotherProcessCanLock(dir))
        _ = (first, second)
    }

    @Test func takingTheLockRemovesTemporaryFilesOfInterruptedWrites() throws {
        let dir = try folder()
        try FileManager.default.createDirectory(atPath: dir + "/architectures", withIntermediateDirectories: true)
        let stale = [dir + "/.front.json.4242.17.tmp", dir + "/architectures/.candidate-000001.json.99.123456789.tmp"]
        let kept = [dir + "/.hidden", dir + "/front.json", dir + "/.x.tmp", dir + "/.a.b.12.tmp"]
        for path in stale + kept { FileManager.default.createFile(atPath: path, contents: Data("x".utf8)) }
        let lock = try FolderLock(dir, purpose: "nas test", subfolders: ["architectures", "plots"])
        #expect(Set(lock.removedTemporaryFiles) == Set(stale))
        for path in stale { #expect(!FileManager.default.fileExists(atPath: path)) }
        for path in kept { #expect(FileManager.default.fileExists(atPath: path), "\(path)") }
    }
}
