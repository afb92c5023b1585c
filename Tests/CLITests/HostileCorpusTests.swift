import Foundation
import Testing

/// The hostile-input corpus (Tests/Hostile, docs/hostile-input.md) through the built `nas`: its fast tier here, so
/// that `swift test` catches a regression; `Tests/Hostile/run.sh` runs every case.
@Suite struct HostileCorpusTests {
    @Test func theFastTierPasses() throws {
        let (status, text) = try NASBinary.runScript("Tests/Hostile/run.sh", ["--tier", "fast"])
        let failures = text.split(separator: "\n").filter { !$0.hasPrefix("PASS ") }
        #expect(status == 0, "\(failures.joined(separator: "\n"))")
        #expect(text.contains(" passed, 0 failed"), "\(failures.joined(separator: "\n"))")
    }
}
