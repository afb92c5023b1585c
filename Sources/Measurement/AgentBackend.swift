import Foundation
import NASArchitecture
#if canImport(Glibc)
import Glibc
#endif

/// A backend that is another process speaking the agent protocol, e.g. `ssh pi@raspberrypi nas agent`.
///
/// Every request has a deadline. An agent that dies, stalls past the deadline or answers with something that is
/// not a protocol line is stopped, and this and every later request fails with an error that says which.
public final class AgentBackend: MeasurementBackend {
    public static let defaultTimeout: Double = 600

    public let command: String
    public var requestTimeout: Double
    public private(set) var hello: AgentHello!
    private let process: Process
    private let toAgent: FileHandle
    private let fromAgent: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1
    private var broken: String?

    public var processIdentifier: Int32 { process.processIdentifier }

    /// Starts `command` through `/bin/sh -c` and exchanges hello within `helloTimeout` seconds, or `requestTimeout`
    /// when that is shorter: `--timeout 1` bounds every request, hello included.
    public init(command: String, requestTimeout: Double = AgentBackend.defaultTimeout, helloTimeout: Double = 60) throws {
        self.command = command
        self.requestTimeout = requestTimeout
        // A write to an agent that has died must come back as EPIPE, not kill nas.
        signal(SIGPIPE, SIG_IGN)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.standardError
        do {
            try p.run()
        } catch {
            throw MeasurementError.backendFailed("agent '\(command)': cannot start /bin/sh (\(error.localizedDescription))")
        }
        process = p
        toAgent = input.fileHandleForWriting
        fromAgent = output.fileHandleForReading.fileDescriptor
        // Keep the read end's FileHandle alive with the process; its descriptor is read directly.
        readHandle = output.fileHandleForReading

        let (reply, line) = try exchange("hello", HelloRequest(protocolVersion: AgentProtocol.version), what: "hello",
                                         timeout: min(helloTimeout, requestTimeout))
        guard reply["type"]?.stringValue == "hello" else {
            throw fail("answered hello with type '\(reply["type"]?.stringValue ?? "none")'")
        }
        guard let v = reply["protocol_version"]?.intValue else { throw fail("hello reply has no integer 'protocol_version'") }
        guard v == AgentProtocol.version else {
            throw fail("speaks protocol version \(v), this nas speaks \(AgentProtocol.version)")
        }
        let meta: DeviceMetadata
        do {
            meta = try JSONDecoder().decode(HelloMetadata.self, from: line).metadata
        } catch {
            throw fail("hello reply has no valid 'metadata' (\(error))")
        }
        hello = AgentHello(protocolVersion: v, agent: reply["agent"]?.stringValue ?? "unknown",
                           capabilities: reply["capabilities"] ?? .null, metadata: meta)
    }
    private let readHandle: FileHandle

    deinit { close() }

    /// Asks the agent to stop, then makes sure it has.
    public func close() {
        guard exitState() == nil else { stop(); return }
        if broken == nil {
            _ = try? exchange("shutdown", NoFields(), what: "shutdown", timeout: 5)
        }
        try? toAgent.close()
        _ = waitForExit(seconds: 2)
        stop()
    }

    /// How the agent ended ("exit status 3", "killed by signal 9"), or nil while it runs.
    ///
    /// Foundation only notices a child's exit once every process holding its status socket has gone, which an
    /// orphaned grandchild can delay indefinitely; `waitid` with `WNOWAIT` sees the exit at once and leaves the
    /// child for Foundation to reap.
    func exitState() -> String? {
        if !process.isRunning {
            return process.terminationReason == .uncaughtSignal
                ? "killed by signal \(process.terminationStatus)" : "exit status \(process.terminationStatus)"
        }
        var info = siginfo_t()
        guard waitid(P_PID, id_t(process.processIdentifier), &info, WEXITED | WNOHANG | WNOWAIT) == 0,
              info._sifields._sigchld.si_pid == process.processIdentifier else { return nil }
        let status = info._sifields._sigchld.si_status
        return info.si_code == Int32(CLD_EXITED) ? "exit status \(status)" : "killed by signal \(status)"
    }

    private func waitForExit(seconds: Double) -> String? {
        let deadline = monotonicNanoseconds() + UInt64(seconds * 1e9)
        while true {
            if let s = exitState() { return s }
            if monotonicNanoseconds() >= deadline { return nil }
            usleep(5_000)
        }
    }

    /// Terminates the agent's whole process group (Foundation starts each child in a group of its own), so that
    /// children of a shell command go too; a second later, kills whatever of the group is left, even when the
    /// shell at its head has gone and only a child that ignores SIGTERM remains.
    private func stop() {
        let group = -process.processIdentifier
        guard exitState() == nil || kill(group, 0) == 0 else { return }
        kill(group, SIGTERM)
        let deadline = monotonicNanoseconds() + 1_000_000_000
        while kill(group, 0) == 0, monotonicNanoseconds() < deadline { usleep(5_000) }
        if kill(group, 0) == 0 { kill(group, SIGKILL) }
        _ = waitForExit(seconds: 1)
    }

