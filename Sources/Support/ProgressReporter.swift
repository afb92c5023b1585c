import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Progress of a long job on standard error: one reporter for every command that has one (`nas profile`,
/// `nas search`, `nas explore`).
///
/// On a terminal it redraws one bar line in place, at most ten times a second so that a fast job does not spend
/// its time drawing; elsewhere (a log file, CI) it writes one plain line per item, or nothing, because a
/// redrawn line turns into a wall of carriage returns there.
public final class ProgressReporter {
    public enum Style: Sendable, Equatable {
        /// One line redrawn in place.
        case bar
        /// One line per item: `profile 3/10 <detail>`.
        case lines
        case silent
    }

    public let style: Style
    /// Redraws closer together than this are skipped; `finish` draws the last state whatever it was.
    public static let redrawInterval = 0.1

    private let write: (String) -> Void
    private let clock: () -> Double
    private var task = ""
    private var unit = ""
    private var total = 0
    /// When the job started: when the reporter was made, so make one per job just before it starts.
    private let start: Double
    private var lastDraw: Double?
    /// The latest update the throttle skipped: done, elapsed seconds, and its detail, not yet worked out.
    private var skipped: (done: Int, elapsed: Double, detail: () -> String)?
    private var barOnScreen = false

    /// - Parameters:
    ///   - style: nil draws a bar when standard error is a terminal and falls back to `otherwise` when it is not.
    ///   - write: where the text goes; standard error unless a test wants it.
    ///   - clock: seconds from any fixed origin; the monotonic clock unless a test wants another.
    public init(style: Style? = nil, otherwise: Style = .lines,
                write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
                clock: @escaping () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
        self.style = style ?? (isatty(STDERR_FILENO) != 0 ? .bar : otherwise)
        self.write = write
        self.clock = clock
        start = clock()
    }

    /// Says how many items there are: `total` items of `task` ("profile"), called `unit` ("measurements") on
    /// the bar. Time is counted from the reporter's creation, so that a job that learns its total late (a
    /// search, on its first progress report) still gets an honest rate.
    public func begin(_ task: String, total: Int, unit: String) {
        self.task = task
        self.unit = unit
        self.total = total
        lastDraw = nil
        skipped = nil
    }

    /// `done` items are finished; `detail` says what the last one was, and is worked out only if it is shown.
    public func update(done: Int, detail: @autoclosure @escaping () -> String) {
        guard style != .silent else { return }
        let now = clock()
        if style == .bar, let lastDraw, now - lastDraw < Self.redrawInterval, done < total {
            skipped = (done, now - start, detail)
            return
        }
        skipped = nil
        let line = ProgressLine(done: done, total: total, unit: unit, elapsedSeconds: now - start, detail: detail())
        if style == .lines {
            write("\(task) \(done)/\(total) \(line.detail)\n")
        } else {
            draw(line)
            lastDraw = now
        }
    }

    /// A whole line of text (a heading or a summary), under the bar if one is drawn.
    public func note(_ text: String) {
        guard style != .silent else { return }
        endBarLine()
        write(text + "\n")
    }

    /// Draws the last state if the throttle skipped it, and ends the bar's line.
    public func finish() {
        if style == .bar, let s = skipped {
            draw(ProgressLine(done: s.done, total: total, unit: unit, elapsedSeconds: s.elapsed, detail: s.detail()))
        }
        skipped = nil
        endBarLine()
    }

    private func draw(_ line: ProgressLine) {
        write("\r" + line.text + "\u{1B}[K")
        barOnScreen = true
    }

    private func endBarLine() {
        if barOnScreen { write("\n") }
        barOnScreen = false
    }
}
