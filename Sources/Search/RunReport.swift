import Foundation
import NASArchitecture
import NASSupport

/// The human- and machine-readable views of a run's result: the top-candidates table, summary.md,
/// front.json and front.csv.
public struct RunReport: Sendable {
    public let configuration: SearchConfiguration
    public let result: SearchResult
    public let genome: Genome

    public init(configuration: SearchConfiguration, result: SearchResult, genome: Genome) {
        self.configuration = configuration; self.result = result; self.genome = genome
    }

    /// Five significant digits, cut rather than rounded, so that a value just under a budget does not print as the budget.
    private func number(_ v: Double?) -> String { v.map { Quantity.formatNumber($0, significant: 5, truncate: true) } ?? "n/a" }

    /// Up to `k` best feasible candidates: quality, every device's predicted latency, energy and memory,
    /// and the architecture file (relative to `directory` when given, else as written in the run).
    public func topTable(_ k: Int, directory: String? = nil) -> Table {
        var header = ["#", "candidate", "quality"]
        let uncalibrated = Set(configuration.uncalibratedDevices)
        for d in configuration.devices {
            for m in CostMetric.allCases {
                // Memory is tensor liveness either way; latency and energy are the roofline without a bundle.
                let mark = uncalibrated.contains(d) && m != .memory ? ", uncalibrated" : ""
                header.append("\(d) \(m.rawValue) (\(m.unit)\(mark))")
                if m == .latency, configuration.latencyBounds.isBounded(d) {
                    header.append("\(d) latency bound (\(m.unit), \(LatencyBounds.percent(configuration.latencyBounds.confidence)))")
                }
            }
        }
        header.append("architecture")
        let rows = result.top(k, genome: genome).enumerated().map { r, c -> [String] in
            var row = [String(r + 1), String(c.index), number(c.quality)]
            for d in configuration.devices {
                for m in CostMetric.allCases {
                    row.append(number(c.evaluation.costs[d]?[m]))
                    if m == .latency, configuration.latencyBounds.isBounded(d) {
                        row.append(number(configuration.latencyBounds.upperBound(c.evaluation.costs[d], device: d)))
                    }
                }
            }
            let file = SearchRun.architectureFile(c.index)
            row.append(directory.map { "\($0)/\(file)" } ?? file)
            return row
        }
        return Table(header: header, rows: rows, rightAligned: header.indices.map { $0 < header.count - 1 })
    }

    /// Counts and the best quality, in one line.
    public var headline: String {
        let unique = SearchResult.firstOfEachArchitecture(result.candidates, genome).count
        let best = result.bestFeasibleQuality.map { "best feasible quality \(Quantity.formatNumber($0))" } ?? "no feasible candidate"
        return "\(result.candidates.count) evaluations (\(unique) distinct architectures), \(result.feasibleCount) feasible, \(best), front of \(result.front.count)"
    }

    public func summaryMarkdown(directory: String, top: Int) -> String {
        let c = configuration
        var s = "# Search \((directory as NSString).lastPathComponent)\n\n"
        s += "- space: `\(c.space.name)` (\(c.spaceSource)), \(genome.genes.count) genes\n"
        s += "- devices: \(c.devices.joined(separator: ", "))\n"
        for d in c.uncalibratedDevices {
            s += "- **\(d) is uncalibrated** (\(c.estimatorIdentities[d]?["status"] ?? "no learnt predictor")): its costs are the analytic roofline, not learnt\n"
        }
        s += "- budgets: \(c.budgets.isEmpty ? "none" : c.budgets.map(\.description).joined(separator: "; "))\n"
        for line in c.latencyBudgetNotes { s += "- \(line)\n" }
        s += "- objectives: \(c.objectives.map(\.name).joined(separator: ", ")) (quality maximised, costs minimised)\n"
        s += "- quality: `\(c.quality)`\(c.qualityNote.map { " — \($0)" } ?? "")\n"
        s += "- algorithm: \(c.settings.algorithm.name), \(c.settings.evaluations) evaluations, seed \(c.settings.seed)\n"
        s += "- created: \(c.created)\n\n"
        s += "\(headline).\n\n"
        if let m = result.infeasibilityMessage { s += "**\(m)**\n\n" }
        if !result.front.isEmpty {
            s += "## Top candidates\n\n" + topTable(top).markdown + "\n"
            s += "## Feasible Pareto front\n\nIn front.csv and front.json; \(result.front.count) architectures over \(c.objectives.map(\.name).joined(separator: ", ")).\n"
        }
        return s
    }

    private var costColumns: [(device: String, metric: CostMetric)] {
        configuration.devices.flatMap { d in CostMetric.allCases.map { (d, $0) } }
    }

    public func frontCSV() -> String {
        var lines = [(["candidate", "quality"] + costColumns.map { "\($0.device)_\($0.metric.key)" }
            + ["macs", "params", "peak_memory_mib", "architecture_file", "genotype"]).joined(separator: ",")]
        for i in result.front {
            let c = result.candidates[i]
            let s = c.evaluation.summary
            var row = [String(c.index), c.quality.map { JSONValue.format($0) } ?? ""]
            row += costColumns.map { col in c.evaluation.costs[col.device]?[col.metric].map { JSONValue.format($0) } ?? "" }
            row += [String(s.macs), String(s.params), JSONValue.format(Double(s.peakMemoryBytes) / 1_048_576),
                    SearchRun.architectureFile(c.index), c.genotype.genes.map(String.init).joined(separator: " ")]
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func frontJSON() -> JSONValue {
        .object([
            "objectives": .array(configuration.objectives.map { .string($0.name) }),
            "budgets": .array(configuration.budgets.map { .string($0.description) }),
            "convention": "F lists the objectives in order, all minimised (quality negated); G = (predicted - limit) / limit <= 0",
            "candidates": .array(result.front.map { i in
                var o = result.candidates[i].jsonValue.objectValue!
                o["architecture_file"] = .string(SearchRun.architectureFile(i))
                return .object(o)
            }),
        ])
    }
}
