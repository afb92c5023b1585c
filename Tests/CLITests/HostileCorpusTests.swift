import Foundation
import Testing

/// The hostile-input corpus (Tests/Hostile, docs/hostile-input.md) through the built `nas`: its fast tier here, so
/// that `swift test` catches a regression; `Tests/Hostile/run.sh` runs every case.
@Suite struct HostileCorpusTests {
    @Test func theFastTierPasses() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [NASBinary.repoRoot.appendingPathComponent("Tests/Hostile/run.sh").path, "--tier", "fast", NASBinary.url.path]
        p.currentDirectoryURL = NASBinary.repoRoot
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let failures = text.split(separator: "\n").filter { !$0.hasPrefix("PASS ") }
        #expect(p.terminationStatus == 0, "\(failures.joined(separator: "\n"))")
        #expect(text.contains(" passed, 0 failed"), "\(failures.joined(separator: "\n"))")
    }
}
