import Foundation
import NASArchitecture
#if canImport(Glibc)
import Glibc
#endif

/// The agent protocol (docs/agent-protocol.md): JSON lines on stdin/stdout, one request and one reply at a time.
public enum AgentProtocol {
    public static let version = 1
    public static let requestTypes = ["hello", "measure_layer", "measure_network", "shutdown"]

    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValue.parse(JSONEncoder().encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws -> T {
        try JSONDecoder().decode(type, from: Data(value.serialized(pretty: false).utf8))
    }

    static func line(_ value: JSONValue) -> Data { Data((value.serialized(pretty: false) + "\n").utf8) }
}

/// What an agent says about itself in its hello reply.
public struct AgentHello: Sendable {
    public var protocolVersion: Int
    public var agent: String
    public var capabilities: JSONValue
    public var metadata: DeviceMetadata
}

// MARK: - Server

/// Serves the protocol for a backend: `nas agent`.
public final class AgentServer {
    let backend: MeasurementBackend
    let defaults: MeasurementSettings
    private let output: Int32

    public init(backend: MeasurementBackend, defaults: MeasurementSettings = MeasurementSettings(), outputFD: Int32 = STDOUT_FILENO) {
        self.backend = backend
        self.defaults = defaults
        output = outputFD
    }

    /// Answers requests from stdin until it closes or a shutdown request arrives.
    public func serve() {
        while let line = readLine(strippingNewline: true) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let (reply, stop) = handle(line)
            send(reply)
            if stop { return }
        }
    }