    public func metadata(settings: MeasurementSettings) throws -> DeviceMetadata {
        var m = hello.metadata
        if let t = settings.threads { m.threads = t }
        return m
    }

    public func measureLayer(_ workload: LayerWorkload, settings: MeasurementSettings) throws -> LayerMeasurement {
        let request = MeasureLayerRequest(workload: workload, settings: try settings.validated())
        let reply = try exchange("measure_layer", request, what: "measure_layer \(workload.description)",
                                 timeout: requestTimeout)
        return try result(reply, expecting: "layer_measurement", LayerMeasurement.self)
    }

    public func measureNetwork(_ net: ResolvedNetwork, settings: MeasurementSettings) throws -> NetworkMeasurement {
        let request = MeasureNetworkRequest(network: net, settings: try settings.validated())
        let reply = try exchange("measure_network", request, what: "measure_network '\(net.architecture.name)'",
                                 timeout: requestTimeout)
        return try result(reply, expecting: "network_measurement", NetworkMeasurement.self)
    }

    /// The `result` of a reply of `type`, decoded from the reply line; an error reply is the workload's failure.
    private func result<T: Codable>(_ reply: (object: JSONValue, line: Data), expecting type: String, _: T.Type) throws -> T {
        let got = reply.object["type"]?.stringValue ?? "none"
        if got == "error" {
            let message = reply.object["error"]?.stringValue ?? "no message"
            throw MeasurementError.workloadFailed("agent '\(command)': \(message)")
        }
        guard got == type else { throw fail("answered with type '\(got)' where '\(type)' was expected") }
        do {
            return try JSONDecoder().decode(ResultReply<T>.self, from: reply.line).result
        } catch {
            throw fail("sent a '\(type)' whose 'result' does not decode (\(error))")
        }
    }

    /// Marks the agent unusable, stops it and returns the error to throw.
    private func fail(_ message: String) -> MeasurementError {
        let text = "agent '\(command)' \(message)"
        broken = text
        stop()
        return .backendFailed(text)
    }

    private func exitDescription() -> String {
        waitForExit(seconds: 2) ?? "still running"
    }

    /// Sends one request and waits for its reply line, which it returns both read as JSON (to check the
    /// envelope) and as the bytes the typed fields are decoded from.
    private func exchange<Body: Encodable>(_ type: String, _ body: Body, what: String,
                                           timeout: Double) throws -> (object: JSONValue, line: Data) {
        if let broken { throw MeasurementError.backendFailed("\(broken); not sending \(what)") }
        let id = nextID
        nextID += 1
        let data = try AgentProtocol.line(AgentMessage(id: JSONValue(id), type: type, body: body))
        do {
            try toAgent.write(contentsOf: data)
        } catch {
            throw fail("is gone (\(exitDescription())) and cannot take request \(id) (\(what))")
        }
        let line = try readLine(timeout: timeout, id: id, what: what)
        let reply: JSONValue
        do {
            reply = try JSONValue.parse(Data(line))
        } catch {
            throw fail("sent a malformed reply to request \(id) (\(what)): \(error): \(String(decoding: line.prefix(200), as: UTF8.self))")
        }
        guard reply.objectValue != nil else { throw fail("sent a reply to request \(id) (\(what)) that is not a JSON object") }
        if let rid = reply["id"], rid != .null, rid.intValue != id {
            throw fail("answered request \(id) (\(what)) with the id \(rid.serialized(pretty: false))")
        }
        return (reply, Data(line))
    }

    private func readLine(timeout: Double, id: Int, what: String) throws -> [UInt8] {
        // Clamped so that no timeout (NaN, infinite, 1e300) can trap the conversion: at most about 11 days.
        let seconds = timeout.isFinite ? min(max(timeout, 0), 1e6) : 1e6
        let deadline = monotonicNanoseconds() + UInt64(seconds * 1e9)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<nl])
                buffer.removeSubrange(...nl)
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                return line
            }
            let now = monotonicNanoseconds()
            guard now < deadline else {
                throw fail(String(format: "did not answer request %d (%@) within %.0f s; stopped it", id, what, timeout))
            }
            var pfd = pollfd(fd: fromAgent, events: Int16(POLLIN), revents: 0)
            let waitMs = Int32(min((deadline - now) / 1_000_000 + 1, 1000))
            let ready = poll(&pfd, 1, waitMs)
            if ready < 0 {
                if errno == EINTR { continue }
                throw fail("cannot be read (poll: \(String(cString: strerror(errno))))")
            }
            if ready == 0 { continue }
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fromAgent, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw fail("cannot be read (\(String(cString: strerror(errno))))")
            }
            if n == 0 {
                if buffer.isEmpty {
                    throw fail("closed its output before answering request \(id) (\(what)) (\(exitDescription()))")
                }
                throw fail("sent a truncated reply to request \(id) (\(what)): \(buffer.count) bytes without an end of line, then closed its output (\(exitDescription()))")
            }
            buffer.append(contentsOf: chunk[..<n])
        }
    }
}
