import NASArchitecture

/// A `JSONValue` inside a `Codable` message, for the fields whose format is read from the JSON tree rather than
/// decoded into a type: an architecture (docs/architecture-format.md, with its own errors) and an id, which
/// an agent echoes exactly as the request sent it.
struct CodableJSON: Codable {
    var value: JSONValue

    init(_ value: JSONValue) { self.value = value }

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            value = .null
        } else if let b = try? c.decode(Bool.self) {
            value = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            value = .number(n)
        } else if let s = try? c.decode(String.self) {
            value = .string(s)
        } else if let a = try? c.decode([CodableJSON].self) {
            value = .array(a.map(\.value))
        } else {
            value = .object(try c.decode([String: CodableJSON].self).mapValues(\.value))
        }
    }

    /// Numbers as `JSONValue.serialized` writes them: integers without a fraction, non-finite ones as null.
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch value {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n) where !n.isFinite: try c.encodeNil()
        case .number(let n) where n == n.rounded() && abs(n) < 9.007_199_254_740_992e15: try c.encode(Int64(n))
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let items): try c.encode(items.map(CodableJSON.init))
        case .object(let fields): try c.encode(fields.mapValues(CodableJSON.init))
        }
    }
}
