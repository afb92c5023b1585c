/// Numbers as people and programs write them in text: `-12`, `0.5`, `.5`, `3e-4`. Swift's `Double(_: String)`
/// also takes `0x10` (16), `inf`, `nan` and `0x1p3`, so a stray hex or word would be read as a value.
public enum DecimalNumber {
    /// The value of a decimal number with an optional sign and exponent, or nil for anything else; nil also for
    /// numbers beyond Double's range (`1e400`), which would otherwise be infinity.
    public static func parse<S: StringProtocol>(_ text: S) -> Double? {
        var digits = 0, i = text.utf8.startIndex
        let bytes = text.utf8
        func skipDigits() { while i < bytes.endIndex, (48...57).contains(bytes[i]) { i = bytes.index(after: i); digits += 1 } }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i = bytes.index(after: i) }
        skipDigits()
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") { i = bytes.index(after: i); skipDigits() }
        guard digits > 0 else { return nil }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i = bytes.index(after: i)
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i = bytes.index(after: i) }
            digits = 0
            skipDigits()
            guard digits > 0 else { return nil }
        }
        guard i == bytes.endIndex, let value = Double(String(text)), value.isFinite else { return nil }
        return value
    }
}
