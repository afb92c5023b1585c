import Foundation
import Testing

/// Kill -9 at random points, then resume (Tests/Hostile/kill9.sh, docs/robustness.md): two rounds each of
/// search, profile and verify here, so that `swift test` catches a regression; the script's defaults run more,
/// calibrate included.
@Suite struct Kill9Tests {
    @Test func killedRunsResumeWithNothingLostOrDuplicated() throws {
        let (status, text) = try NASBinary.runScript("Tests/Hostile/kill9.sh", ["--rounds", "2", "--only", "search,profile,verify", "--seed", "11"])
        let failures = text.split(separator: "\n").filter { !$0.hasPrefix("PASS ") }
        #expect(status == 0, "\(failures.joined(separator: "\n"))")
        #expect(text.contains("kill9: 6 passed, 0 failed"), "\(text)")
    }
}
