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
        try BudgetOption(parsing: text, metric: metric).budgets(devices: devices)
    }
}
