import Foundation
import NASArchitecture
import NASSupport
import Testing

/// The per-request limits of `nas agent`: each over-limit request gets an error reply, and the agent serves on.
@Suite struct AgentLimitsTests {
    private func lines(of input: [UInt8], maxBytes: Int) throws -> [BoundedLineReader.Line] {
        let pipe = Pipe()
        let writer = Thread { try? pipe.fileHandleForWriting.write(contentsOf: Data(input)); try? pipe.fileHandleForWriting.close() }
        writer.start()
        var reader = BoundedLineReader(fd: pipe.fileHandleForReading.fileDescriptor, maxBytes: maxBytes)
        var out: [BoundedLineReader.Line] = []
        while let line = reader.next() { out.append(line) }
        return out
    }

    @Test func theReaderSkipsOverlongLinesAndKeepsTheRest() throws {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 200_000)
        let input = Array("one\r\n".utf8) + long + Array("\ntwo\n\nlast".utf8)
        let got = try lines(of: input, maxBytes: 100)
        #expect(got == [.text("one"), .tooLong(bytes: 200_000), .text("two"), .text(""), .text("last")])
    }

    @Test func aLineOfExactlyTheLimitIsKept() throws {
        let got = try lines(of: Array("abcd\nabcde\n".utf8), maxBytes: 4)
        #expect(got == [.text("abcd"), .tooLong(bytes: 5)])
    }

    @Test func theAgentRefusesOverlongLinesDeepNetworksAndLongMeasurementsAndServesOn() throws {
        let deep = #"{"id": 2, "type": "measure_network", "architecture": {"input": [1, 1, 4], "layers": [{"type": "global_avg_pool2d"}, "#
            + Array(repeating: #"{"type": "dense", "units": 2}"#, count: 4999).joined(separator: ",") + "]}}"
        let conv = #"{"type": "conv2d", "filters": 64, "kernel": 3, "padding": "same"}"#
        let slow = #"{"id": 3, "type": "measure_network", "architecture": {"input": [56, 56, 64], "layers": [\#(conv), \#(conv)]}, "#
            + #""settings": {"warmup": 0, "repeats": 1000000, "threads": 1}}"#
        let lines = [
            #"{"id": 1, "type": "hello", "pad": ""# + String(repeating: "y", count: 5 << 20) + #""}"#,
            deep,
            slow,
            #"{"id": 4, "type": "hello"}"#,
        ]
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: try nasBinary())
        agent.arguments = ["agent", "--max-request-seconds", "1"]
        let input = Pipe(), output = Pipe()
        agent.standardInput = input
        agent.standardOutput = output
        try agent.run()
        let writer = Thread {
            try? input.fileHandleForWriting.write(contentsOf: Data((lines.joined(separator: "\n") + "\n").utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let started = Date()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        agent.waitUntilExit()
        #expect(agent.terminationStatus == 0)
        let replies = try text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
        try #require(replies.count == 4, "one reply per line: \(text)")
        func error(_ i: Int) -> String { replies[i]["error"]?.stringValue ?? "" }
        #expect(replies[0]["kind"] == "bad_request" && error(0).contains("over this agent's limit of 4194304 bytes"), "\(error(0))")
        #expect(replies[1]["id"] == 2 && error(1) == "the network has 5000 layers, over this agent's limit of 4096", "\(error(1))")
        #expect(replies[2]["id"] == 3 && replies[2]["kind"] == "measurement_failed", "\(replies[2])")
        #expect(error(2).contains("over the limit of 1 s per measurement"), "\(error(2))")
        #expect(replies[3]["id"] == 4 && replies[3]["type"] == "hello")
        // The million runs were refused after the first, not run for a second until the hard stop.
        #expect(Date().timeIntervalSince(started) < 60)
    }
}
