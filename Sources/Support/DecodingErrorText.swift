/// A `DecodingError` as one line that names the key, for messages of the form `file:line: what is wrong`.
public enum DecodingErrorText {
    /// "missing 'in_c'", "'device' must be a string", "'latency_ms' must not be null", or the decoder's own
    /// words for anything else. `depth` leading keys are left out of the path, for a caller that names them.
    public static func describe(_ error: Error, droppingFirst depth: Int = 0) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let c):
            return "missing '\(path(c.codingPath + [key], droppingFirst: depth))'"
        case .typeMismatch(let type, let c):
            return "\(subject(c.codingPath, depth)) must be \(expectation(type))"
        case .valueNotFound(let type, let c):
            return "\(subject(c.codingPath, depth)) must be \(expectation(type)), not null"
        case .dataCorrupted(let c):
            let p = path(c.codingPath, droppingFirst: depth)
            return p.isEmpty ? c.debugDescription : "'\(p)': \(c.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// `layers[2].kernel`: keys joined by dots, array positions in brackets.
    static func path(_ keys: [any CodingKey], droppingFirst depth: Int) -> String {
        var out = ""
        for key in keys.dropFirst(depth) {
            if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
        }
        return out
    }

    static func subject(_ keys: [any CodingKey], _ depth: Int) -> String {
        let p = path(keys, droppingFirst: depth)
        return p.isEmpty ? "the value" : "'\(p)'"
    }

    /// The JSON kind a Swift type is read from.
    static func expectation(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt64.Type, is UInt.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array<") { return "an array" }
            if name.hasPrefix("Dictionary<") { return "an object" }
            return "a \(name)"
        }
    }
}
