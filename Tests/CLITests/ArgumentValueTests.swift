import NASMeasurement
import NASSearch
import Testing
@testable import NASCommands

/// Each argument type reads its good forms and rejects bad ones with a reason that names the problem.
@Suite struct ArgumentValueTests {
    /// The reason a type gives for `text`, or "no error".
    func reason<T: ArgumentValue>(_ type: T.Type, _ text: String) -> String {
        do { _ = try T(parsingArgument: text); return "no error" } catch { return "\(error)" }
    }

    @Test func deviceIDs() throws {
        #expect(try DeviceID(parsingArgument: "pi4").id == "pi4")
        #expect(try DeviceID(parsingArgument: "host") == .host)
        #expect(reason(DeviceID.self, "pi5") == "unknown device 'pi5' (known: a100, k80, gtx980ti, xeon, i7, pi4, xu4, host)")
        #expect(DeviceID(argument: "pi5") == nil)
    }

    @Test func deviceLists() throws {
        #expect(try DeviceList(parsingArgument: "pi4,xu4,a100").ids == ["pi4", "xu4", "a100"])
        #expect(reason(DeviceList.self, "pi4,pi4") == "device 'pi4' is given twice")
        #expect(reason(DeviceList.self, "pi4,") == "empty device id (write ids separated by commas, e.g. pi4,xu4)")
        #expect(reason(DeviceList.self, "") == "empty device id (write ids separated by commas, e.g. pi4,xu4)")
        #expect(reason(DeviceList.self, "pi 4").hasPrefix("unknown device 'pi 4' (known: "))
    }

