import NASSearch

/// A budget option: one value with a unit for every device (`20ms`), or `DEVICE=VALUE` pairs (`pi4=20ms,xu4=35ms`).
///
/// Units and the shape of the value are checked as the option is read, by the Search module's `BudgetOption`, so the
/// rules live in one place; whether the devices named are among `--device` is checked once both are read.
protocol BudgetArgument: ArgumentValue {
    static var metric: CostMetric { get }
    var parsed: BudgetOption { get }
    init(parsed: BudgetOption)
}

extension BudgetArgument {
    init(parsingArgument text: String) throws {
        let parsed = try ArgumentReason.reading(text, option: "--\(Self.metric.rawValue)") {
            try BudgetOption(parsing: $0, metric: Self.metric)
        }
        self.init(parsed: parsed)
    }

    func budgets(devices: DeviceList) throws -> [Budget] { try parsed.budgets(devices: devices.ids) }
}

/// `--latency 20ms|500us|0.02s`.
struct LatencyBudget: BudgetArgument {
    static let metric = CostMetric.latency
    let parsed: BudgetOption
}

/// `--energy 300mJ|0.5J`.
struct EnergyBudget: BudgetArgument {
    static let metric = CostMetric.energy
    let parsed: BudgetOption
}

/// `--memory 64MiB|1GiB`.
struct MemoryBudget: BudgetArgument {
    static let metric = CostMetric.memory
    let parsed: BudgetOption
}
