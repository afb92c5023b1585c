import Foundation
import Testing
import NASSupport

@Suite struct AtomicFileTests {
    func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "nas-support-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func createsTheDirectoryAndReplacesTheFileLeavingNoTemporary() throws {
        let dir = try scratch()
        let path = dir + "/a/b/out.txt"
        try AtomicFile.write("first", to: path)
        try AtomicFile.write("second", to: path, durable: false)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/a/b") == ["out.txt"])
    }

    @Test func aFailedWriteNamesThePathAndKeepsTheOldFile() throws {
        let dir = try scratch()
        let path = dir + "/kept.txt"
        try AtomicFile.write("old", to: path)
        // A directory in the way of the rename: the write must fail, say where, and leave nothing behind.
        let blocked = dir + "/blocked"
        try FileManager.default.createDirectory(atPath: blocked + "/inside", withIntermediateDirectories: true)
        do {
            try AtomicFile.write("new", to: blocked)
            Issue.record("wrote over a non-empty directory")
        } catch let error as FileError {
            #expect(error.path == blocked)
            #expect(error.description.hasPrefix(blocked + ": "))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == ["kept.txt", "blocked"])
    }
}