    private func send(_ value: JSONValue) {
        let data = AgentProtocol.line(value)
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(output, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    /// The reply to one request line, and whether to stop serving afterwards.
    public func handle(_ line: String) -> (JSONValue, Bool) {
        let request: JSONValue
        do {
            request = try JSONValue.parse(line)
        } catch {
            return (errorReply(id: .null, kind: "bad_request", "request is not valid JSON (\(error))"), false)
        }
        guard let object = request.objectValue else {
            return (errorReply(id: .null, kind: "bad_request", "a request must be a JSON object"), false)
        }
        let id = object["id"] ?? .null
        guard let type = object["type"]?.stringValue else {
            return (errorReply(id: id, kind: "bad_request", "request has no string 'type' (one of \(AgentProtocol.requestTypes.joined(separator: ", ")))"), false)
        }
        do {
            switch type {
            case "hello":
                if let v = object["protocol_version"]?.intValue, v > AgentProtocol.version {
                    return (errorReply(id: id, kind: "unsupported", "protocol version \(v) is newer than this agent's \(AgentProtocol.version)"), false)
                }
                return (try helloReply(id: id), false)
            case "measure_layer":
                guard let w = object["workload"] else { throw AgentRequestError("measure_layer needs 'workload'") }
                let workload: LayerWorkload
                do { workload = try AgentProtocol.decode(LayerWorkload.self, w) } catch {
                    throw AgentRequestError("'workload' is not a layer workload (\(error))")
                }
                let m = try backend.measureLayer(workload, settings: try settings(object))
                return (.object(["id": id, "type": "layer_measurement", "result": try AgentProtocol.encode(m)]), false)
            case "measure_network":
                guard let a = object["architecture"] else { throw AgentRequestError("measure_network needs 'architecture'") }
                var arch: Architecture
                do { arch = try Architecture(jsonValue: a) } catch {
                    throw AgentRequestError("'architecture': \(error)")
                }
                if let b = object["batch"] {
                    guard let n = b.intValue, n > 0 else { throw AgentRequestError("'batch' must be a positive integer") }
                    arch.batch = n
                }
                let net: ResolvedNetwork
                do { net = try arch.resolved() } catch { throw AgentRequestError("'architecture': \(error)") }
                let m = try backend.measureNetwork(net, settings: try settings(object))
                return (.object(["id": id, "type": "network_measurement", "result": try AgentProtocol.encode(m)]), false)
            case "shutdown":
                return (.object(["id": id, "type": "bye"]), true)
            default:
                return (errorReply(id: id, kind: "bad_request", "unknown request type '\(type)' (one of \(AgentProtocol.requestTypes.joined(separator: ", ")))"), false)
            }
        } catch let e as AgentRequestError {
            return (errorReply(id: id, kind: "bad_request", e.message), false)
        } catch let e as MeasurementError {
            switch e {
            case .invalidSettings: return (errorReply(id: id, kind: "bad_request", e.description), false)
            default: return (errorReply(id: id, kind: "measurement_failed", e.description), false)
            }
        } catch {
            return (errorReply(id: id, kind: "measurement_failed", "\(error)"), false)
        }
    }

    private func settings(_ object: [String: JSONValue]) throws -> MeasurementSettings {
        guard let s = object["settings"] else { return defaults }
        do {
            return try AgentProtocol.decode(MeasurementSettings.self, s).validated()
        } catch let e as MeasurementError {
            throw e
        } catch {
            throw AgentRequestError("'settings' must be {\"warmup\": N, \"repeats\": N, \"threads\": N or null}")
        }
    }

    private func helloReply(id: JSONValue) throws -> JSONValue {
        let meta = try backend.metadata(settings: defaults)
        return .object([
            "id": id, "type": "hello", "protocol_version": JSONValue(AgentProtocol.version), "agent": "nas",
            "capabilities": .object([
                "requests": .array(AgentProtocol.requestTypes.map { .string($0) }),
                "workload_kinds": .array(WorkloadKind.allCases.map { .string($0.rawValue) }),
                "activations": .array(ActivationFunction.allCases.map { .string($0.rawValue) }),
            ]),
            "metadata": try AgentProtocol.encode(meta),
        ])
    }

    private func errorReply(id: JSONValue, kind: String, _ message: String) -> JSONValue {
        .object(["id": id, "type": "error", "kind": .string(kind), "error": .string(message)])
    }
}

struct AgentRequestError: Error {
    var message: String
    init(_ m: String) { message = m }
}

// MARK: - Client

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

    /// Starts `command` through `/bin/sh -c` and exchanges hello within `helloTimeout` seconds.
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

        let reply = try exchange(["type": "hello", "protocol_version": JSONValue(AgentProtocol.version)], what: "hello",
                                 timeout: helloTimeout)
        guard reply["type"]?.stringValue == "hello" else {
            throw fail("answered hello with type '\(reply["type"]?.stringValue ?? "none")'")
        }
        guard let v = reply["protocol_version"]?.intValue else { throw fail("hello reply has no integer 'protocol_version'") }
        guard v == AgentProtocol.version else {
            throw fail("speaks protocol version \(v), this nas speaks \(AgentProtocol.version)")
        }
        let meta: DeviceMetadata
        do {
            meta = try AgentProtocol.decode(DeviceMetadata.self, reply["metadata"] ?? .null)
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
        guard exitState() == nil else { return }
        if broken == nil {
            _ = try? exchange(["type": "shutdown"], what: "shutdown", timeout: 5)
        }
        try? toAgent.close()
        if waitForExit(seconds: 2) == nil { stop() }
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
    /// children of a shell command go too; kills it if it has not gone a second later.
    private func stop() {
        guard exitState() == nil else { return }
        kill(-process.processIdentifier, SIGTERM)
        if waitForExit(seconds: 1) == nil {
            kill(-process.processIdentifier, SIGKILL)
            _ = waitForExit(seconds: 1)
        }
    }

    public func metadata(settings: MeasurementSettings) throws -> DeviceMetadata {
        var m = hello.metadata
        if let t = settings.threads { m.threads = t }
        return m
    }

    public func measureLayer(_ workload: LayerWorkload, settings: MeasurementSettings) throws -> LayerMeasurement {
        let reply = try exchange(["type": "measure_layer", "workload": try AgentProtocol.encode(workload),
                                  "settings": try AgentProtocol.encode(settings.validated())],
                                 what: "measure_layer \(workload.description)", timeout: requestTimeout)
        return try result(reply, expecting: "layer_measurement", LayerMeasurement.self)
    }

    public func measureNetwork(_ net: ResolvedNetwork, settings: MeasurementSettings) throws -> NetworkMeasurement {
        let reply = try exchange(["type": "measure_network", "architecture": net.architecture.jsonValue,
                                  "batch": JSONValue(net.batch), "settings": try AgentProtocol.encode(settings.validated())],
                                 what: "measure_network '\(net.architecture.name)'", timeout: requestTimeout)
        return try result(reply, expecting: "network_measurement", NetworkMeasurement.self)
    }

    private func result<T: Decodable>(_ reply: JSONValue, expecting type: String, _: T.Type) throws -> T {
        let got = reply["type"]?.stringValue ?? "none"
        if got == "error" {
            let message = reply["error"]?.stringValue ?? "no message"
            throw MeasurementError.workloadFailed("agent '\(command)': \(message)")
        }
        guard got == type else { throw fail("answered with type '\(got)' where '\(type)' was expected") }
        do {
            return try AgentProtocol.decode(T.self, reply["result"] ?? .null)
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

    /// Sends one request and waits for its reply line.
    private func exchange(_ fields: [String: JSONValue], what: String, timeout: Double) throws -> JSONValue {
        if let broken { throw MeasurementError.backendFailed("\(broken); not sending \(what)") }
        let id = nextID
        nextID += 1
        var request = fields
        request["id"] = JSONValue(id)
        let data = AgentProtocol.line(.object(request))
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
        return reply
    }

    private func readLine(timeout: Double, id: Int, what: String) throws -> [UInt8] {
        let deadline = monotonicNanoseconds() + UInt64(max(timeout, 0) * 1e9)
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
