import ArgumentParser
import Foundation
import NASAnalysis
import NASArchitecture
import NASSearch

/// `nas pareto`: fronts, hypervolume, statistics and cross-device agreement of a finished or partial run.
struct ParetoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pareto",
        abstract: "Analyse a run's Pareto fronts and write report.md, report.html and plots into it.",
        discussion: """
            Objectives are minimised internally (quality negated, pymoo's convention) and normalized to [0, 1] over the \
            analysed candidates. The hypervolume's reference point defaults to 1.1 in every normalized objective and is \
            always printed; --reference-point gives it in natural units, one value per objective in order (quality as \
            scored). --reference-front takes another run folder or a front.csv for IGD+.
            """
    )

    @Argument(help: ArgumentHelp("Run folder (Runs/<timestamp>-<slug>).", valueName: "run")) var runDirectory: String
    @Option(help: "Comma-separated objectives: quality and DEVICE.METRIC (default: the run's).") var objectives: String?
    @Option(name: .customLong("reference-point"), parsing: .unconditional, help: "Hypervolume reference point, natural units, comma-separated.",
            transform: NumberList.parse)
    var referencePoint: NumberList?
    @Option(name: .customLong("reference-front"), help: "Run folder or front.csv to compute IGD+ against.") var referenceFront: String?
    @Option(help: "Bootstrap resamples for the correlation intervals.") var bootstrap = 1000
    @Option(help: "Seed of the bootstrap.") var seed: UInt = 1
    @Flag(name: .customLong("no-report"), help: "Print only; do not write report files.") var noReport = false

    func validate() throws {
        try OptionCheck.atLeast(100, bootstrap, "--bootstrap")
    }

    func run() throws {
        let searchRun = try SearchRun.open(runDirectory)
        if !noReport { try searchRun.claim(for: "nas pareto") }
        let candidates = try searchRun.candidates(repair: false)
        let config = searchRun.configuration
        let chosen = try objectives.map { try Objective.parse($0, devices: config.devices) } ?? config.objectives
        var options = ParetoAnalysis.Options()
        options.referencePoint = referencePoint?.values
        if let path = referenceFront { options.referenceFront = try ReferenceFront.load(path, objectives: chosen) }
        let analysis = try ParetoAnalysis(candidates: candidates, objectives: chosen, options: options)
        let agreement = config.devices.count > 1
            ? DeviceAgreement(candidates: candidates, devices: config.devices, resamples: bootstrap, seed: seed) : nil
        let report = ParetoReport(analysis: analysis, agreement: agreement)
        UncalibratedWarning.emit(config)
        print(report.plain, terminator: "")
        guard !noReport else { return }
        var writer = RunReportWriter(directory: searchRun.directory, title: "Pareto analysis of \((searchRun.directory as NSString).lastPathComponent)")
        writer.section("Settings", .bullets(RunSettings.lines(config)))
        report.addSections(to: &writer)
        RunPlots.add(to: &writer, candidates: candidates, config: config, analysis: analysis)
        let written = try writer.write()
        print("\nwrote \(written.filter { $0.hasSuffix(".md") || $0.hasSuffix(".html") }.joined(separator: ", ")) and \(written.count - 2) plots")
    }
}

/// A reference front for IGD+: another run's feasible first front, or a CSV whose columns are named like front.csv's.
enum ReferenceFront {
    static func load(_ path: String, objectives: [Objective]) throws -> [[Double]] {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            let other = try SearchRun.open(path)
            let analysis = try ParetoAnalysis(candidates: try other.candidates(repair: false), objectives: objectives)
            guard !analysis.firstFront.isEmpty else { throw SearchError("\(path): the run has no feasible front under \(objectives.map(\.name).joined(separator: ","))") }
            return analysis.firstFront.map { analysis.F[$0] }
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw SearchError("\(path): cannot read file") }
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else {
            throw SearchError("\(path): empty file")
        }
        let columns = try objectives.map { o -> Int in
            guard let c = header.firstIndex(of: o.column) else {
                throw SearchError("\(path): no column '\(o.column)' for objective \(o.name) (columns: \(header.joined(separator: ", ")))")
            }
            return c
        }
        var front: [[Double]] = []
        for (n, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            front.append(try zip(objectives, columns).map { o, c in
                guard c < cells.count, let v = Double(cells[c]) else {
                    throw SearchError("\(path):\(n + 2): column '\(o.column)' is not a number")
                }
                return o.flip(v)
            })
        }
        guard !front.isEmpty else { throw SearchError("\(path): no rows") }
        return front
    }
}

