import Foundation
import Testing

/// Kill -9 at random points, then resume (Tests/Hostile/kill9.sh, docs/robustness.md): two rounds each of
/// search, profile and verify here, so that `swift test` catches a regression; the script's defaults run more,
/// calibrate included.
@Suite struct Kill9Tests {
    @Test func killedRunsResumeWithNothingLostOrDuplicated() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [NASBinary.repoRoot.appendingPathComponent("Tests/Hostile/kill9.sh").path,
                       "--rounds", "2", "--only", "search,profile,verify", "--seed", "11", NASBinary.url.path]
        p.currentDirectoryURL = NASBinary.repoRoot
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let failures = text.split(separator: "\n").filter { !$0.hasPrefix("PASS ") }
        #expect(p.terminationStatus == 0, "\(failures.joined(separator: "\n"))")
        #expect(text.contains("kill9: 6 passed, 0 failed"), "\(text)")
    }
}
