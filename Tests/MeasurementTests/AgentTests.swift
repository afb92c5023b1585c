import Foundation
import Testing
import NASArchitecture
@testable import NASMeasurement
import NASSupport
#if canImport(Glibc)
import Glibc
#endif

/// The `nas` executable built next to this test bundle.
func nasBinary() throws -> String {
    let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for dir in [bundleDir, bundleDir.deletingLastPathComponent()] {
        let candidate = dir.appendingPathComponent("nas").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw MeasurementError.invalidSettings("the nas executable is not next to the test bundle in \(bundleDir.path); run `swift build` first")
}

/// The processes of a process group that are not zombies, from /proc/PID/stat (field 5 is the group).
func liveMembers(ofGroup group: Int32) -> [Int32] {
    let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
    return pids.filter { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 2 && fields[0] != "Z" && Int32(fields[2]) == group
    }
}

/// A shell script in a temporary directory, standing in for a misbehaving device.
func scriptAgent(_ body: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("agent-\(UUID().uuidString).sh")
    try ("#!/bin/sh\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
    chmod(url.path, 0o755)
    return url.path
}

/// A valid hello reply to request 1, as a shell `printf` line.
let helloLine = #"printf '%s\n' '{"id":1,"type":"hello","protocol_version":1,"agent":"script","capabilities":{},"metadata":{"backend":"script","cpu_model":"none","device_id":"script","isa":"none","library":"none","library_version":"0","logical_cpus":1,"threads":1}}'"#

@Suite(.serialized) struct AgentTests {
    let quick = MeasurementSettings(warmup: 0, repeats: 2, threads: 1)
    let small = conv(1, 8, 8, 8, oc: 8, k: (3, 3), pad: (1, 1, 1, 1), act: .relu)

    @Test func roundTripThroughTheNasExecutable() throws {
        let agent = try AgentBackend(command: "'\(try nasBinary())' agent", requestTimeout: 120)
        #expect(agent.hello.protocolVersion == AgentProtocol.version)
        #expect(agent.hello.agent == "nas")
        #expect(agent.hello.metadata.deviceID == "host")
        #expect(agent.hello.capabilities["requests"]?.arrayValue?.contains("measure_network") == true)

        let m = try agent.measureLayer(small, settings: quick)
        #expect(m.workload == small)
        #expect(m.latency.samples == 2 && m.latency.medianMs > 0)
        #expect(m.metadata.threads == 1)
        if case .measured = m.energyJ {} else { #expect(m.energyJ.value == nil) }

        let net = try Architecture(json: Data("""
        {"name": "remote", "input": [8, 8, 3], "layers": [
          {"type": "conv2d", "filters": 4, "kernel": 3, "activation": "relu"},
          {"type": "global_avg_pool2d"}, {"type": "dense", "units": 2}]}
        """.utf8)).resolved()
        var bigger = net.architecture
        bigger.batch = 3
        let n = try agent.measureNetwork(try bigger.resolved(), settings: quick)
        #expect(n.name == "remote" && n.batch == 3 && n.layers.count == 3)

        // A workload the agent refuses is an answer, not a broken agent.
        var bad = small
        bad.outH = 99
        do {
            _ = try agent.measureLayer(bad, settings: quick)
            Issue.record("an impossible workload must fail")
        } catch MeasurementError.workloadFailed(let message) {
            #expect(message.contains("expected 8×8"))
        }
        #expect(try agent.measureLayer(small, settings: quick).workload == small)

        agent.close()
        #expect(agent.exitState() == "exit status 0", "the agent exits after shutdown")
    }

    @Test func aKilledAgentIsAnErrorNotAHang() throws {
        let agent = try AgentBackend(command: "exec '\(try nasBinary())' agent", requestTimeout: 120)
        kill(agent.processIdentifier, SIGKILL)
        do {
            _ = try agent.measureLayer(small, settings: quick)
            Issue.record("a killed agent must fail")
        } catch MeasurementError.backendFailed(let message) {
            #expect(message.contains("killed by signal 9") || message.contains("is gone"), "\(message)")
        }
        #expect(throws: MeasurementError.self) { _ = try agent.measureLayer(small, settings: quick) }
    }

    /// Stopping escalates: an agent that ignores shutdown and SIGTERM is killed, with everything in its group.
    @Test func anAgentThatIgnoresSigtermIsKilled() throws {
        let script = try scriptAgent("trap '' TERM\nread line\n\(helloLine)\nsleep 600 &\nwait\nsleep 600")
        let agent = try AgentBackend(command: script, requestTimeout: 60)
        let group = agent.processIdentifier
        let started = Date()
        agent.close()
        #expect(Date().timeIntervalSince(started) < 15, "shutdown waits 5 s, exit 2 s, SIGTERM 1 s, then SIGKILL")
        #expect(agent.exitState() != nil, "the agent has ended")
        usleep(100_000)
        #expect(liveMembers(ofGroup: group).isEmpty, "left running: \(liveMembers(ofGroup: group))")
    }

    @Test func anAgentThatDiesAfterHelloIsAnError() throws {
        let script = try scriptAgent("read line\n\(helloLine)\nread line\nexit 3")
        let agent = try AgentBackend(command: script, requestTimeout: 60)
        #expect(agent.hello.metadata.deviceID == "script")
        do {
            _ = try agent.measureLayer(small, settings: quick)
            Issue.record("a dead agent must fail")
        } catch MeasurementError.backendFailed(let message) {
            #expect(message.contains("closed its output before answering request 2"), "\(message)")
            #expect(message.contains("exit status 3"), "\(message)")
        }
        do {
            _ = try agent.measureLayer(small, settings: quick)
            Issue.record("a dead agent stays dead")
        } catch MeasurementError.backendFailed(let message) {
            #expect(message.contains("not sending"))
        }
    }

    /// `--timeout 1` bounds hello too: an agent that never says hello used to hold nas for the 60 s hello deadline.
    @Test func aSilentAgentFailsHelloWithinTheRequestTimeout() throws {
        let started = Date()
        #expect(throws: MeasurementError.self) { _ = try AgentBackend(command: "exec sleep 30", requestTimeout: 1) }
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test func aStalledAgentTimesOut() throws {
        let script = try scriptAgent("read line\n\(helloLine)\nexec sleep 60")
        let agent = try AgentBackend(command: script, requestTimeout: 1)
        do {
            _ = try agent.measureLayer(small, settings: quick)
            Issue.record("a silent agent must time out")
        } catch MeasurementError.backendFailed(let message) {
            #expect(message.contains("did not answer request 2"), "\(message)")
            #expect(message.contains("within 1 s"), "\(message)")
        }
        agent.close()
    }

    @Test func malformedAndTruncatedRepliesAreErrors() throws {
        let malformed = try AgentBackend(command: try scriptAgent("read line\n\(helloLine)\nread line\necho 'this is not json'\nexec sleep 5"))
        do {
            _ = try malformed.measureLayer(small, settings: quick)
            Issue.record("a malformed reply must fail")
        } catch MeasurementError.backendFailed(let message) {
            #expect(message.contains("malformed reply to request 2"), "\(message)")
            #expect(message.contains("this is not json"), "\(message)")
        }
        malformed.close()

        let truncated = try AgentBackend(command: try scriptAgent("read line\n\(helloLine)\nread line\nprintf '{\"id\":2,\"type\":\"layer_meas'\nexit 0"))
        do {
            _ = try truncated.measureLayer(small, settings: quick)
            Issue.record("a truncated reply must fail")
        } catch MeasurementError.backendFailed(let message) {
            #expect(message.contains("truncated reply to request 2"), "\(message)")
        }

        let wrongResult = try AgentBackend(command: try scriptAgent("read line\n\(helloLine)\nread line\necho '{\"id\":2,\"type\":\"layer_measurement\",\"result\":{}}'\nexec sleep 5"))
        do {
            _ = try wrongResult.measureLayer(small, settings: quick)
            Issue.record("a result that does not decode must fail")
        } catch MeasurementError.backendFailed(let message) {
            #expect(message.contains("does not decode"), "\(message)")
        }
        wrongResult.close()
    }

    @Test func helloChecksTheProtocolVersion() throws {
        let script = try scriptAgent(#"read line; printf '%s\n' '{"id":1,"type":"hello","protocol_version":99,"metadata":{}}'; exec sleep 5"#)
        do {
            _ = try AgentBackend(command: script)
            Issue.record("a newer protocol must be refused")
        } catch MeasurementError.backendFailed(let message) {
            #expect(message.contains("protocol version 99"), "\(message)")
        }
        do {
            _ = try AgentBackend(command: "exit 7")
            Issue.record("an agent that never answers hello must fail")
        } catch MeasurementError.backendFailed(let message) {
            #expect(message.contains("exit status 7"), "\(message)")
        }
    }

    @Test func theServerAnswersBadRequestsWithErrors() throws {
        let server = AgentServer(backend: try HostBackend(), defaults: quick)
        let (notJSON, _) = server.handle("{nope")
        #expect(notJSON["type"] == "error" && notJSON["kind"] == "bad_request")
        let (unknown, _) = server.handle(#"{"id": 5, "type": "dance"}"#)
        #expect(unknown["id"] == 5 && unknown["type"] == "error")
        #expect(unknown["error"]?.stringValue?.contains("unknown request type 'dance'") == true)
        let (missing, _) = server.handle(#"{"id": 6, "type": "measure_layer"}"#)
        #expect(missing["error"]?.stringValue?.contains("needs 'workload'") == true)
        let (badSettings, _) = server.handle(#"{"id": 7, "type": "measure_layer", "workload": {"kind": "dense", "batch": 1, "in_h": 1, "in_w": 1, "in_c": 4, "out_h": 1, "out_w": 1, "out_c": 2}, "settings": {"warmup": 0, "repeats": 0}}"#)
        #expect(badSettings["kind"] == "bad_request")
        let (newer, _) = server.handle(#"{"id": 1, "type": "hello", "protocol_version": 2}"#)
        #expect(newer["kind"] == "unsupported")
        // Not an integer: a malformed hello, not version 1 (hostile corpus, agent.version-string).
        for version in [#""1""#, "1.5", "null"] {
            let (odd, _) = server.handle(#"{"id": 1, "type": "hello", "protocol_version": \#(version)}"#)
            #expect(odd["kind"] == "bad_request", "\(version)")
        }
        let (bye, stop) = server.handle(#"{"id": 9, "type": "shutdown"}"#)
        #expect(bye["type"] == "bye" && stop)
    }

    /// The serving loop of the real agent: every line gets one reply line, and a malformed one (not JSON, a field of
    /// the wrong type, an unknown type) gets an error naming the problem without stopping the next from being answered.
    @Test func theServingLoopAnswersMalformedLinesAndGoesOn() throws {
        let dense = #"{"kind": "dense", "batch": 1, "in_h": 1, "in_w": 1, "in_c": 4, "out_h": 1, "out_w": 1, "out_c": 2}"#
        let arch = #"{"name": "t", "input": [8, 8, 3], "layers": [{"type": "global_avg_pool2d"}, {"type": "dense", "units": 2}]}"#
        let lines = [
            "{nope",
            #"{"id": 2, "type": "measure_layer", "workload": "a big conv"}"#,
            #"{"id": 3, "type": "measure_network", "architecture": \#(arch), "batch": "two"}"#,
            #"{"id": 4, "type": "measure_layer", "workload": \#(dense), "settings": {"warmup": "none"}}"#,
            #"{"id": 5, "type": "dance"}"#,
            #"{"id": 6, "type": "hello", "protocol_version": 1}"#,
            #"{"id": 7, "type": "measure_layer", "workload": \#(dense), "settings": {"warmup": 0, "repeats": 1, "threads": 1}}"#,
            #"{"id": 8, "type": "shutdown"}"#,
            #"{"id": 9, "type": "hello"}"#,
        ]
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: try nasBinary())
        agent.arguments = ["agent"]
        let input = Pipe(), output = Pipe()
        agent.standardInput = input
        agent.standardOutput = output
        try agent.run()
        try input.fileHandleForWriting.write(contentsOf: Data((lines.joined(separator: "\n") + "\n").utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        agent.waitUntilExit()
        #expect(agent.terminationStatus == 0)
        #expect(text.hasSuffix("\n"))
        let replies = try text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
        try #require(replies.count == 8, "one reply per line up to shutdown: \(text)")

        func error(_ i: Int) -> String { replies[i]["error"]?.stringValue ?? "" }
        #expect(replies[0]["id"] == .null && replies[0]["kind"] == "bad_request")
        #expect(error(0).contains("not valid JSON"))
        #expect(replies[1]["id"] == 2 && replies[1]["kind"] == "bad_request")
        #expect(error(1).contains("'workload' is not a layer workload"), "\(error(1))")
        #expect(replies[2]["id"] == 3 && error(2) == "'batch' must be a positive integer")
        #expect(replies[3]["id"] == 4 && error(3).contains("'settings' must be"), "\(error(3))")
        #expect(replies[4]["id"] == 5 && error(4).contains("unknown request type 'dance'"))
        #expect(replies[5]["id"] == 6 && replies[5]["type"] == "hello" && replies[5]["metadata"]?["device_id"] == "host")
        #expect(replies[6]["id"] == 7 && replies[6]["type"] == "layer_measurement")
        #expect(replies[6]["result"]?["latency"]?["samples"] == 1)
        #expect(replies[7]["id"] == 8 && replies[7]["type"] == "bye")
    }

    /// The real agent behind a shell loop that passes on three lines: it answers hello and two measurements, then its
    /// input ends and it exits.
    @Test func profilingThroughADyingAgentKeepsWhatItMeasured() throws {
        let dir = try ProfilerTests().tinyZoo()
        let catalog = WorkloadCatalog.representative(zoo: try WorkloadCatalog.loadZoo(directory: dir.path), seed: 3, randomDense: 3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("agent-profile-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let nas = try nasBinary()
        let dying = try AgentBackend(command: "for i in 1 2 3; do read -r l; printf '%s\\n' \"$l\"; done | '\(nas)' agent",
                                     requestTimeout: 120)
        do {
            _ = try Profiler(backend: dying, path: path, options: .init(batches: [1], limit: 4, settings: quick),
                             progress: ProgressReporter(style: .silent)).run(catalog: catalog)
            Issue.record("the profile must stop when the agent dies")
        } catch MeasurementError.backendFailed(let message) {
            #expect(message.contains("2 lines written"), "\(message)")
        }
        let kept = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(kept.count == 2)

        let healthy = try AgentBackend(command: "'\(nas)' agent", requestTimeout: 120)
        let s = try Profiler(backend: healthy, path: path, options: .init(batches: [1], limit: 4, settings: quick),
                             progress: ProgressReporter(style: .silent)).run(catalog: catalog)
        #expect(s.alreadyDone == 2 && s.measured == 2)
        healthy.close()
    }
}
