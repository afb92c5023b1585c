import Foundation
import Testing

/// A failing `nas` says why in exactly one line on stderr (NASCommand.runReportingOneLineErrors).
@Suite struct OneLineErrorTests {
    /// On the two ways it used to break: ArgumentParser's usage lines after a bad
    /// option, and a line break inside the input that the error quotes.
    @Test func errorsAreOneLine() throws {
        let usage = try NASBinary.run(["search", "--device", "pi4", "--latency", "20"])
        #expect(usage.status == 64)
        #expect(usage.stderr == "Error: The value '20' is invalid for '--latency <latency>': '20' has no unit (use us, ms, s, e.g. 20ms)\n")
        let file = try NASBinary.temporaryFile(#"{"input": [8, 8, 3], "layers": [{"type": "conv2d", "name": "a\nb", "filters": 4, "kernel": 9}]}"#)
        let quoted = try NASBinary.run(["estimate", file.path])
        #expect(quoted.status == 1)
        #expect(quoted.stderr == "Error: \(file.path): layer 0 'a\\nb': kernel height 9 is larger than the input height 8 (padding valid)\n")
        let help = try NASBinary.run(["estimate", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: nas estimate"))
    }
}
