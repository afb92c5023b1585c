import Foundation
import Testing
import NASSupport

@Suite struct JSONLinesFileTests {
    func scratchFile() throws -> String {
        let dir = NSTemporaryDirectory() + "nas-jsonl-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/log.jsonl"
    }

    @Test func openingCutsATornLastLineAndAppendsWholeLines() throws {
        let path = try scratchFile()
        try Data("{\"a\":1}\n{\"b\":2}\n{\"c\":".utf8).write(to: URL(fileURLWithPath: path))
        let log = try JSONLinesFile(appendingTo: path, sync: .everyLine)
        #expect(log.droppedPartialBytes == 5)
        try log.append(line: "{\"d\":4}")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"a\":1}\n{\"b\":2}\n{\"d\":4}\n")
    }

    @Test func aFileWithNoNewlineAtAllIsCutToNothing() throws {
        let path = try scratchFile()
        // Longer than one read-back chunk, so the backwards scan crosses chunks.
        try Data(String(repeating: "x", count: 10_000).utf8).write(to: URL(fileURLWithPath: path))
        let log = try JSONLinesFile(appendingTo: path, sync: .onClose)
        #expect(log.droppedPartialBytes == 10_000)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
    }

    @Test func aSecondHolderIsRefusedWithTheHoldersName() throws {
        let path = try scratchFile()
        let first = try JSONLinesFile(appendingTo: path, sync: .onClose, holder: "another nas verify")
        #expect(throws: FileError(path: path, "cannot lock for appending (another nas verify is writing to it)")) {
            _ = try JSONLinesFile(appendingTo: path, sync: .onClose, holder: "another nas verify")
        }
        try first.append(line: "{}")
    }
}
