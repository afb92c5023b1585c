import Foundation
import NASSearch
import NASSupport

/// The search's progress through the shared `ProgressReporter`: a bar on a terminal, nothing otherwise (the
/// run folder's candidate log is the record there).
final class SearchProgressBar {
    private let reporter = ProgressReporter(otherwise: .silent)
    private var begun = false

    func update(_ p: SearchProgress) {
        guard reporter.style != .silent else { return }
        if !begun {
            reporter.begin("search", total: p.total, unit: "evaluations")
            begun = true
        }
        reporter.update(done: p.evaluated, detail: {
            let best = p.bestFeasibleQuality.map { "best feasible \(Quantity.formatNumber($0))" } ?? "no feasible yet"
            let replay = p.replayed > 0 && p.replayed == p.evaluated ? "  (replaying log)" : ""
            return "\(best)  front \(p.frontSize)\(replay)"
        }())
    }

    func finish() { reporter.finish() }
}
