import Foundation
import Testing

/// The hostile-input corpus (Tests/Hostile, docs/hostile-input.md) through the built `nas`: every case, so that
/// `swift test` (and CI) catches a regression; `Tests/Hostile/run.sh --tier fast` is the quick local check.
@Suite struct HostileCorpusTests {
    @Test func everyCasePasses() throws {
        let (status, text) = try NASBinary.runScript("Tests/Hostile/run.sh", [])
        let failures = text.split(separator: "\n").filter { !$0.hasPrefix("PASS ") }
        #expect(status == 0, "\(failures.joined(separator: "\n"))")
        #expect(text.contains(" passed, 0 failed"), "\(failures.joined(separator: "\n"))")
    }
}
