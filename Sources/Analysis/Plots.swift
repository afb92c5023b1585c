import Foundation
import NASSearch

/// The plots of a run's report, built from the analysis as SVG text.
public enum Plots {
    /// Quality against one cost: every evaluated architecture, the feasible ones, the front, and the budget.
    /// `isFeasible` decides the colouring (a device's own budgets in multi-device plots); `note` is added to the title.
    public static func qualityVsCost(_ candidates: [Candidate], cost: Objective, front: [Candidate], budget: Budget?,
                                     qualityName: String, isFeasible: (Candidate) -> Bool = { $0.isFeasible },
                                     note: String? = nil) -> SVGPlot {
        var plot = SVGPlot(title: "Quality vs \(cost.axisLabel())" + (note.map { " — \($0)" } ?? ""), xLabel: cost.axisLabel(),
                           yLabel: Objective.quality.axisLabel(quality: qualityName), xScale: .log)
        func points(_ cs: [Candidate]) -> [(x: Double, y: Double)] {
            cs.compactMap { c in
                guard let x = cost.natural(c), let y = c.quality, x > 0 else { return nil }
                return (x, y)
            }
        }
        let feasible = candidates.filter(isFeasible)
        let infeasible = candidates.filter { !isFeasible($0) }
        plot.series.append(.init(label: "infeasible (\(infeasible.count))", points: points(infeasible), color: "#bbbbbb", radius: 2, opacity: 0.6))
        plot.series.append(.init(label: "feasible (\(feasible.count))", points: points(feasible), color: "#1f77b4", radius: 2.5, opacity: 0.6))
        let frontPoints = points(front).sorted { $0.x < $1.x }
        plot.series.append(.init(label: "", points: frontPoints, color: "#d62728", line: true))
        plot.series.append(.init(label: "front (\(front.count))", points: frontPoints, color: "#d62728", radius: 4, opacity: 1))
        if let b = budget {
            let ys = points(candidates).map(\.y)
            if let lo = ys.min(), let hi = ys.max() {
                plot.lines.append(.init(label: "budget \(Quantity.format(b.limit, b.metric))", from: (b.limit, lo), to: (b.limit, hi), color: "#333333"))
            }
        }
        return plot
    }

    /// Predicted cost of the same architectures on two devices, log-log, with y = x.
    public static func deviceVsDevice(_ candidates: [Candidate], a: String, b: String, metric: CostMetric) -> SVGPlot {
        var plot = SVGPlot(title: "Predicted \(metric.rawValue): \(a) vs \(b)", xLabel: "\(a) \(metric.rawValue) (\(metric.unit))",
                           yLabel: "\(b) \(metric.rawValue) (\(metric.unit))", xScale: .log, yScale: .log)
        var seen = Set<Genotype>()
        let pts: [(x: Double, y: Double)] = candidates.filter { seen.insert($0.genotype).inserted }.compactMap { c in
            guard let x = c.evaluation.costs[a]?[metric], let y = c.evaluation.costs[b]?[metric], x > 0, y > 0 else { return nil }
            return (x, y)
        }
        plot.series.append(.init(label: "architectures (\(pts.count))", points: pts, color: "#1f77b4", radius: 2.5, opacity: 0.6))
        if let lo = pts.map({ min($0.x, $0.y) }).min(), let hi = pts.map({ max($0.x, $0.y) }).max() {
            plot.lines.append(.init(label: "y = x", from: (lo, lo), to: (hi, hi), color: "#777777"))
        }
        return plot
    }

    public static func hypervolumeHistory(_ history: [(evaluations: Int, value: Double)], reference: [Double]) -> SVGPlot {
        let ref = reference.map { Quantity.formatNumber($0, significant: 3) }.joined(separator: ", ")
        var plot = SVGPlot(title: "Hypervolume of the feasible front (normalized, reference [\(ref)])",
                           xLabel: "evaluations", yLabel: "hypervolume")
        plot.series.append(.init(label: "hypervolume", points: history.map { (Double($0.evaluations), $0.value) }, color: "#2ca02c", line: true))
        return plot
    }
}
