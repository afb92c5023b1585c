import ArgumentParser
import Testing
@testable import NASCommands

/// Options checked against each other in `validate()`, before `run()` creates any file.
@Suite struct CommandValidationTests {
    /// The message `nas` prints for `arguments`, or "no error" when they parse and validate.
    func message<C: ParsableCommand>(_ command: C.Type, _ arguments: [String]) -> String {
        do { _ = try C.parse(arguments); return "no error" } catch { return C.message(for: error) }
    }

    @Test func resumeTakesTheRunsOwnSettings() throws {
        #expect(message(SearchCommand.self, ["--resume", "Runs/x", "--seed", "5"])
            == "--resume continues Runs/x with the settings in its config.json; drop --seed")
        #expect(message(SearchCommand.self, ["--resume", "Runs/x", "--device", "pi4", "--latency", "20ms"])
            == "--resume continues Runs/x with the settings in its config.json; drop --device")
        #expect(message(SearchCommand.self, ["--resume", "Runs/x", "--jobs", "2", "--top", "3", "--out", "/tmp"]) == "no error")
    }

    @Test func searchChecksItsOptionsTogether() {
        #expect(message(SearchCommand.self, ["--device", "pi4", "--jobs", "0"]) == "--jobs must be at least 1, got 0")
        #expect(message(SearchCommand.self, ["--device", "pi4", "--top", "0"]) == "--top must be at least 1, got 0")
        #expect(message(SearchCommand.self, ["--latency", "20ms"]) == "--device is required (e.g. --device pi4)")
        #expect(message(SearchCommand.self, ["--device", "pi4", "--evaluations", "0"]) == "--evaluations must be at least 1, got 0")
        #expect(message(SearchCommand.self, ["--device", "pi4", "--latency", "xu4=20ms"])
            == "--latency 'xu4=20ms': device 'xu4' is not among --device (pi4)")
        #expect(message(SearchCommand.self, ["--device", "pi4", "--objectives", "quality,xu4.latency"])
            == "--objectives 'xu4.latency': device 'xu4' is not among --device (pi4)")
        #expect(message(SearchCommand.self, ["--device", "pi4", "--algorithm", "nsga2", "--sample-size", "4"])
            == "--sample-size applies to evolution only")
        #expect(message(SearchCommand.self, ["--device", "pi4", "--algorithm", "random", "--population", "8"])
            == "--population and --sample-size do not apply to random search")
        #expect(message(SearchCommand.self, ["--device", "pi4", "--quality-timeout", "5"])
            == "--quality-timeout applies to --quality external:COMMAND only")
        #expect(message(SearchCommand.self, ["--device", "pi4", "--quality", "external:true", "--quality-timeout", "nan"])
            == "--quality-timeout must be a finite number of seconds above 0 and at most 1000000, got nan")
        #expect(message(SearchCommand.self, ["--device", "pi4", "--latency", "20ms", "--population", "1"])
            == "evolution population must be at least 2, got 1")
    }

    /// A bad value fails as the option is read, in one line naming the option, the value and the reason.
    @Test func badValuesNameTheOption() {
        #expect(message(SearchCommand.self, ["--device", "pi4,pi4"])
            == "The value 'pi4,pi4' is invalid for '--device <device>': device 'pi4' is given twice")
        #expect(message(SearchCommand.self, ["--device", "pi4", "--latency", "20"])
            == "The value '20' is invalid for '--latency <latency>': '20' has no unit (use us, ms, s, e.g. 20ms)")
        #expect(message(SearchCommand.self, ["--device", "pi4", "--algorithm", "genetic"])
            == "The value 'genetic' is invalid for '--algorithm <algorithm>'. Please provide one of 'random', 'evolution' or 'nsga2'.")
        #expect(message(ProfileCommand.self, ["--out", "/tmp/p.jsonl", "--time-budget", "soon"])
            == "The value 'soon' is invalid for '--time-budget <time-budget>': time budget 'soon' is not like 30m, 2h, 1h30m or 90s")
        #expect(message(TrainCommand.self, ["--device", "pi5"])
            == "The value 'pi5' is invalid for '--device <device>': unknown device 'pi5' (known: a100, k80, gtx980ti, xeon, i7, pi4, xu4, host)")
    }

    @Test func exploreTakesTheOldSpellingOfDevice() throws {
        #expect(try ExploreCommand.parse(["--devices", "pi4,xu4"]).device?.ids == ["pi4", "xu4"])
        #expect(try ExploreCommand.parse(["--device", "pi4,xu4"]).device?.ids == ["pi4", "xu4"])
        #expect(message(ExploreCommand.self, ["--device", "pi4,xu4", "--devices", "pi4,xu4"])
            == "give --device once (--devices is its old spelling)")
        #expect(message(ExploreCommand.self, ["--devices", "pi4"]) == "--device needs at least two devices to compare (got pi4)")
        #expect(message(ExploreCommand.self, []) == "--device is required (e.g. --device pi4,xu4)")
        #expect(message(ExploreCommand.self, ["--device", "pi4,xu4", "--bootstrap", "99"]) == "--bootstrap must be at least 100, got 99")
        #expect(message(ExploreCommand.self, ["--device", "pi4,xu4", "--population", "2"]) == "NSGA-II population must be at least 4, got 2")
    }

    @Test func measuringCommandsCheckRangesAndTheBackend() {
        #expect(message(BenchCommand.self, ["a.json", "--timeout", "0"]) == "--timeout must be a finite number of seconds above 0 and at most 1000000, got 0.0")
        #expect(message(BenchCommand.self, ["a.json", "--repeats", "0"]) == "repeats must be within 1...1000000, got 0")
        // Hostile numbers are refused before anything is allocated or a thread started.
        #expect(message(BenchCommand.self, ["a.json", "--repeats", "1000000000000"]) == "repeats must be within 1...1000000, got 1000000000000")
        #expect(message(BenchCommand.self, ["a.json", "--threads", "100000"]).hasPrefix("threads must be within 1..."))
        for bad in ["nan", "inf", "1e300", "-1"] {
            #expect(message(BenchCommand.self, ["a.json", "--timeout=\(bad)"]).hasPrefix("--timeout must be a finite number of seconds above 0 and at most 1000000"), "\(bad)")
        }
        #expect(message(ProfileCommand.self, ["--out", "p.jsonl", "--limit", "0"]) == "--limit must be at least 1, got 0")
        #expect(message(VerifyCommand.self, ["Runs/x", "--top", "0"]) == "--top must be at least 1, got 0")
        #expect(message(VerifyCommand.self, ["Runs/x", "--infeasible=-1"]) == "--infeasible must be at least 0, got -1")
        #expect(message(VerifyCommand.self, ["Runs/x", "--device", "pi4"])
            == "--backend host measures this machine, not pi4; use --device host, or an agent running on pi4")
        #expect(message(ValidateCommand.self, ["--device", "xu4"])
            == "--backend host measures this machine, not xu4; use --device host, or an agent running on xu4")
        #expect(message(ValidateCommand.self, ["--device", "xu4", "--backend", "agent:ssh xu4 nas agent"]) == "no error")
        #expect(message(ParetoCommand.self, ["Runs/x", "--bootstrap", "10"]) == "--bootstrap must be at least 100, got 10")
        #expect(message(ShowCommand.self, ["Runs/x", "--top", "0"]) == "--top must be at least 1, got 0")
        #expect(message(ExportCommand.self, ["Runs/x", "--candidate=-1"]) == "--candidate must be at least 0, got -1")
        // Below 8 the reduced input shrinks to nothing; `--resolution 0` used to run until killed.
        #expect(message(SynflowAgreementCommand.self, ["--resolution", "0"]) == "--resolution must be at least 8, got 0")
    }

    @Test func defaultsReadAsBefore() throws {
        let profile = try ProfileCommand.parse(["--out", "p.jsonl", "--time-budget", "1h30m"])
        #expect(profile.batches.sizes == [1, 16] && profile.backend == .host && profile.timeBudget?.seconds == 5400)
        let validate = try ValidateCommand.parse([])
        #expect(validate.device == .host && validate.networks == .zoo && validate.batches.sizes == [1, 16])
        let explore = try ExploreCommand.parse(["--device", "pi4,xu4"])
        #expect(explore.quality.spec == .synflow(resolution: 112))
    }
}
