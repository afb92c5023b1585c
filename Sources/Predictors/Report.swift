import Foundation
import NASArchitecture
import NASSupport

/// Human- and machine-readable views of a bundle's cross-validation results.
extension BundleManifest {
    /// Formats a number for tables: 3 significant digits, plain notation for ordinary magnitudes.
    static func cell(_ x: Double) -> String {
        if x.isNaN { return "–" }
        let a = abs(x)
        if a == 0 { return "0" }
        if a >= 1000 { return String(format: "%.0f", x) }
        if a >= 100 { return String(format: "%.1f", x) }
        if a >= 1 { return String(format: "%.2f", x) }
        if a >= 0.001 { return String(format: "%.4f", x) }
        return String(format: "%.2e", x)
    }

    static func percent(_ x: Double) -> String { x.isNaN ? "–" : String(format: "%.1f %%", x) }

    /// The chosen model's CV MAPE of (kind, metric), or nil.
    public func mape(_ kind: WorkloadKind, _ metric: Metric) -> Double? { entry(kind, metric)?.scores.mape }

    /// The full CV table as Markdown: one summary table of the chosen models, then every candidate per
    /// (workload, metric), then what is unavailable and why.
    public func markdownReport() -> String {
        var out: [String] = []
        out.append("# Predictor bundle: \(device.id) — \(device.name)")
        out.append("")
        out.append("- status: **\(status)**")
        out.append("- runtime measured: \(device.runtime)")
        out.append(String(format: "- roofline prior: peak %.3g FLOP/s, bandwidth %.3g B/s", device.peakFlops, device.memoryBandwidth))
        for t in trainingData {
            out.append("- training data: `\(t.file)` (\(t.samples) samples of \(t.lines) lines, \(t.rejected.count) rejected; SHA-256 `\(t.sha256)`)")
            for w in t.warnings { out.append("  - caution: \(w)") }
            for r in t.rejected { out.append("  - rejected \(r.source): \(r.reason)") }
        }
        if !calibrated {
            out.append("")
            out.append("No model in this bundle was learnt: latency is the analytic roofline max(FLOPs/peak, bytes/bandwidth), and power, energy and memory are unavailable.")
        }
        if !models.isEmpty {
            out.append("")
            out.append(models.contains { $0.nested != nil }
                ? "Scores of the chosen models are nested cross-validation (\(CrossValidation.folds) outer folds, seed \(CrossValidation.seed); leave-one-out below \(CrossValidation.folds) samples): each outer fold ran the whole procedure (outlier rule, selection by inner \(CrossValidation.folds)-fold CV, refit) on the other folds and scored the rows it never saw, outliers included. \"without outliers\" drops the rows the rule flags on all data, as the paper did. Energy is latency × power from the two procedures' outer-fold predictions. ModelCandidate tables are the selection's inner CV on all inliers, so the chosen one's figure there is optimistic."
                : "Scores are out-of-fold (\(CrossValidation.folds)-fold CV, seed \(CrossValidation.seed); leave-one-out below \(CrossValidation.folds) samples), on the metric's own scale, from the folds that also chose the model (this bundle predates nested CV). Energy is latency × power from the two chosen models' out-of-fold predictions.")
            out.append("")
            out.append("## Chosen models")
            out.append("")
            out.append(chosenTable())
            out += outlierSection()
            out.append("")
            out.append("## All candidates")
            out += candidateTables()
        }
        if !unavailable.isEmpty {
            out.append("")
            out.append("## Unavailable")
            out.append("")
            for u in unavailable { out.append("- \(u.kind.rawValue) / \(u.metric.rawValue): unavailable: \(u.reason)") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func chosenTable() -> String {
        var chosen = Table(header: ["workload", "metric", "unit", "n", "subtypes", "model", "pooled over", "outer folds picked",
                                    "MAPE", "median APE", "within ±10 %", "MAPE without outliers", "R²", "MAE", "max AE"],
                           rightAligned: [false, false, false, true, false, false, false, false] + Array(repeating: true, count: 7))
        for m in models {
            let s = m.scores
            let subtypes = m.subtypes.keys.sorted().map { "\($0) \(m.subtypes[$0]!)" }.joined(separator: ", ")
            let picks = m.nested.map { n in
                Dictionary(grouping: n.picks, by: \.description).map { "\($0.key) \($0.value.count)" }.sorted().joined(separator: ", ")
            } ?? ""
            chosen.add([m.kind.rawValue, m.metric.rawValue, m.metric.unit, String(m.samples), subtypes,
                        m.chosen?.rawValue ?? m.derived ?? "", m.pooledOver.joined(separator: "+"), picks,
                        Self.percent(s.mape), Self.percent(s.medianAPE), Self.percent(s.within10),
                        m.nested?.inlierScores.map { Self.percent($0.mape) } ?? "", Self.cell(s.r2), Self.cell(s.mae), Self.cell(s.maxAE)])
        }
        return String(chosen.markdown.dropLast())
    }

    private func outlierSection() -> [String] {
        let flagged = models.filter { !$0.outliers.isEmpty }
        guard !flagged.isEmpty else { return [] }
        var out = ["", "## Outliers left out of fitting", "",
                   "Rows that took more than \(Self.cell(OutlierRule.minimumRatio))× a latency floor fitted to relative error, and more than \(Self.cell(OutlierRule.deviations)) robust standard deviations above the median ratio: untuned TVM schedules, not the layer. They are still scored."]
        for m in flagged {
            out.append("")
            out.append("- \(m.kind.rawValue) / \(m.metric.rawValue): \(m.outliers.count) of \(m.samples)")
            for o in m.outliers { out.append("  - \(o.source): \(Self.cell(o.measured)) \(m.metric.unit), \(Self.cell(o.ratio))× the reference") }
        }
        return out
    }

    private func candidateTables() -> [String] {
        var out: [String] = []
        for m in models where !m.candidates.isEmpty {
            out.append("")
            out.append("### \(m.kind.rawValue) / \(m.metric.rawValue) (\(m.samples) samples)")
            out.append("")
            var table = Table(header: ["model", "R²", "MAE", "median AE", "MAPE", "median APE", "max AE", "max APE", "within ±10 %"],
                              rightAligned: [false] + Array(repeating: true, count: 8))
            for candidate in m.candidates.keys.sorted() {
                let name = candidate == m.chosenCandidate ? "**\(candidate)** (chosen)" : candidate.description
                switch m.candidates[candidate]! {
                case .scores(let s):
                    table.add([name, Self.cell(s.r2), Self.cell(s.mae), Self.cell(s.medianAE), Self.percent(s.mape), Self.percent(s.medianAPE),
                               Self.cell(s.maxAE), Self.percent(s.maxAPE), Self.percent(s.within10)])
                case .unavailable(let why):
                    table.add([name, "unavailable: \(why)"])
                }
            }
            out.append(String(table.markdown.dropLast()))
        }
        return out
    }

    /// The report as JSON: the manifest's device, status, data and models (with all candidates).
    public var reportJSON: JSONValue {
        guard case .object(var o) = json else { return json }
        o.removeValue(forKey: "features")
        o.removeValue(forKey: "regressors")
        return .object(o)
    }
}
