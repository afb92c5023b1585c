import ArgumentParser
import Foundation
import NASMeasurement
import NASPredictors
import NASSearch
import NASVerification

/// `nas verify`: benchmark a run's best candidates for real and compare with what the search predicted.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Benchmark a run's top feasible candidates and compare predictions with measurements.",
        discussion: """
            Each candidate is exported and measured end to end through the backend, the same way as `nas bench` \
            (warm-up, timed repeats, median and IQR). Results go to verify.jsonl (append-only; a re-run skips \
            candidates already measured) and verify.md/verify.html with scatter plots. The backend must measure the \
            device the run predicted: --backend host measures this machine, so it verifies runs searched with \
            --device host; an agent on the device verifies the others.
            """
    )

    @Argument(help: ArgumentHelp("Run folder.", valueName: "run")) var runDirectory: String
    @Option(help: "How many of the best feasible candidates to measure.") var top = 10
    @Option(help: "Also measure this many infeasible candidates closest to the budgets (false-infeasible check).") var infeasible = 0
    @Option(help: "host, or agent:'COMMAND …' (default: host).", transform: BackendArgument.parse) var backend = BackendArgument.host
    @Option(help: "The run's device whose predictions are checked (default: host for --backend host, else the run's first device).",
            transform: DeviceID.parse)
    var device: DeviceID?
    @Option(help: "Timed runs per network.") var repeats = 20
    @Option(help: "Untimed runs before timing.") var warmup = 3
    @Option(help: "CPU threads (default: the runtime's; use the thread count the device's predictor was profiled with).") var threads: Int?
    @Option(help: "Comma-separated profiling files the device's predictor was trained from, for the break-even point (default for host: every data/profiles/host*).",
            transform: PathList.parse)
    var profile: PathList?
    @Flag(name: .customLong("no-training-time"), help: "Do not retrain the predictor to time training.") var noTrainingTime = false
    @Option(help: "Bootstrap resamples for the error intervals.") var bootstrap = 2000

    func validate() throws {
        try OptionCheck.atLeast(1, top, "--top")
        try OptionCheck.atLeast(0, infeasible, "--infeasible")
        try OptionCheck.atLeast(100, bootstrap, "--bootstrap")
        _ = try OptionCheck.measurement(warmup: warmup, repeats: repeats, threads: threads)
        try OptionCheck.backend(backend.choice, canMeasure: device)
    }

    func run() throws {
        let run = try SearchRun.open(runDirectory)
        try run.claim(for: "nas verify")
        let choice = backend.choice
        let settings = try OptionCheck.measurement(warmup: warmup, repeats: repeats, threads: threads)
        let devices = run.configuration.devices
        let device = self.device?.id ?? (choice == .host ? "host" : devices[0])
        guard devices.contains(device) else {
            if choice == .host {
                throw SearchError("\(runDirectory) predicts for \(devices.joined(separator: ", ")), but --backend host measures this machine: search with --device host to verify here, or verify on the device through --backend agent:'…' --device \(devices[0])")
            }
            throw SearchError("--device \(device) is not among the run's devices (\(devices.joined(separator: ", ")))")
        }
        // The profiling files are read before measuring: a missing one fails at once, not after every candidate ran.
        let profilePaths = profile?.paths ?? (device == "host" ? Self.hostProfiles() : [])
        let durations = try profilePaths.map { try PredictorBuildCost.profilingSeconds(path: $0) }
        let profiling: Double? = profilePaths.isEmpty || durations.contains(where: { $0 == nil }) ? nil : durations.reduce(0) { $0 + $1! }
        let predictor = try PredictorCatalog.load(device: device)
        let backend = try choice.make()
        defer { (backend as? AgentBackend)?.close() }
        let verifier = Verifier(run: run, device: device, backend: backend, backendName: choice.description, settings: settings,
                                predictor: predictor)
        let selection = try verifier.selection(top: top, infeasible: infeasible)
        guard !selection.isEmpty else { throw SearchError("\(runDirectory) has no feasible candidate to verify") }
        _ = try verifier.log.read()  // a damaged verify.jsonl fails here, in one line, before the warning
        UncalibratedWarning.emit([predictor])
        let records = try verifier.verify(selection) { n, total, c in
            FileHandle.standardError.write(Data("[\(n + 1)/\(total)] measuring candidate \(c.index)\n".utf8))
        }

        var training: Double? = nil
        if !profilePaths.isEmpty, !noTrainingTime, let spec = DeviceSpec.named(device) {
            FileHandle.standardError.write(Data("timing a retraining of the \(device) predictor from \(profilePaths.joined(separator: ", "))\n".utf8))
            training = try PredictorBuildCost.trainingSeconds(device: spec, paths: profilePaths)
        }
        var report = VerifyReport(records: records, budgets: run.configuration.budgets.filter { $0.device == device },
                                  profilingSeconds: profiling, trainingSeconds: training, resamples: bootstrap,
                                  latencyBounds: run.configuration.latencyBounds)
        if choice == .host, run.configuration.latencyBounds.factors[device] != nil {
            FileHandle.standardError.write(Data("re-timing a network of the calibration set, for drift\n".utf8))
            report.drift = try CalibrationDrift.measure(predictor, backend: backend)
        }
        print(report.plain, terminator: "")
        let meta = records.first?.measurement.metadata
        let settingsText = [
            "run: `\(run.directory)`, device `\(device)` (\(predictor.status))",
            "backend: `\(choice.description)`" + (meta.map { ", \($0.cpuModel), \($0.library) \($0.libraryVersion), ISA \($0.isa), \($0.threads) threads" } ?? ""),
            "\(settings.warmup) warm-up and \(settings.repeats) timed runs per network; predictions as recorded by the search",
            "profiling files: " + (profilePaths.isEmpty ? "none" : profilePaths.map { "`\($0)`" }.joined(separator: ", ")),
        ]
        try report.write(directory: run.directory, title: "Verification of \((run.directory as NSString).lastPathComponent) on \(device)",
                         settings: settingsText)
        print("\nwrote \(run.directory)/verify.jsonl, verify.md, verify.html")
    }

    /// The host bundle is trained from every host profile in data/profiles (see docs/predictors.md).
    static func hostProfiles() -> [String] {
        let dir = "data/profiles"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir))?.filter { $0.hasPrefix("host") }.sorted() ?? []
        return files.map { "\(dir)/\($0)" }
    }
}
