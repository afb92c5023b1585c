import Foundation
import Testing

/// Issue #11: a command that predicts for a device without a learnt predictor says so before any table.
@Suite struct UncalibratedWarningTests {
    @Test func searchOnAnUncalibratedDeviceWarnsAndMarksItsColumns() throws {
        let out = try NASBinary.temporaryFile("", name: "placeholder").deletingLastPathComponent()
        let r = try NASBinary.run(["search", "--device", "xu4,pi4", "--evaluations", "20", "--quality", "params", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let warnings = r.stderr.split(separator: "\n").filter { $0.hasPrefix("warning:") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("xu4 is uncalibrated (no measurements)") == true)
        #expect(r.stdout.contains("xu4 latency (ms, uncalibrated)") && r.stdout.contains("pi4 latency (ms)"))
        #expect(!r.stdout.contains("pi4 latency (ms, uncalibrated)"))
        // The run's own summary says so too, and so do later commands on the run.
        let runDir = try #require(try FileManager.default.contentsOfDirectory(atPath: out.path).first { $0.contains("xu4") })
        let summary = try String(contentsOfFile: out.path + "/" + runDir + "/summary.md", encoding: .utf8)
        #expect(summary.contains("**xu4 is uncalibrated**"))
        let show = try NASBinary.run(["show", out.path + "/" + runDir])
        #expect(show.stderr.contains("warning: xu4 is uncalibrated"))
    }

    @Test func calibratedDevicesPrintNoWarning() throws {
        let r = try NASBinary.run(["estimate", "SearchSpaces/zoo/alexnet.json", "--device", "pi4"])
        #expect(r.status == 0)
        #expect(!r.stderr.contains("warning:"))
    }

    @Test func aHostBundleFromAnotherMachineIsUncalibratedAndSaysWhy() throws {
        // A copy of the shipped host bundle whose profiles claim an ISA no machine has.
        let shipped = NASBinary.repoRoot.appendingPathComponent("Sources/Predictors/Resources/bundles/host")
        let root = try NASBinary.temporaryFile("", name: "placeholder").deletingLastPathComponent()
        let copy = root.appendingPathComponent("host")
        try FileManager.default.copyItem(at: shipped, to: copy)
        let manifest = copy.appendingPathComponent("manifest.json")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        #expect(text.contains("\"isa\": \"avx512_core_bf16\""))
        try text.replacingOccurrences(of: "\"isa\": \"avx512_core_bf16\"", with: "\"isa\": \"imaginary_isa\"")
            .write(to: manifest, atomically: true, encoding: .utf8)
        let r = try NASBinary.run(["estimate", "SearchSpaces/zoo/alexnet.json", "--device", "host"], environment: ["NAS_BUNDLES": root.path])
        #expect(r.status == 0, "\(r.stderr)")
        let warning = try #require(r.stderr.split(separator: "\n").first { $0.hasPrefix("warning: host is uncalibrated") })
        #expect(warning.contains("(recorded: imaginary_isa)") && warning.contains("nas calibrate --device host"))
        #expect(r.stdout.contains("roofline, uncalibrated"))
    }
}

@Suite struct LatencyBoundCLITests {
    @Test func aDamagedBoundInACalibrationFolderIsRefusedWithItsPath() throws {
        let shipped = NASBinary.repoRoot.appendingPathComponent("Sources/Predictors/Resources/bundles/host")
        let root = try NASBinary.temporaryFile("", name: "placeholder").deletingLastPathComponent()
        let copy = root.appendingPathComponent("host")
        try FileManager.default.copyItem(at: shipped, to: copy)
        let bound = copy.appendingPathComponent("network-bound.json").path
        try "{\"format_version\": 1, \"log_ratios\": [0.2, 0.1]}".write(toFile: bound, atomically: true, encoding: .utf8)
        let r = try NASBinary.run(["estimate", "SearchSpaces/zoo/alexnet.json", "--device", "host"], environment: ["NAS_BUNDLES": root.path])
        #expect(r.status != 0)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.contains(bound + ": corrupt network bound") == true, "\(r.stderr)")
    }

    @Test func searchSaysWhichBudgetsAreCheckedOnThePrediction() throws {
        let out = try NASBinary.temporaryFile("", name: "placeholder").deletingLastPathComponent()
        let r = try NASBinary.run(["search", "--device", "pi4,xu4", "--latency", "1s", "--evaluations", "10", "--quality", "params", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("note: pi4 latency budget checked on the 90 % upper bound: each layer's prediction × its kind's out-of-fold factor (conv2d ×"), "\(r.stderr)")
        #expect(r.stderr.contains("note: xu4 latency budget checked on the point prediction: no calibrated latency bound for xu4"), "\(r.stderr)")
        let zero = try NASBinary.run(["search", "--device", "pi4", "--latency", "1s", "--evaluations", "10", "--quality", "params",
                                      "--confidence", "0", "--out", out.path])
        #expect(zero.stderr.contains("--confidence 0: checked on the prediction"))
        for bad in ["1.5", "nan", "1"] {
            let b = try NASBinary.run(["search", "--device", "pi4", "--confidence", bad, "--out", out.path + "/never"])
            #expect(b.status != 0 && b.stderr.contains("--confidence must be 0 (no bound) or a level in (0, 1)"), "\(bad): \(b.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path + "/never"))
    }
}

@Suite struct CalibrateCommandTests {
    @Test func refusesOtherDevicesAndNonsenseBudgets() throws {
        for (args, expected) in [(["--device", "pi4"], "only the host can be calibrated"),
                                 (["--budget", "10s"], "--budget must be between 1m and 24h"),
                                 (["--threads", "0"], "threads"),
                                 (["--device", "tpu"], "unknown device 'tpu'")] {
            let r = try NASBinary.run(["calibrate"] + args + ["--out", "/nonexistent/never-written"])
            #expect(r.status != 0, "\(args)")
            #expect(r.stderr.contains(expected), "\(args): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "/nonexistent/never-written"))
        }
    }
}
