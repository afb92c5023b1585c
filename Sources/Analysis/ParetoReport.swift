import Foundation
import NASSearch
import NASStatistics
import NASSupport

/// The tables of `nas pareto` and `nas explore`, built once and rendered for the terminal and the report.
public struct ParetoReport {
    public var analysis: ParetoAnalysis
    public var agreement: DeviceAgreement?
    /// Quality-vs-cost trade-offs, one per cost objective.
    public var tradeOffs: [(cost: Objective, steps: [TradeOffStep])]

    public init(analysis: ParetoAnalysis, agreement: DeviceAgreement?) {
        self.analysis = analysis
        self.agreement = agreement
        tradeOffs = []
        if analysis.objectives.contains(.quality) {
            for o in analysis.objectives { if case .cost = o {
                tradeOffs.append((o, TradeOffs.along(analysis.candidates, cost: o).steps))
            } }
        }
    }

    static func n(_ v: Double, _ digits: Int = 4) -> String { Quantity.formatNumber(v, significant: digits) }

    public var countsLine: String {
        let a = analysis
        return "\(a.evaluated) evaluations: \(a.candidates.count) distinct feasible architectures with every objective known, "
            + "\(a.infeasible) infeasible, \(a.unknown) with an unknown objective, \(a.duplicates) repeats; "
            + "\(a.fronts.count) non-dominated fronts, the first of \(a.firstFront.count)"
    }

    public var hypervolumeLines: [String] {
        let a = analysis
        guard !a.candidates.isEmpty else {
            return ["no front and no hypervolume: no feasible architecture has every objective known"
                    + (a.infeasible > 0 ? " (\(a.infeasible) evaluated architectures break a budget; see `nas show` for how far)" : "")]
        }
        var lines: [String] = []
        var hv = "hypervolume \(ParetoReport.n(a.hypervolume.value, 6)) (\(a.hypervolume.method)"
        if a.hypervolume.standardError > 0 { hv += ", standard error \(ParetoReport.n(a.hypervolume.standardError, 3))" }
        hv += ") of the first front, objectives normalized to [0, 1] over the analysed candidates, all minimised (quality negated)"
        lines.append(hv)
        let names = a.objectives.map(\.name)
        lines.append("reference point: normalized [\(a.normalizedReferencePoint.map { ParetoReport.n($0) }.joined(separator: ", "))] = "
                     + zip(names, zip(a.objectives, a.referencePoint)).map { "\($0) \(ParetoReport.n($1.0.flip($1.1)))" }.joined(separator: ", "))
        lines.append("normalization: " + a.objectives.indices.map { k in
            let lo = a.objectives[k].flip(a.normalization.ideal[k]), hi = a.objectives[k].flip(a.normalization.nadir[k])
            return "\(names[k]) \(ParetoReport.n(lo))→\(ParetoReport.n(hi))"
        }.joined(separator: ", ") + " (0 → 1)")
        if let igd = a.igdPlus { lines.append("IGD+ against the reference front: \(ParetoReport.n(igd, 4)) (normalized units; 0 = covers it)") }
        return lines
    }

    public func frontTable(limit: Int = 50) -> Table {
        let a = analysis
        let front = a.firstFront.sorted { a.F[$0].lexicographicallyPrecedes(a.F[$1]) }
        let crowd = Dictionary(uniqueKeysWithValues: zip(a.firstFront, a.crowding.first ?? []))
        var rows: [[String]] = []
        for i in front.prefix(limit) {
            var row = [String(a.candidates[i].index)]
            row += a.objectives.indices.map { ParetoReport.n(a.natural(i, $0), 5) }
            let c = crowd[i] ?? 0
            row.append(c.isInfinite ? "∞" : ParetoReport.n(c, 3))
            row.append(i == a.knee ? "knee" : "")
            rows.append(row)
        }
        return Table(header: ["candidate"] + a.objectives.map { $0.column } + ["crowding", ""], rows: rows,
                           rightAligned: [true] + a.objectives.map { _ in true } + [true, false])
    }

    public var statisticsTable: Table {
        let a = analysis
        var rows: [[String]] = []
        for (k, o) in a.objectives.enumerated() {
            for (set, s) in [("front", a.frontStatistics[k]), ("feasible", a.feasibleStatistics[k])] {
                guard let s else { continue }
                rows.append([o.column, set, String(s.count), ParetoReport.n(s.mean), s.sd.map { ParetoReport.n($0) } ?? "–",
                             ParetoReport.n(s.min), ParetoReport.n(s.q1), ParetoReport.n(s.median), ParetoReport.n(s.q3), ParetoReport.n(s.max)])
            }
        }
        return Table(header: ["objective", "over", "n", "mean", "sd", "min", "q1", "median", "q3", "max"], rows: rows,
                           rightAligned: [false, false] + Array(repeating: true, count: 8))
    }