    @Test func budgetsKeepTheSearchModulesRulesWithoutRepeatingTheOption() throws {
        let latency = try LatencyBudget(parsingArgument: "20ms")
        #expect(try latency.budgets(devices: DeviceList(parsingArgument: "pi4,xu4")).map(\.name) == ["pi4.latency", "xu4.latency"])
        let energy = try EnergyBudget(parsingArgument: "pi4=0.5J,xu4=300mJ")
        #expect(energy.parsed.limits.map(\.value) == [500, 300])
        #expect(try MemoryBudget(parsingArgument: "1GiB").parsed.limits.map(\.value) == [1024])
        #expect(reason(LatencyBudget.self, "20") == "'20' has no unit (use us, ms, s, e.g. 20ms)")
        #expect(reason(LatencyBudget.self, "20ms,30ms") == "give one value for every device, or DEVICE=VALUE pairs")
        #expect(reason(LatencyBudget.self, "pi4=20ms,xu4=20") == "'xu4=20': '20' has no unit (use us, ms, s, e.g. 20ms)")
        #expect(reason(EnergyBudget.self, "20ms") == "'20ms' has unknown unit 'ms' for energy (use uJ, mJ, J)")
        #expect(reason(MemoryBudget.self, "64MB") == "'64MB' has unknown unit 'MB' for memory (use B, KiB, MiB, GiB; memory takes binary units)")
        #expect(throws: SearchError("--latency 'a100=20ms': device 'a100' is not among --device (pi4)")) {
            try LatencyBudget(parsingArgument: "a100=20ms").budgets(devices: DeviceList(parsingArgument: "pi4"))
        }
    }

    @Test func timeSpans() throws {
        #expect(try TimeSpan(parsingArgument: "2m").seconds == 120)
        #expect(try TimeSpan(parsingArgument: "90s").seconds == 90)
        #expect(try TimeSpan(parsingArgument: "1h30m").seconds == 5400)
        #expect(try TimeSpan(parsingArgument: "45").seconds == 45)
        #expect(try TimeSpan(parsingArgument: "1h30m").description == "1h30m")
        #expect(reason(TimeSpan.self, "3 days") == "time budget '3 days' has unknown unit ' ' (use h, m or s)")
        #expect(reason(TimeSpan.self, "0m") == "time budget '0m' must be positive")
        #expect(reason(TimeSpan.self, "500ms") == "time budget '500ms' is not like 30m, 2h, 1h30m or 90s")
    }

    @Test func batchSizes() throws {
        #expect(try BatchSizes(parsingArgument: "1,16").sizes == [1, 16])
        #expect(try BatchSizes(parsingArgument: "4, 8").sizes == [4, 8])
        #expect(reason(BatchSizes.self, "1,0") == "'0' is not a positive integer")
        #expect(reason(BatchSizes.self, "1,x") == "'x' is not a positive integer")
        #expect(reason(BatchSizes.self, "1,,2") == "'' is not a positive integer")
    }

    @Test func numberLists() throws {
        #expect(try NumberList(parsingArgument: "1,-2.5, 3").values == [1, -2.5, 3])
        #expect(reason(NumberList.self, "1,a") == "'a' is not a number")
        #expect(reason(NumberList.self, "inf") == "'inf' is not a number")
    }

    @Test func fileLists() throws {
        #expect(try PathList(parsingArgument: "a.jsonl,b/c.jsonl").paths == ["a.jsonl", "b/c.jsonl"])
        #expect(reason(PathList.self, "a,,b") == "empty file name (write files separated by commas)")
        #expect(try NetworkSelection(parsingArgument: "zoo").paths.count == 4)
        #expect(try NetworkSelection(parsingArgument: "zoo").paths.allSatisfy { $0.hasPrefix("SearchSpaces/zoo/") })
        #expect(try NetworkSelection(parsingArgument: "x.json,y.json").paths == ["x.json", "y.json"])
    }

    @Test func backends() throws {
        #expect(try BackendArgument(parsingArgument: "host") == .host)
        #expect(try BackendArgument(parsingArgument: "agent:ssh pi nas agent").choice == .agent(command: "ssh pi nas agent"))
        #expect(reason(BackendArgument.self, "foo") == "unknown backend 'foo' (use host or agent:'COMMAND …')")
        #expect(reason(BackendArgument.self, "agent:") == "agent: needs a command, e.g. agent:'ssh pi@raspberrypi nas agent'")
    }

    @Test func qualities() throws {
        #expect(try QualityArgument(parsingArgument: "params").spec == .params)
        #expect(try QualityArgument(parsingArgument: "synflow:64").spec == .synflow(resolution: 64))
        #expect(QualityArgument.synflow.spec == (try QualitySpec.parse("synflow")))
        let external = try QualityArgument(parsingArgument: "external:python3 score.py")
        #expect(external.isExternal && !QualityArgument.synflow.isExternal)
        #expect(external.timed(5) == .external(command: "python3 score.py", timeoutSeconds: 5))
        #expect(reason(QualityArgument.self, "synflow:3") == "synflow resolution must be 'full' or an integer ≥ 8")
        #expect(reason(QualityArgument.self, "external:") == "the command is missing")
        #expect(reason(QualityArgument.self, "accuracy").hasPrefix("unknown estimator (use params, flops"))
    }

    @Test func algorithms() {
        #expect(AlgorithmArgument.allValueStrings == ["random", "evolution", "nsga2"])
        for name in AlgorithmArgument.allValueStrings { #expect(AlgorithmArgument(argument: name)?.defaults.name == name) }
        #expect(AlgorithmArgument(argument: "evolution")?.defaults == .defaultEvolution)
        #expect(AlgorithmArgument(argument: "genetic") == nil)
    }

    /// The lead naming the option is dropped (the argument parser's line names it), a lead naming an entry is kept.
    @Test func reasonsDropTheOptionButKeepTheEntry() {
        let value = "pi4=20ms,xu4=20"
        #expect(ArgumentReason(SearchError("--latency '\(value)': device 'pi4' is given twice"), option: "--latency", value: value)
            .description == "device 'pi4' is given twice")
        #expect(ArgumentReason(SearchError("--latency: '20' has no unit"), option: "--latency", value: "20").description == "'20' has no unit")
        #expect(ArgumentReason(SearchError("--latency 'xu4=20': '20' has no unit"), option: "--latency", value: value)
            .description == "'xu4=20': '20' has no unit")
        #expect(ArgumentReason(SearchError("unknown thing"), option: "--latency", value: "x").description == "unknown thing")
    }
}
