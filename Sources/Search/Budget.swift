/// A hard per-device limit: the predicted `metric` of a candidate on `device` must not exceed `limit`.
///
/// In pymoo's convention it is the constraint g = (value − limit) / limit ≤ 0, normalised by the limit so
/// that violations of different metrics add up.
public struct Budget: Hashable, Sendable {
    public var device: String
    public var metric: CostMetric
    /// In `metric.unit`.
    public var limit: Double
    /// As the user wrote it, e.g. `20ms`.
    public var given: String

    public init(device: String, metric: CostMetric, limit: Double, given: String) {
        self.device = device; self.metric = metric; self.limit = limit; self.given = given
    }

    /// `pi4.latency`.
    public var name: String { "\(device).\(metric.rawValue)" }

    /// Whether `value` (a predicted or measured cost in `metric.unit`) is within the budget. An unknown value
    /// meets no budget. Every feasibility decision goes through here or through `violation`, which agrees.
    public func isMet(by value: Double?) -> Bool {
        guard let value else { return false }
        return value <= limit
    }

    /// g(x): ≤ 0 when met, the relative excess otherwise; nil when the value is unknown.
    public func violation(_ value: Double?) -> Double? {
        value.map { ($0 - limit) / limit }
    }

    public var description: String { "\(device) \(metric.rawValue) ≤ \(Quantity.format(limit, metric))" }

    /// Reads one budget option (`--latency`, `--energy`, `--memory`): either one value for every device
    /// (`20ms`) or `DEVICE=VALUE` pairs (`pi4=20ms,xu4=35ms`). Errors name the option and the entry.
    public static func parse(_ text: String, metric: CostMetric, devices: [String]) throws -> [Budget] {
        let option = "--\(metric.rawValue)"
        let entries = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if entries.contains(where: { $0.isEmpty }) {
            throw SearchError("\(option) '\(text)': empty entry (write 20ms or pi4=20ms,xu4=35ms)")
        }
        let perDevice = entries.map { $0.contains("=") }
        if !perDevice.contains(true) {
            guard entries.count == 1 else {
                throw SearchError("\(option) '\(text)': give one value for every device, or DEVICE=VALUE pairs")
            }
            do {
                let v = try Quantity.parse(entries[0], metric: metric)
                return devices.map { Budget(device: $0, metric: metric, limit: v, given: entries[0]) }
            } catch let e as SearchError {
                throw SearchError("\(option): \(e.message)")
            }
        }
        guard !perDevice.contains(false) else {
            throw SearchError("\(option) '\(text)': mixes a plain value with DEVICE=VALUE pairs; use pairs for every device")
        }
        var out: [Budget] = []
        for entry in entries {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let device = parts[0], value = parts[1]
            guard !device.isEmpty else { throw SearchError("\(option) '\(entry)': missing device before '='") }
            guard devices.contains(device) else {
                throw SearchError("\(option) '\(entry)': device '\(device)' is not among --device (\(devices.joined(separator: ", ")))")
            }
            guard !out.contains(where: { $0.device == device }) else {
                throw SearchError("\(option) '\(text)': device '\(device)' is given twice")
            }
            do {
                out.append(Budget(device: device, metric: metric, limit: try Quantity.parse(value, metric: metric), given: value))
            } catch let e as SearchError {
                throw SearchError("\(option) '\(entry)': \(e.message)")
            }
        }
        return out
    }
}
