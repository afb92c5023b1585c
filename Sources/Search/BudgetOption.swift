/// One budget option as written (`--latency 20ms` or `--latency pi4=20ms,xu4=35ms`), read before the devices are
/// known.
///
/// The reading is split from `budgets(devices:)` so that a command line can reject a malformed value as soon as it
/// reads the option, and check the devices it names once `--device` is read too; `Budget.parse` does both at once.
public struct BudgetOption: Hashable, Sendable {
    /// One limit: for `device`, or for every device when `device` is nil.
    public struct Limit: Hashable, Sendable {
        public var device: String?
        /// In `metric.unit`.
        public var value: Double
        /// As the user wrote it, e.g. `20ms`.
        public var given: String
    }

    public var metric: CostMetric
    /// The whole option value as written.
    public var text: String
    /// One limit without a device, or one per named device (never both).
    public var limits: [Limit]

    /// The option's name on the command line, which every error starts with.
    public var option: String { "--\(metric.rawValue)" }

    /// Errors name the option and the entry at fault.
    public init(parsing text: String, metric: CostMetric) throws {
        self.metric = metric
        self.text = text
        limits = []
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
                limits = [Limit(device: nil, value: try Quantity.parse(entries[0], metric: metric), given: entries[0])]
            } catch let e as SearchError {
                throw SearchError("\(option): \(e.message)")
            }
            return
        }
        guard !perDevice.contains(false) else {
            throw SearchError("\(option) '\(text)': mixes a plain value with DEVICE=VALUE pairs; use pairs for every device")
        }
        for entry in entries {
            let limit = try pair(entry)
            limits.append(limit)
        }
    }

    /// `pi4=20ms`, one entry of a per-device option.
    private func pair(_ entry: String) throws -> Limit {
        let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let device = parts[0], value = parts[1]
        guard !device.isEmpty else { throw SearchError("\(option) '\(entry)': missing device before '='") }
        guard !limits.contains(where: { $0.device == device }) else {
            throw SearchError("\(option) '\(text)': device '\(device)' is given twice")
        }
        do {
            return Limit(device: device, value: try Quantity.parse(value, metric: metric), given: value)
        } catch let e as SearchError {
            throw SearchError("\(option) '\(entry)': \(e.message)")
        }
    }

    /// The budgets on `devices`: a limit without a device applies to each of them; a named device must be one of them.
    public func budgets(devices: [String]) throws -> [Budget] {
        try limits.flatMap { limit -> [Budget] in
            guard let device = limit.device else {
                return devices.map { Budget(device: $0, metric: metric, limit: limit.value, given: limit.given) }
            }
            guard devices.contains(device) else {
                throw SearchError("\(option) '\(device)=\(limit.given)': device '\(device)' is not among --device (\(devices.joined(separator: ", ")))")
            }
            return [Budget(device: device, metric: metric, limit: limit.value, given: limit.given)]
        }
    }
}
