import Foundation

/// libFuzzer entry point over the strict JSON parser and the architecture loader (built by scripts/fuzz together
/// with Sources/Architecture, outside SwiftPM so that the normal build never needs fuzzer flags).
///
/// Besides "does not crash" (ASan and Swift's own traps turn every overflow, out-of-bounds index or stack
/// exhaustion into a crash), it checks the two promises the formats make:
/// - whatever parses writes back (compact and pretty) to text that parses to an equal value;
/// - whatever loads as an architecture resolves or fails with an error, and a resolved network's canonical
///   JSON loads back to an equal architecture (docs/architecture-format.md, "Round trip").
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchitecture(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    guard let value = try? JSONValue.parse(data) else { return 0 }
    for pretty in [false, true] {
        let text = value.serialized(pretty: pretty)
        guard let again = try? JSONValue.parse(text), again == value else {
            fatalError("JSON round trip changed the value: \(text.prefix(200))")
        }
    }
    guard let architecture = try? Architecture(jsonValue: value) else { return 0 }
    guard let network = try? architecture.resolved() else { return 0 }
    _ = network.figures()
    guard let reread = try? Architecture(json: Data(architecture.jsonString().utf8)), reread == architecture else {
        fatalError("architecture round trip changed it: \(architecture.jsonString(pretty: false).prefix(200))")
    }
    return 0
}
