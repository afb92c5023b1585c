import ArgumentParser
import NASPredictors

/// `--pool ID=FILE`: the measurements of a partner device, whose samples pooled candidates may learn from.
struct PoolData: ArgumentValue {
    let device: DeviceID
    let path: String

    init(parsingArgument text: String) throws {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex, text.index(after: equals) != text.endIndex else {
            throw ValidationError("expected DEVICE=FILE, e.g. k80=../shared/data/sponner/k80.jsonl")
        }
        device = try DeviceID(parsingArgument: String(text[..<equals]))
        guard device != .host else { throw ValidationError("the host cannot be pooled: its profile belongs to this machine alone") }
        path = String(text[text.index(after: equals)...])
    }
}
