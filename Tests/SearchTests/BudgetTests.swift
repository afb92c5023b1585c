import Testing
@testable import NASSearch

@Suite struct BudgetTests {
    func error(_ text: String, _ metric: CostMetric = .latency, devices: [String] = ["pi4", "xu4"]) -> String {
        do { _ = try Budget.parse(text, metric: metric, devices: devices); return "no error" } catch { return "\(error)" }
    }

    @Test func unitsConvertToTheMetricUnit() throws {
        #expect(try Quantity.parse("20ms", metric: .latency) == 20)
        #expect(try Quantity.parse("500us", metric: .latency) == 0.5)
        #expect(try Quantity.parse("500µs", metric: .latency) == 0.5)
        #expect(try Quantity.parse("0.02s", metric: .latency) == 20)
        #expect(try Quantity.parse("20 ms", metric: .latency) == 20)
        #expect(try Quantity.parse("0.5J", metric: .energy) == 500)
        #expect(try Quantity.parse("300mJ", metric: .energy) == 300)
        #expect(try Quantity.parse("64MiB", metric: .memory) == 64)
        #expect(try Quantity.parse("1GiB", metric: .memory) == 1024)
        #expect(try Quantity.parse("512KiB", metric: .memory) == 0.5)
    }

    @Test func oneValueAppliesToEveryDevice() throws {
        let b = try Budget.parse("20ms", metric: .latency, devices: ["pi4", "xu4"])
        #expect(b.map(\.device) == ["pi4", "xu4"])
        #expect(b.allSatisfy { $0.limit == 20 && $0.metric == .latency && $0.given == "20ms" })
    }

    @Test func perDeviceValues() throws {
        let b = try Budget.parse("pi4=20ms,xu4=35ms", metric: .latency, devices: ["pi4", "xu4"])
        #expect(b.map(\.device) == ["pi4", "xu4"])
        #expect(b.map(\.limit) == [20, 35])
        #expect(try Budget.parse("xu4=0.5J", metric: .energy, devices: ["pi4", "xu4"]).map(\.limit) == [500])
    }

    @Test func malformedBudgetsSayWhatAndWhere() {
        #expect(error("20") == "--latency: '20' has no unit (use us, ms, s, e.g. 20ms)")
        #expect(error("-5ms") == "--latency: '-5ms' is negative; a budget must be positive")
        #expect(error("20 parsecs") == "--latency: '20 parsecs' has unknown unit 'parsecs' for latency (use us, ms, s)")
        #expect(error("0ms") == "--latency: '0ms' is zero; a budget must be positive")
        #expect(error("ms") == "--latency: 'ms' is not a number followed by a unit (e.g. 20ms)")
        #expect(error("1e3ms") == "--latency: '1e3ms' has unknown unit 'e3ms' for latency (use us, ms, s)")
        #expect(error("1.2.3ms") == "--latency: '1.2.3ms' is not a number followed by a unit (e.g. 20ms)")
        #expect(error("20ms", .energy) == "--energy: '20ms' has unknown unit 'ms' for energy (use uJ, mJ, J)")
        #expect(error("64MB", .memory) == "--memory: '64MB' has unknown unit 'MB' for memory (use B, KiB, MiB, GiB; memory takes binary units)")
        #expect(error("a100=20ms") == "--latency 'a100=20ms': device 'a100' is not among --device (pi4, xu4)")
        #expect(error("pi4=20ms,pi4=30ms") == "--latency 'pi4=20ms,pi4=30ms': device 'pi4' is given twice")
        #expect(error("pi4=20") == "--latency 'pi4=20': '20' has no unit (use us, ms, s, e.g. 20ms)")
        #expect(error("pi4=20ms,35ms") == "--latency 'pi4=20ms,35ms': mixes a plain value with DEVICE=VALUE pairs; use pairs for every device")
        #expect(error("20ms,30ms") == "--latency '20ms,30ms': give one value for every device, or DEVICE=VALUE pairs")
        #expect(error("pi4=20ms,") == "--latency 'pi4=20ms,': empty entry (write 20ms or pi4=20ms,xu4=35ms)")
        #expect(error("=20ms") == "--latency '=20ms': missing device before '='")
    }

