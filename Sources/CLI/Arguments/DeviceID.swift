import ArgumentParser
import NASPredictors

/// One device `nas` has a predictor for: `pi4`, `a100`, …, `host`.
struct DeviceID: ArgumentValue, Hashable, CustomStringConvertible {
    let id: String

    init(parsingArgument text: String) throws {
        guard DeviceSpec.allIDs.contains(text) else {
            throw ValidationError("unknown device '\(text)' (known: \(DeviceSpec.allIDs.joined(separator: ", ")))")
        }
        id = text
    }

    private init(known id: String) { self.id = id }

    /// This machine, measured through oneDNN.
    static let host = DeviceID(known: "host")

    var description: String { id }

    /// The device's figures; the host's are detected on first use, so reading a `DeviceID` never measures anything.
    var spec: DeviceSpec {
        guard let spec = DeviceSpec.named(id) else { preconditionFailure("'\(id)' was checked against DeviceSpec.allIDs") }
        return spec
    }
}
