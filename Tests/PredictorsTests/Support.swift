import Foundation
import Testing
@testable import NASPredictors
import NASArchitecture

/// Shared helpers: the repository root, the optional shared data folder, temporary directories.
enum Support {
    static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `../shared/data/sponner` next to the repository, when it exists (CI has it; a fresh clone may not).
    static let sharedData: URL? = {
        let url = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/sponner")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("a100.jsonl").path) ? url : nil
    }()

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nas-pred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func write(_ text: String, name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func read(_ text: String, name: String = "data.jsonl", device: DeviceSpec? = nil) throws -> LoadedDataset {
        try DatasetReader.read(data: Data(text.utf8), path: name, device: device)
    }
}
