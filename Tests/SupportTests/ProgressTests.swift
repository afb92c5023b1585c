import Foundation
import Testing
import NASSupport

@Suite struct ProgressTextTests {
    @Test func durationsReadAsSecondsMinutesOrHours() {
        #expect(DurationText.format(0) == "0.0s")
        #expect(DurationText.format(12.34) == "12.3s")
        #expect(DurationText.format(59.4) == "59.4s")
        #expect(DurationText.format(65) == "1m05s")
        #expect(DurationText.format(3599) == "59m59s")
        #expect(DurationText.format(3600 + 2 * 60 + 29) == "1h02m")
        #expect(DurationText.format(30 * 3600) == "30h00m")
    }

    @Test func etaIsTheRateSoFarTimesWhatIsLeft() {
        let line = ProgressLine(done: 4, total: 10, unit: "measurements", elapsedSeconds: 20)
        #expect(line.etaSeconds == 30)
        #expect(line.timeText == "ETA 30.0s")
        #expect(line.rateText == "0.20/s")
        #expect(ProgressLine(done: 0, total: 10, unit: "x", elapsedSeconds: 5).etaSeconds == nil)
        #expect(ProgressLine(done: 0, total: 10, unit: "x", elapsedSeconds: 5).timeText == "ETA ?")
        #expect(ProgressLine(done: 0, total: 10, unit: "x", elapsedSeconds: 5).rateText == nil)
        // Once everything is done the line says how long it took instead.
        #expect(ProgressLine(done: 10, total: 10, unit: "x", elapsedSeconds: 125).timeText == "in 2m05s")
        #expect(ProgressLine(done: 500, total: 1000, unit: "x", elapsedSeconds: 2).rateText == "250/s")
        #expect(ProgressLine(done: 25, total: 1000, unit: "x", elapsedSeconds: 2).rateText == "12.5/s")
    }

    @Test func theLineShowsBarCountRateTimeAndDetail() {
        let line = ProgressLine(done: 12, total: 40, unit: "evaluations", elapsedSeconds: 4, detail: "best feasible 0.52  front 3")
        let bar = String(repeating: "█", count: 9) + String(repeating: "·", count: 21)
        #expect(line.text == "\(bar) 12/40 evaluations  3.00/s  ETA 9.3s  best feasible 0.52  front 3")
        #expect(ProgressLine(done: 0, total: 0, unit: "x", elapsedSeconds: 0).bar == String(repeating: "█", count: 30))
    }

    @Test func aLongDetailIsCutWithAnEllipsis() {
        let detail = String(repeating: "d", count: 100)
        let text = ProgressLine(done: 1, total: 2, unit: "x", elapsedSeconds: 1, detail: detail).text
        #expect(text.hasSuffix(String(repeating: "d", count: ProgressLine.detailLimit - 1) + "…"))
    }
}

@Suite struct ProgressReporterTests {
    /// A reporter writing into `out` on a clock the test moves.
    final class Harness {
        var out: [String] = []
        var now = 100.0
        lazy var reporter = ProgressReporter(style: style, write: { [unowned self] in self.out.append($0) }, clock: { [unowned self] in self.now })
        let style: ProgressReporter.Style
        init(_ style: ProgressReporter.Style) { self.style = style }
    }

    @Test func plainLinesAreOnePerItemAsBefore() {
        let h = Harness(.lines)
        h.reporter.note("profile: 2 measurements to make, 0 already in x.jsonl")
        h.reporter.begin("profile", total: 2, unit: "measurements")
        h.reporter.update(done: 1, detail: "dense b1 4→5: 0.0100 ms")
        h.reporter.update(done: 2, detail: "dense b2 4→5: skipped")
        h.reporter.finish()
        h.reporter.note("summary")
        #expect(h.out == ["profile: 2 measurements to make, 0 already in x.jsonl\n", "profile 1/2 dense b1 4→5: 0.0100 ms\n",
                          "profile 2/2 dense b2 4→5: skipped\n", "summary\n"])
    }

    @Test func theBarIsRedrawnAtMostTenTimesASecondAndEndsWithItsLastState() {
        let h = Harness(.bar)
        var worked = 0
        h.reporter.begin("search", total: 100, unit: "evaluations")
        for i in 1...5 {
            h.now += 0.01
            h.reporter.update(done: i, detail: { worked += 1; return "item \(i)" }())
        }
        // The first update draws; the next four come within 0.1 s and are skipped, their detail never worked out.
        #expect(h.out.count == 1 && h.out[0].hasPrefix("\r") && h.out[0].contains(" 1/100 evaluations") && h.out[0].hasSuffix("\u{1B}[K"))
        #expect(worked == 1)
        h.now += 0.2
        h.reporter.update(done: 6, detail: "item 6")
        #expect(h.out.count == 2 && h.out[1].contains(" 6/100 "))
        h.now += 0.01
        h.reporter.update(done: 7, detail: "item 7")
        h.reporter.finish()
        #expect(h.out.count == 4 && h.out[2].contains(" 7/100 ") && h.out[2].hasSuffix("item 7\u{1B}[K"))
        #expect(h.out[3] == "\n")
        h.reporter.note("done")
        #expect(h.out.last == "done\n")
    }

    @Test func theLastItemIsAlwaysDrawn() {
        let h = Harness(.bar)
        h.reporter.begin("search", total: 2, unit: "evaluations")
        h.reporter.update(done: 1, detail: "")
        h.reporter.update(done: 2, detail: "")
        #expect(h.out.count == 2 && h.out[1].contains(" 2/2 evaluations") && h.out[1].contains("in 0.0s"))
    }

    @Test func silentWritesNothingAndNoBarMeansNoNewline() {
        let h = Harness(.silent)
        h.reporter.note("x")
        h.reporter.begin("profile", total: 1, unit: "measurements")
        h.reporter.update(done: 1, detail: "y")
        h.reporter.finish()
        #expect(h.out.isEmpty)
        let bar = Harness(.bar)
        bar.reporter.begin("profile", total: 0, unit: "measurements")
        bar.reporter.finish()
        bar.reporter.note("profile: 0 measured")
        #expect(bar.out == ["profile: 0 measured\n"])
    }
}