    public func tradeOffTable(_ cost: Objective, _ steps: [TradeOffStep]) -> Table {
        guard case .cost(_, let metric) = cost else { return Table(header: [], rows: [], rightAligned: []) }
        let rows = steps.map { s in
            [String(s.from), String(s.to), "+" + ParetoReport.n(s.costDelta), (s.qualityDelta >= 0 ? "+" : "") + ParetoReport.n(s.qualityDelta),
             s.qualityPerUnit.isFinite ? ParetoReport.n(s.qualityPerUnit) : "∞"]
        }
        return Table(header: ["from", "to", "Δ \(metric.rawValue) (\(metric.unit))", "Δ quality", "quality per \(metric.unit)"],
                           rows: rows, rightAligned: [true, true, true, true, true])
    }

    public var agreementTable: Table? {
        guard let agreement, !agreement.pairs.isEmpty else { return nil }
        func ci(_ b: BootstrapInterval?) -> String {
            guard let b else { return "–" }
            return "\(ParetoReport.n(b.estimate, 3)) [\(ParetoReport.n(b.lower, 3)), \(ParetoReport.n(b.upper, 3))]"
        }
        let rows = agreement.pairs.map { p in
            [p.a, p.b, p.metric.rawValue, String(p.count), ci(p.spearman), ci(p.kendall), p.problem ?? ""]
        }
        return Table(header: ["device A", "device B", "metric", "n", "Spearman ρ [95% CI]", "Kendall τ [95% CI]", "note"],
                           rows: rows, rightAligned: [false, false, false, true, true, true, false])
    }

    /// The terminal version.
    public var plain: String {
        var out = countsLine + "\n" + hypervolumeLines.joined(separator: "\n") + "\n"
        guard !analysis.candidates.isEmpty else { return out + agreementText }
        out += "\nFirst front:\n" + frontTable(limit: 20).plain
        if analysis.firstFront.count > 20 { out += "(\(analysis.firstFront.count - 20) more in the report)\n" }
        out += "\nPer-objective statistics (natural units):\n" + statisticsTable.plain
        for (cost, steps) in tradeOffs where !steps.isEmpty {
            out += "\nMarginal trade-off along quality vs \(cost.name):\n" + tradeOffTable(cost, steps).plain
        }
        return out + agreementText
    }

    private var agreementText: String {
        guard let t = agreementTable else { return "" }
        return "\nCross-device rank agreement over distinct architectures (bootstrap 95% CI, \(agreement!.resamples) resamples, seed \(agreement!.seed)):\n" + t.plain
    }

    /// The report's sections.
    public func addSections(to writer: inout RunReportWriter) {
        writer.section("Counts", .paragraph(countsLine + "."))
        writer.section("Hypervolume", .bullets(hypervolumeLines))
        if !analysis.candidates.isEmpty { addFrontSections(to: &writer) }
        if let t = agreementTable {
            writer.section("Cross-device agreement",
                           .paragraph("Rank correlation of predicted costs between devices over the run's distinct architectures, with percentile bootstrap 95% intervals "
                                      + "(\(agreement!.resamples) resamples, GSL mt19937 seed \(agreement!.seed)). High ρ and τ mean a search on one device ranks "
                                      + "architectures as the other device would."),
                           .table(t))
        }
    }

    private func addFrontSections(to writer: inout RunReportWriter) {
        var fronts = "Sizes of the non-dominated fronts, best first: " + analysis.fronts.prefix(20).map { String($0.count) }.joined(separator: ", ")
        if analysis.fronts.count > 20 { fronts += ", … (\(analysis.fronts.count) fronts)" }
        writer.section("First front", .paragraph(fronts + "."), .table(frontTable()))
        writer.section("Statistics", .paragraph("Per objective, over the first front and over every feasible architecture (GSL; sd with n − 1)."),
                       .table(statisticsTable))
        for (cost, steps) in tradeOffs where !steps.isEmpty {
            writer.section("Trade-off: quality vs \(cost.name)",
                           .paragraph("Neighbours along the 2-D front of quality against \(cost.name), cheapest first: what each step up in cost buys."),
                           .table(tradeOffTable(cost, steps)))
        }
    }
}
