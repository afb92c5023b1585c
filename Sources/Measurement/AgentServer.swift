import Foundation
import NASArchitecture
import NASSupport
#if canImport(Glibc)
import Glibc
#endif

/// What one request may ask of an agent. The peer is another machine: a request over a limit gets an error
/// reply and the agent stays up for the next one.
public struct AgentLimits: Sendable, Equatable {
    /// Longest request line. The largest architecture a person writes is a few hundred kilobytes.
    public var maxLineBytes = 4 << 20
    /// Most layers in one measure_network request (the deepest zoo network has a few hundred).
    public var maxLayers = 4096

    public init(maxLineBytes: Int = 4 << 20, maxLayers: Int = 4096) {
        self.maxLineBytes = maxLineBytes
        self.maxLayers = maxLayers
    }
}

/// Serves the protocol for a backend: `nas agent`.
///
/// Every line gets exactly one reply line. A line that is not a valid request is answered with an error of kind
/// `bad_request` naming the problem, and the server goes on to the next line.
public final class AgentServer {
    let backend: MeasurementBackend
    let defaults: MeasurementSettings
    let limits: AgentLimits
    private let input: Int32
    private let output: Int32

    public init(backend: MeasurementBackend, defaults: MeasurementSettings = MeasurementSettings(), limits: AgentLimits = AgentLimits(),
                inputFD: Int32 = STDIN_FILENO, outputFD: Int32 = STDOUT_FILENO) {
        self.backend = backend
        self.defaults = defaults
        self.limits = limits
        input = inputFD
        output = outputFD
    }

    /// Answers requests from the input until it closes or a shutdown request arrives.
    public func serve() {
        var reader = BoundedLineReader(fd: input, maxBytes: limits.maxLineBytes)
        while let next = reader.next() {
            switch next {
            case .tooLong(let bytes):
                send(errorLine(id: .null, kind: "bad_request",
                               "request line of \(bytes) bytes is over this agent's limit of \(limits.maxLineBytes) bytes"))
            case .text(let line):
                if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                let (reply, stop) = respond(to: line)
                send(reply)
                if stop { return }
            }
        }
    }

    private func send(_ data: Data) {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(output, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    /// The reply to one request line, read back as JSON (for inspection; `serve` writes the encoded line),
    /// and whether to stop serving afterwards.
    public func handle(_ line: String) -> (JSONValue, Bool) {
        let (reply, stop) = respond(to: line)
        return ((try? JSONValue.parse(reply)) ?? .null, stop)
    }

    /// The reply line to one request line, and whether to stop serving afterwards.
    func respond(to line: String) -> (Data, Bool) {
        let request: JSONValue
        do {
            request = try JSONValue.parse(line)
        } catch {
            return (errorLine(id: .null, kind: "bad_request", "request is not valid JSON (\(error))"), false)
        }
        guard let object = request.objectValue else {
            return (errorLine(id: .null, kind: "bad_request", "a request must be a JSON object"), false)
        }
        let id = object["id"] ?? .null
        guard let type = object["type"]?.stringValue else {
            return (errorLine(id: id, kind: "bad_request", "request has no string 'type' (\(Self.knownTypes))"), false)
        }
        do {
            return try answer(type, id: id, object: object, line: Data(line.utf8))
        } catch let e as AgentRequestError {
            return (errorLine(id: id, kind: "bad_request", e.message), false)
        } catch let e as MeasurementError {
            switch e {
            case .invalidSettings: return (errorLine(id: id, kind: "bad_request", e.description), false)
            default: return (errorLine(id: id, kind: "measurement_failed", e.description), false)
            }
        } catch {
            return (errorLine(id: id, kind: "measurement_failed", "\(error)"), false)
        }
    }

    private static var knownTypes: String { "one of \(AgentProtocol.requestTypes.joined(separator: ", "))" }

    /// Decodes the request of a known type from its line, runs it and encodes the reply; a failure to encode
    /// the reply (a non-finite figure) is thrown, so it becomes an error reply too.
    private func answer(_ type: String, id: JSONValue, object: [String: JSONValue], line: Data) throws -> (Data, Bool) {
        switch type {
        case "hello":
            // A version that is not an integer ("1", 1.5) is a malformed hello, not version 1.
            if let raw = object["protocol_version"], raw.intValue == nil {
                throw AgentRequestError("'protocol_version' must be an integer, got \(raw.serialized(pretty: false).prefix(40))")
            }
            if let v = object["protocol_version"]?.intValue, v > AgentProtocol.version {
                return (errorLine(id: id, kind: "unsupported",
                                  "protocol version \(v) is newer than this agent's \(AgentProtocol.version)"), false)
            }
            let reply = HelloReply(metadata: try backend.metadata(settings: defaults))
            return (try AgentProtocol.line(AgentMessage(id: id, type: "hello", body: reply)), false)
        case "measure_layer":
            let request = try JSONDecoder().decode(MeasureLayerRequest.self, from: line)
            let m = try backend.measureLayer(request.workload, settings: request.settings ?? defaults)
            return (try AgentProtocol.line(AgentMessage(id: id, type: "layer_measurement", body: ResultReply(result: m))), false)
        case "measure_network":
            let request = try JSONDecoder().decode(MeasureNetworkRequest.self, from: line)
            let layers = request.network.architecture.layers.count
            guard layers <= limits.maxLayers else {
                throw AgentRequestError("the network has \(layers) layers, over this agent's limit of \(limits.maxLayers)")
            }
            let m = try backend.measureNetwork(request.network, settings: request.settings ?? defaults)
            return (try AgentProtocol.line(AgentMessage(id: id, type: "network_measurement", body: ResultReply(result: m))), false)
        case "shutdown":
            return (try AgentProtocol.line(AgentMessage(id: id, type: "bye", body: NoFields())), true)
        default:
            return (errorLine(id: id, kind: "bad_request", "unknown request type '\(type)' (\(Self.knownTypes))"), false)
        }
    }

    private func errorLine(id: JSONValue, kind: String, _ message: String) -> Data {
        let reply = AgentMessage(id: id, type: "error", body: ErrorReply(kind: kind, error: message))
        // Strings and a parsed id always encode; the fallback only keeps the one-reply-per-line promise.
        return (try? AgentProtocol.line(reply)) ?? Data("{\"id\":null,\"kind\":\"\(kind)\",\"type\":\"error\"}\n".utf8)
    }
}
