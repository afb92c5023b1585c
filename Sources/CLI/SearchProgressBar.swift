import Foundation
import NASSearch

/// A one-line progress bar on standard error, redrawn at most ten times a second; silent unless stderr is a terminal.
final class SearchProgressBar {
    private let enabled = isatty(STDERR_FILENO) == 1
    private var lastDraw = 0.0
    private var drawn = false
    private let start = Date()

    func update(_ p: SearchProgress) {
        guard enabled else { return }
        let now = Date().timeIntervalSince(start)
        guard p.evaluated == p.total || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        let width = 30
        let filled = p.total > 0 ? width * p.evaluated / p.total : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let best = p.bestFeasibleQuality.map { "best feasible \(Quantity.formatNumber($0))" } ?? "no feasible yet"
        let replay = p.replayed > 0 && p.replayed == p.evaluated ? "  (replaying log)" : ""
        let line = "\r\(bar) \(p.evaluated)/\(p.total) evaluations  \(best)  front \(p.frontSize)  \(Int(now)) s\(replay)"
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
        drawn = true
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
