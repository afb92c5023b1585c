import Foundation
import NASSupport
import Testing

@Suite struct LineChainTests {
    /// Three sealed lines as nas writes them.
    private func sealed(_ bodies: [String]) -> [[UInt8]] {
        var previous = LineChain.start
        return bodies.map { body in
            let (line, check) = LineChain.seal(Array(body.utf8), after: previous)
            previous = check
            return line
        }
    }

    private func read(_ lines: [[UInt8]]) throws -> [String] {
        var reader = LineChainReader()
        return try lines.map { String(decoding: try reader.next($0[...]), as: UTF8.self) }
    }

    @Test func sealedLinesReadBackAsWritten() throws {
        let bodies = [#"{"index":0,"quality":1}"#, #"{"index":1,"quality":2}"#, #"{"index":2,"quality":3}"#]
        let lines = sealed(bodies)
        #expect(String(decoding: lines[0], as: UTF8.self).hasPrefix(#"{"index":0,"quality":1,"check":""#))
        #expect(try read(lines) == bodies)
        let text = String(decoding: lines[1], as: UTF8.self)
        #expect(text.count == #"{"index":1,"quality":2}"#.count + #","check":"0123456789abcdef""#.count)
    }

    @Test func anEditedRemovedOrMovedLineBreaksTheChain() throws {
        let lines = sealed([#"{"index":0,"quality":1}"#, #"{"index":1,"quality":2}"#, #"{"index":2,"quality":3}"#])
        var edited = lines
        edited[1] = Array(String(decoding: lines[1], as: UTF8.self).replacingOccurrences(of: #""quality":2"#, with: #""quality":1e8"#).utf8)
        #expect(throws: LineChainReader.Mismatch.self) { try read(edited) }
        #expect(throws: LineChainReader.Mismatch.self) { try read([lines[0], lines[2]]) }
        #expect(throws: LineChainReader.Mismatch.self) { try read([lines[1], lines[0], lines[2]]) }
        #expect(throws: LineChainReader.Mismatch.self) { try read([lines[0], Array(#"{"index":1,"quality":2}"#.utf8)]) }
    }

    @Test func theStateOfAFileComesFromItsLastCompleteLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nas-chain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("log.jsonl").path
        #expect(try LineChainReader.state(ofFile: path) == .sealed(after: LineChain.start))
        // A last line longer than the first window read from the end, then a torn line after it.
        let long = #"{"pad":""# + String(repeating: "x", count: 200_000) + #""}"#
        var state = LineChainState.sealed(after: LineChain.start)
        var bytes: [UInt8] = []
        for body in [#"{"index":0}"#, long] { state.append(Array(body.utf8), to: &bytes) }
        try Data(bytes + Array(#"{"ind"#.utf8)).write(to: URL(fileURLWithPath: path))
        #expect(try LineChainReader.state(ofFile: path) == state)
        try Data(#"{"index":0}"#.utf8 + [0x0A]).write(to: URL(fileURLWithPath: path))
        #expect(try LineChainReader.state(ofFile: path) == .unsealed)
    }

    @Test func filesWrittenBeforeChecksExistedStayReadable() throws {
        let legacy = [#"{"index":0}"#, #"{"index":1}"#].map { Array($0.utf8) }
        #expect(try read(legacy) == [#"{"index":0}"#, #"{"index":1}"#])
        #expect(throws: LineChainReader.Mismatch.self) { try read([legacy[0]] + sealed([#"{"index":1}"#])) }
    }
}

@Suite struct DecimalNumberTests {
    @Test func decimalNumbersOnly() {
        for (text, value) in [("12", 12.0), ("-1.5e3", -1500), (".5", 0.5), ("+3", 3), ("2E-2", 0.02), ("7.", 7)] {
            #expect(DecimalNumber.parse(text) == value, "\(text)")
        }
        for text in ["0x10", "inf", "nan", "Infinity", "1e400", "", "-", "1e", "1.2.3", " 1", "1 ", "0x1p3", "١٢"] {
            #expect(DecimalNumber.parse(text) == nil, "\(text)")
        }
    }
}