    /// The command line reads a budget option before it knows the devices, and checks them once it does.
    @Test func optionReadBeforeTheDevices() throws {
        let perDevice = try BudgetOption(parsing: "pi4=20ms,xu4=35ms", metric: .latency)
        #expect(perDevice.limits.map(\.device) == ["pi4", "xu4"])
        #expect(try perDevice.budgets(devices: ["xu4", "pi4"]).map(\.limit) == [20, 35])
        #expect(throws: SearchError("--latency 'xu4=35ms': device 'xu4' is not among --device (pi4)")) {
            try perDevice.budgets(devices: ["pi4"])
        }
        let everyDevice = try BudgetOption(parsing: "64MiB", metric: .memory)
        #expect(everyDevice.limits.map(\.device) == [nil])
        #expect(try everyDevice.budgets(devices: ["pi4", "xu4"]).map(\.name) == ["pi4.memory", "xu4.memory"])
        #expect(throws: SearchError("--memory: '64MB' has unknown unit 'MB' for memory (use B, KiB, MiB, GiB; memory takes binary units)")) {
            try BudgetOption(parsing: "64MB", metric: .memory)
        }
    }

    @Test func objectives() throws {
        let o = try Objective.parse("quality,pi4.latency,xu4.energy", devices: ["pi4", "xu4"])
        #expect(o == [.quality, .cost(device: "pi4", metric: .latency), .cost(device: "xu4", metric: .energy)])
        #expect(o.map(\.column) == ["quality", "pi4_latency_ms", "xu4_energy_mj"])
        #expect(throws: SearchError("--objectives 'a100.latency': device 'a100' is not among --device (pi4, xu4)")) {
            try Objective.parse("quality,a100.latency", devices: ["pi4", "xu4"])
        }
        #expect(throws: SearchError("--objectives 'pi4.speed': unknown metric 'speed' (use latency, energy or memory)")) {
            try Objective.parse("pi4.speed", devices: ["pi4"])
        }
        #expect(throws: SearchError("--objectives 'accuracy': write quality or DEVICE.METRIC (e.g. pi4.latency)")) {
            try Objective.parse("accuracy", devices: ["pi4"])
        }
        #expect(throws: SearchError("--objectives 'quality,quality': 'quality' is given twice")) {
            try Objective.parse("quality,quality", devices: ["pi4"])
        }
    }

    @Test func defaults() {
        let b = [Budget(device: "pi4", metric: .latency, limit: 20, given: "20ms")]
        #expect(SearchDefaults.objectives(devices: ["pi4"], budgets: b) == [.quality, .cost(device: "pi4", metric: .latency)])
        #expect(SearchDefaults.algorithm(devices: ["pi4"], budgets: b, explicitObjectives: nil).name == "evolution")
        #expect(SearchDefaults.algorithm(devices: ["pi4", "xu4"], budgets: [], explicitObjectives: nil).name == "nsga2")
        #expect(SearchDefaults.algorithm(devices: ["pi4"], budgets: b, explicitObjectives: [.quality, .cost(device: "pi4", metric: .energy)]).name == "nsga2")
    }

    @Test func constraintsFollowPymoo() throws {
        let b = Budget(device: "pi4", metric: .latency, limit: 20, given: "20ms")
        #expect(b.violation(10) == -0.5)
        #expect(b.violation(30) == 0.5)
        #expect(b.violation(nil) == nil)
    }
}

@Suite struct FormattingTests {
    @Test func numbers() {
        #expect(Quantity.formatNumber(19.99996, significant: 5) == "20")
        #expect(Quantity.formatNumber(19.99996, significant: 5, truncate: true) == "19.999")
        #expect(Quantity.formatNumber(0.5) == "0.5")
        #expect(Quantity.formatNumber(1234.5678) == "1235")
        #expect(Quantity.format(20, .latency) == "20 ms")
    }
}
