import Foundation

/// What a progress bar shows at one moment, and the text it shows it as: pure, so it can be tested without a
/// terminal or a clock.
public struct ProgressLine: Sendable, Equatable {
    public var done: Int
    public var total: Int
    /// What is being counted, plural: "measurements", "evaluations".
    public var unit: String
    public var elapsedSeconds: Double
    /// What the last item was, or the state of the work ("best feasible 0.52  front 3").
    public var detail: String

    public static let barWidth = 30
    /// Longer details are cut with an ellipsis, so that the line fits on one terminal row.
    public static let detailLimit = 60

    public init(done: Int, total: Int, unit: String, elapsedSeconds: Double, detail: String = "") {
        self.done = done; self.total = total; self.unit = unit; self.elapsedSeconds = elapsedSeconds; self.detail = detail
    }

    /// Seconds still to go at the rate so far; nil before the first item, when there is no rate yet.
    public var etaSeconds: Double? {
        guard done > 0 else { return nil }
        return elapsedSeconds / Double(done) * Double(max(total - done, 0))
    }

    /// "ETA 1m02s" while running, "in 3m05s" once every item is done, "ETA ?" before the first.
    public var timeText: String {
        if total > 0 && done >= total { return "in \(DurationText.format(elapsedSeconds))" }
        return "ETA " + (etaSeconds.map(DurationText.format) ?? "?")
    }

    /// Items per second, with fewer decimals as the rate grows; nil before the first item or second.
    public var rateText: String? {
        guard done > 0, elapsedSeconds > 0 else { return nil }
        let rate = Double(done) / elapsedSeconds
        return String(format: rate >= 100 ? "%.0f/s" : rate >= 10 ? "%.1f/s" : "%.2f/s", rate)
    }

    public var bar: String {
        let filled = total > 0 ? Self.barWidth * min(done, total) / total : Self.barWidth
        return String(repeating: "█", count: filled) + String(repeating: "·", count: Self.barWidth - filled)
    }

    /// `██████······ 12/40 evaluations  4.20/s  ETA 6.7s  best feasible 0.52`, without terminal control codes.
    public var text: String {
        var parts = ["\(bar) \(done)/\(total) \(unit)"]
        if let rateText { parts.append(rateText) }
        parts.append(timeText)
        if !detail.isEmpty {
            parts.append(detail.count > Self.detailLimit ? String(detail.prefix(Self.detailLimit - 1)) + "…" : detail)
        }
        return parts.joined(separator: "  ")
    }
}