/// The settings section shared by `pareto` and `explore` reports.
enum RunSettings {
    /// The Settings section's bullet lines.
    static func lines(_ c: SearchConfiguration) -> [String] {
        var lines = [
            "space: `\(c.space.name)` (\(c.spaceSource))",
            "devices: \(c.devices.joined(separator: ", "))",
            "budgets: " + (c.budgets.isEmpty ? "none" : c.budgets.map(\.description).joined(separator: "; ")),
            "objectives: \(c.objectives.map(\.name).joined(separator: ", ")) (quality maximised, costs minimised)",
            "quality: `\(c.quality.description)`" + (c.qualityNote.map { " — \($0)" } ?? ""),
            "algorithm: \(c.settings.algorithm.name), \(c.settings.evaluations) evaluations, seed \(c.settings.seed)",
            "created: \(c.created)",
        ]
        for d in c.devices {
            if let id = c.estimatorIdentities[d], let status = id["status"] { lines.append("predictor \(d): \(status)") }
        }
        return lines
    }
}

/// The plots every run report carries.
enum RunPlots {
    /// `fronts` and `feasibility` override, per device, the front drawn and which candidates count as feasible
    /// (in multi-device runs each device's plot uses its own budgets).
    static func add(to writer: inout RunReportWriter, candidates: [Candidate], config: SearchConfiguration, analysis: ParetoAnalysis,
                    fronts: [String: [Candidate]] = [:], feasibility: [String: @Sendable (Candidate) -> Bool] = [:]) {
        let qualityName = config.quality.description
        var costs: [Objective] = config.devices.map { .cost(device: $0, metric: .latency) }
        for o in analysis.objectives where !costs.contains(o) { if case .cost = o { costs.append(o) } }
        for b in config.budgets where !costs.contains(.cost(device: b.device, metric: b.metric)) {
            costs.append(.cost(device: b.device, metric: b.metric))
        }
        for cost in costs {
            guard case .cost(let device, let metric) = cost else { continue }
            let front = fronts[device] ?? TradeOffs.along(analysis.candidates, cost: cost).front
            let budget = config.budgets.first { $0.device == device && $0.metric == metric }
            let uncalibrated = config.estimatorIdentities[device]?["calibrated"] == "false"
            writer.plot("quality-vs-\(device)-\(metric.rawValue)",
                        caption: "Quality vs predicted \(device) \(metric.rawValue); the feasible quality-vs-\(metric.rawValue) front in red"
                            + (budget.map { ", budget \($0.description) dashed" } ?? "")
                            + (uncalibrated ? "; \(device) is uncalibrated: roofline estimate, no measurements" : ""),
                        Plots.qualityVsCost(candidates, cost: cost, front: front, budget: budget, qualityName: qualityName,
                                            isFeasible: feasibility[device] ?? { $0.isFeasible },
                                            note: uncalibrated ? "uncalibrated (roofline)" : nil))
        }
        for i in config.devices.indices {
            for j in config.devices.indices where j > i {
                let (a, b) = (config.devices[i], config.devices[j])
                writer.plot("latency-\(a)-vs-\(b)", caption: "Predicted latency of the same architectures on \(a) and \(b)",
                            Plots.deviceVsDevice(candidates, a: a, b: b, metric: .latency))
            }
        }
        if !analysis.hypervolumeHistory.isEmpty {
            writer.plot("hypervolume", caption: "Hypervolume of the feasible front over \(analysis.objectives.map(\.name).joined(separator: ", ")) as evaluations accumulate",
                        Plots.hypervolumeHistory(analysis.hypervolumeHistory, reference: analysis.normalizedReferencePoint))
        }
    }
}
