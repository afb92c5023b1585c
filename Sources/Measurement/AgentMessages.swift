import Foundation
import NASArchitecture

/// The agent protocol (docs/agent-protocol.md): JSON lines on stdin/stdout, one request and one reply at a time.
///
/// Messages are `Codable` structs written with `JSONEncoder` and read with `JSONDecoder` straight from the line.
/// Only the envelope (`id`, `type`) is also read as a `JSONValue`, so that a line which is not JSON, not an
/// object or of no known type gets an error naming the problem (with line and column) rather than a decoder's.
public enum AgentProtocol {
    public static let version = 1
    public static let requestTypes = ["hello", "measure_layer", "measure_network", "shutdown"]

    /// One message as one protocol line: compact JSON with sorted keys and unescaped slashes (as
    /// `JSONValue.serialized` writes it), then a newline.
    static func line<T: Encodable>(_ message: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(message)
        data.append(0x0A)
        return data
    }

    /// A `Codable` value as a `JSONValue`, for the profile records (Profiler.swift), which are built as trees.
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValue.parse(JSONEncoder().encode(value))
    }

    /// The inverse of `encode`, for profile records read back as trees.
    static func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws -> T {
        try JSONDecoder().decode(type, from: Data(value.serialized(pretty: false).utf8))
    }
}

/// What an agent says about itself in its hello reply.
public struct AgentHello: Sendable {
    public var protocolVersion: Int
    public var agent: String
    public var capabilities: JSONValue
    public var metadata: DeviceMetadata
}

/// A request refused before anything was measured; the server answers it with a `bad_request` error.
struct AgentRequestError: Error {
    var message: String
    init(_ m: String) { message = m }
}

/// One message: `id` and `type`, with the fields of `Body` beside them in the same object.
struct AgentMessage<Body: Encodable>: Encodable {
    var id: JSONValue
    var type: String
    var body: Body

    private enum Key: String, CodingKey { case id, type }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(CodableJSON(id), forKey: .id)
        try c.encode(type, forKey: .type)
        try body.encode(to: encoder)
    }
}

// MARK: - Requests

struct HelloRequest: Encodable {
    var protocolVersion: Int
    enum CodingKeys: String, CodingKey { case protocolVersion = "protocol_version" }
}

/// Fields of a message that has none besides `id` and `type`: shutdown and bye.
struct NoFields: Encodable {}

struct MeasureLayerRequest: Codable {
    var workload: LayerWorkload
    /// Nil when the request has none: the agent's defaults apply.
    var settings: MeasurementSettings?

    enum CodingKeys: String, CodingKey { case workload, settings }

    init(workload: LayerWorkload, settings: MeasurementSettings) {
        self.workload = workload
        self.settings = settings
    }

    /// Strict: a missing or invalid field is an `AgentRequestError` naming it.
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.contains(.workload) else { throw AgentRequestError("measure_layer needs 'workload'") }
        do {
            workload = try c.decode(LayerWorkload.self, forKey: .workload)
        } catch {
            throw AgentRequestError("'workload' is not a layer workload (\(error))")
        }
        settings = try decodeSettings(c, .settings)
    }
}

struct MeasureNetworkRequest: Encodable, Decodable {
    /// The architecture at the batch to run.
    var network: ResolvedNetwork
    var settings: MeasurementSettings?

    enum CodingKeys: String, CodingKey { case architecture, batch, settings }

    init(network: ResolvedNetwork, settings: MeasurementSettings) {
        self.network = network
        self.settings = settings
    }

    /// The architecture's own JSON, the batch beside it (the architecture's batch is overridden by it).
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(CodableJSON(network.architecture.jsonValue), forKey: .architecture)
        try c.encode(network.batch, forKey: .batch)
        try c.encodeIfPresent(settings, forKey: .settings)
    }

    /// Strict, checking in the order architecture, batch, shapes, settings.
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.contains(.architecture) else { throw AgentRequestError("measure_network needs 'architecture'") }
        var arch: Architecture
        do { arch = try Architecture(jsonValue: try c.decode(CodableJSON.self, forKey: .architecture).value) } catch {
            throw AgentRequestError("'architecture': \(error)")
        }
        if c.contains(.batch) {
            // Any integral number, as JSONValue.intValue reads one (2.0 is 2).
            guard let d = try? c.decode(Double.self, forKey: .batch), let n = Int(exactly: d), n > 0 else {
                throw AgentRequestError("'batch' must be a positive integer")
            }
            arch.batch = n
        }
        do { network = try arch.resolved() } catch { throw AgentRequestError("'architecture': \(error)") }
        settings = try decodeSettings(c, .settings)
    }
}

/// Validated settings, or nil when absent. An invalid value is `MeasurementError.invalidSettings`; anything
/// that is not a settings object (null included) an `AgentRequestError` saying what one looks like.
private func decodeSettings<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> MeasurementSettings? {
    guard c.contains(key) else { return nil }
    let settings: MeasurementSettings
    do {
        settings = try c.decode(MeasurementSettings.self, forKey: key)
    } catch {
        throw AgentRequestError("'settings' must be {\"warmup\": N, \"repeats\": N, \"threads\": N or null}")
    }
    return try settings.validated()
}

// MARK: - Replies

struct HelloReply: Encodable {
    struct Capabilities: Encodable {
        var requests = AgentProtocol.requestTypes
        var workloadKinds = WorkloadKind.allCases.map(\.rawValue)
        var activations = ActivationFunction.allCases.map(\.rawValue)
        enum CodingKeys: String, CodingKey { case requests, workloadKinds = "workload_kinds", activations }
    }
    var protocolVersion = AgentProtocol.version
    var agent = "nas"
    var capabilities = Capabilities()
    var metadata: DeviceMetadata
    enum CodingKeys: String, CodingKey { case protocolVersion = "protocol_version", agent, capabilities, metadata }
}

/// The `metadata` of a hello reply, which the client decodes apart from the fields it checks first.
struct HelloMetadata: Decodable {
    var metadata: DeviceMetadata
}

/// A measurement reply's fields: `layer_measurement` or `network_measurement`.
struct ResultReply<Result: Codable>: Codable {
    var result: Result
}

struct ErrorReply: Encodable {
    /// bad_request, unsupported or measurement_failed (docs/agent-protocol.md).
    var kind: String
    var error: String
}
