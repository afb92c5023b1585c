import Foundation
import NASArchitecture

/// Locates files of the repository from the test sources, so tests run from any working directory.
enum Repo {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static func zoo(_ name: String) throws -> Architecture {
        try Architecture.load(path: root.appendingPathComponent("SearchSpaces/zoo/\(name).json").path)
    }
}
