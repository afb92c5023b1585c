import Foundation
import NASAnalysis
import NASMeasurement
import NASSearch
import NASStatistics
import NASSupport

/// Predicted vs measured over verified candidates: per-candidate errors, summaries per metric, budget verdicts
/// overturned, and the speedup of prediction over benchmarking.
public struct VerifyReport {
    public var records: [VerificationRecord]
    public var budgets: [Budget]
    public var profilingSeconds: Double?
    public var trainingSeconds: Double?
    public var resamples: Int
    /// How the run checked its latency budgets: a factor per bounded device (`LatencyBounds`).
    public var latencyBounds: LatencyBounds
    /// The machine now against during calibration, when the bound's calibration folder allowed re-timing.
    public var drift: CalibrationDrift?

    public init(records: [VerificationRecord], budgets: [Budget], profilingSeconds: Double?, trainingSeconds: Double?,
                resamples: Int = 2000, latencyBounds: LatencyBounds = .none) {
        self.records = records; self.budgets = budgets; self.latencyBounds = latencyBounds
        self.profilingSeconds = profilingSeconds; self.trainingSeconds = trainingSeconds
        self.resamples = resamples
    }

    static func n(_ v: Double, _ digits: Int = 4) -> String { Quantity.formatNumber(v, significant: digits) }
    static func pct(_ v: Double) -> String { (v >= 0 ? "+" : "") + String(format: "%.1f%%", v * 100) }

    public func pairs(_ metric: CostMetric) -> [(Int, PredictedMeasured)] {
        records.compactMap { r in
            switch metric {
            case .latency: return r.predictedLatencyMs.map { (r.candidate, PredictedMeasured(predicted: $0, measured: r.measuredLatencyMs)) }
            case .memory: return r.predictedMemoryMiB.map { (r.candidate, PredictedMeasured(predicted: $0, measured: r.measuredMemoryMiB)) }
            case .energy:
                guard let p = r.predictedEnergyMJ, let m = r.measuredEnergyMJ.value else { return nil }
                return (r.candidate, PredictedMeasured(predicted: p, measured: m))
            }
        }
    }

    public var candidateTable: Table {
        let rows = records.map { r -> [String] in
            let lat = r.predictedLatencyMs.map { PredictedMeasured(predicted: $0, measured: r.measuredLatencyMs) }
            let mem = r.predictedMemoryMiB.map { PredictedMeasured(predicted: $0, measured: r.measuredMemoryMiB) }
            let energy: String
            switch r.measuredEnergyMJ {
            case .measured(let v): energy = VerifyReport.n(v)
            case .unavailable: energy = "unavailable"
            }
            return [String(r.candidate), r.sampledAs,
                    r.predictedLatencyMs.map { VerifyReport.n($0) } ?? "–", VerifyReport.n(r.measuredLatencyMs) + " ± " + VerifyReport.n(r.measurement.latency.iqrMs, 2),
                    lat.map { VerifyReport.pct($0.relativeError) } ?? "–",
                    r.predictedMemoryMiB.map { VerifyReport.n($0) } ?? "–", VerifyReport.n(r.measuredMemoryMiB),
                    mem.map { VerifyReport.pct($0.relativeError) } ?? "–",
                    r.predictedEnergyMJ.map { VerifyReport.n($0) } ?? "–", energy]
        }
        return Table(header: ["candidate", "sampled", "pred ms", "measured ms (± IQR)", "error", "pred MiB", "measured MiB",
                                    "error", "pred mJ", "measured mJ"],
                           rows: rows, rightAligned: [true, false, true, true, true, true, true, true, true, true])
    }

    public var summaryTable: Table {
        var rows: [[String]] = []
        for metric in CostMetric.allCases {
            let p = pairs(metric).map(\.1)
            if metric == .energy, p.isEmpty {
                let why = records.compactMap { r -> String? in if case .unavailable(let w) = r.measuredEnergyMJ { return w }; return nil }.first
                    ?? "no predictions"
                rows.append([metric.rawValue, "0", "–", "–", "–", "–", "–", "unavailable: \(why)"])
                continue
            }
            guard let s = try? ErrorSummary(p, resamples: resamples) else {
                rows.append([metric.rawValue, String(p.count), "–", "–", "–", "–", "–", "too few candidates"])
                continue
            }
            func ci(_ b: BootstrapInterval) -> String { "\(VerifyReport.n(b.estimate, 3))% [\(VerifyReport.n(b.lower, 3)), \(VerifyReport.n(b.upper, 3))]" }
            rows.append([metric.rawValue, String(s.count), ci(s.mape), ci(s.medianAPE), String(format: "%.0f%%", s.within10Percent * 100),
                         VerifyReport.n(s.maxAPE, 3) + "%", s.kendallTau.map { VerifyReport.n($0, 3) } ?? "–", ""])
        }
        return Table(header: ["metric", "n", "MAPE [95% CI]", "median APE [95% CI]", "within ±10%", "max APE", "Kendall τ", "note"],
                           rows: rows, rightAligned: [false, true, true, true, true, true, true, false])
    }

    /// Budget verdicts the measurements overturn, per budget of the verified device.
    public var feasibilityLines: [String] {
        budgets.compactMap { b -> String? in
            let items = checkedItems(b)
            guard !items.isEmpty else { return nil }
            let check = FeasibilityCheck(limit: b.limit, items: items)
            let sampledInfeasible = records.filter { $0.sampledAs == "infeasible" }.count
            let on = isBounded(b) ? " (on the \(LatencyBounds.percent(latencyBounds.confidence)) upper bound)" : ""
            var line = "\(b.description): \(check.falseFeasible.count) of \(items.filter { b.isMet(by: $0.predicted) }.count) predicted feasible\(on) measured over budget"
            if !check.falseFeasible.isEmpty { line += " (candidates \(check.falseFeasible.map(String.init).joined(separator: ", ")))" }
            if sampledInfeasible > 0 {
                line += "; \(check.falseInfeasible.count) of \(items.filter { !b.isMet(by: $0.predicted) }.count) predicted infeasible measured within it"
            } else {
                line += "; false infeasible not sampled (use --infeasible N)"
            }
            return line
        }
    }

    /// Whether the run checked budget `b` on a calibrated bound.
    func isBounded(_ b: Budget) -> Bool { b.metric == .latency && latencyBounds.isBounded(b.device) }

    /// (candidate, the value the search checked against `b`, measured): the bound where the run used one.
    /// A record without the value (a bound the search did not record) is left out.
    func checkedItems(_ b: Budget) -> [(id: Int, predicted: Double, measured: Double)] {
        guard b.metric == .latency else { return pairs(b.metric).map { ($0.0, $0.1.predicted, $0.1.measured) } }
        return records.compactMap { r in
            guard r.predictedLatencyMs != nil, let v = latencyBounds.checkedValue(r.predictedCosts, for: b) else { return nil }
            return (r.candidate, v, r.measuredLatencyMs)
        }
    }

    /// How the bound of `device` is formed, for the guarantee lines.
    func boundDescription(_ device: String) -> String? {
        if let f = latencyBounds.factors[device]?.value { return "predicted × \(VerifyReport.n(f, 4))" }
        return latencyBounds.layerwise[device].map { "Σ layer predictions × \($0.summary)" }
    }

    /// The guarantee of each bounded latency budget: how often the bound held, and the false-feasible rate
    /// against its nominal 1 − confidence, each with an exact 95 % interval; a rate whose whole interval lies
    /// above the nominal level is flagged as a violated guarantee.
    public var guaranteeLines: [String] {
        let c = latencyBounds.confidence
        var lines: [String] = []
        // The records are of the verified device; only its bound is tested by them.
        for device in Set(records.map(\.device)).sorted() {
            guard let how = boundDescription(device) else { continue }
            let bounded = records.filter { $0.device == device }.compactMap { r in
                latencyBounds.upperBound(r.predictedCosts, device: device).map { (bound: $0, measured: r.measuredLatencyMs) }
            }
            let held = bounded.filter { $0.measured <= $0.bound }.count
            guard !bounded.isEmpty, let covered = try? BinomialInterval(events: held, trials: bounded.count) else { continue }
            lines.append("\(device) latency bound (\(LatencyBounds.percent(c)), \(how)): held for \(covered.events) of \(covered.trials) verified candidates, coverage \(Self.share(covered)) (nominal \(LatencyBounds.percent(c)); the candidates a search selects are not a random draw)")
            for b in budgets where b.device == device && b.metric == .latency {
                let feasible = checkedItems(b).filter { b.isMet(by: $0.predicted) }
                guard let ff = try? BinomialInterval(events: feasible.filter { $0.measured > b.limit }.count, trials: feasible.count) else {
                    lines.append("\(b.description): no candidate predicted feasible on the bound was verified; the guarantee is untested")
                    continue
                }
                // 1 − 0.9 is 0.09999999999999998 in binary: one of ten is at the nominal rate, not above it.
                let nominal = 1 - c + 1e-12
                let verdict = ff.lower > nominal ? "**guarantee violated**: even the interval's lower end is above \(LatencyBounds.percent(1 - c))"
                    : ff.proportion > nominal ? "above the nominal rate, but within the interval's reach of it" : "within the guarantee"
                lines.append("\(b.description): false-feasible \(ff.events) of \(ff.trials), \(Self.share(ff)) against a nominal ≤ \(LatencyBounds.percent(1 - c)): \(verdict)")
            }
        }
        if let drift, !lines.isEmpty { lines.append(drift.line) }
        return lines
    }

    static func share(_ i: BinomialInterval) -> String {
        String(format: "%.1f %% [%.1f, %.1f] (exact 95 %% CI)", 100 * i.proportion, 100 * i.lower, 100 * i.upper)
    }

    public var studies: [(Int, SpeedupStudy)] {
        records.compactMap { r in
            guard let stages = r.measurement.stages else { return nil }
            return (r.candidate, SpeedupStudy(predictColdSeconds: r.predictColdSeconds, predictMemoizedSeconds: r.predictMemoizedSeconds,
                                              benchmark: stages, profilingSeconds: profilingSeconds, trainingSeconds: trainingSeconds))
        }
    }

    public var speedupTable: Table {
        func us(_ s: Double) -> String { VerifyReport.n(s * 1e6, 3) }
        func ms(_ s: Double) -> String { VerifyReport.n(s * 1e3, 4) }
        let rows = studies.map { c, s in
            [String(c), us(s.predictColdSeconds), us(s.predictMemoizedSeconds), ms(s.benchmark.setupSeconds),
             ms(s.benchmark.warmupSeconds) + " (\(s.benchmark.warmupRuns))", ms(s.benchmark.timedSeconds) + " (\(s.benchmark.timedRuns))",
             ms(s.benchmark.totalSeconds), VerifyReport.n(s.speedupCold, 3) + "×", VerifyReport.n(s.speedupMemoized, 3) + "×"]
        }
        return Table(header: ["candidate", "predict cold µs", "predict memo µs", "bench setup ms", "warm-up ms (runs)",
                                    "timed ms (runs)", "bench total ms", "speedup cold", "speedup memo"],
                           rows: rows, rightAligned: Array(repeating: true, count: 9))
    }

    public var speedupLines: [String] {
        let s = studies.map(\.1)
        guard !s.isEmpty else { return ["no benchmark stage timings (an older agent?)"] }
        var lines: [String] = []
        if let cold = try? Descriptive.median(s.map(\.speedupCold)), let memo = try? Descriptive.median(s.map(\.speedupMemoized)) {
            lines.append("prediction is \(VerifyReport.n(cold, 3))× (cold) and \(VerifyReport.n(memo, 3))× (memoized) faster than benchmarking, median over \(s.count) networks")
        }
        if let p = profilingSeconds {
            var line = "one-time cost: profiling \(VerifyReport.n(p, 3)) s (first to last line of each profiling file)"
            if let t = trainingSeconds { line += " + training \(VerifyReport.n(t, 3)) s (measured now)" }
            lines.append(line)
            let breakEven = s.compactMap(\.breakEvenNetworks)
            if let median = try? Descriptive.median(breakEven.map(Double.init)) {
                lines.append("break-even: after \(Int(median.rounded(.up))) queried networks (median over these networks; each saves its benchmark time minus its prediction time)")
            }
        } else {
            lines.append("break-even: unknown (no profiling file given: --profile FILE[,FILE…])")
        }
        return lines
    }

    public var plain: String {
        var out = "Per candidate (error = (predicted − measured) / measured):\n" + candidateTable.plain
        out += "\nSummary per metric (bootstrap 95% CI, \(resamples) resamples):\n" + summaryTable.plain
        if !feasibilityLines.isEmpty { out += "\nBudgets:\n" + feasibilityLines.map { "  " + $0 }.joined(separator: "\n") + "\n" }
        if !guaranteeLines.isEmpty { out += "\nGuarantee:\n" + guaranteeLines.map { "  " + $0.replacingOccurrences(of: "**", with: "") }.joined(separator: "\n") + "\n" }
        out += "\nSpeedup of prediction over benchmarking:\n" + speedupTable.plain + speedupLines.map { "  " + $0 }.joined(separator: "\n") + "\n"
        return out
    }

    /// The predicted-vs-measured scatter with y = x and a ±10% band.
    public func scatter(_ metric: CostMetric) -> SVGPlot? {
        let p = pairs(metric).map(\.1)
        guard !p.isEmpty else { return nil }
        var plot = SVGPlot(title: "Predicted vs measured \(metric.rawValue)", xLabel: "measured \(metric.rawValue) (\(metric.unit))",
                           yLabel: "predicted \(metric.rawValue) (\(metric.unit))", xScale: .log, yScale: .log)
        let lo = p.map { min($0.predicted, $0.measured) }.min()! * 0.8, hi = p.map { max($0.predicted, $0.measured) }.max()! * 1.25
        let xs = stride(from: log10(lo), through: log10(hi), by: (log10(hi) - log10(lo)) / 20).map { pow(10, $0) }
        plot.bands.append(.init(label: "±10%", lower: xs.map { ($0, $0 * 0.9) }, upper: xs.map { ($0, $0 * 1.1) }, color: "#2ca02c"))
        plot.lines.append(.init(label: "y = x", from: (lo, lo), to: (hi, hi), color: "#555555"))
        plot.series.append(.init(label: "networks (\(p.count))", points: p.map { ($0.measured, $0.predicted) }, color: "#1f77b4", radius: 4, opacity: 0.9))
        return plot
    }

    /// `settings`: the bullet lines of the Settings section.
    public func write(directory: String, title: String, settings: [String]) throws {
        var w = RunReportWriter(directory: directory, title: title, stem: "verify")
        w.section("Settings", .bullets(settings))
        w.section("Per candidate", .paragraph("Error = (predicted − measured) / measured. Measured latency is the median of the timed runs ± its IQR."),
                  .table(candidateTable))
        w.section("Summary", .paragraph("Bootstrap 95% intervals from \(resamples) resamples (GSL mt19937)."), .table(summaryTable))
        if !feasibilityLines.isEmpty { w.section("Budgets", .bullets(feasibilityLines)) }
        if !guaranteeLines.isEmpty { w.section("Guarantee", .bullets(guaranteeLines)) }
        w.section("Speedup", .table(speedupTable), .bullets(speedupLines))
        for metric in [CostMetric.latency, .memory, .energy] {
            if let plot = scatter(metric) {
                w.plot("verify-\(metric.rawValue)", caption: "Predicted vs measured \(metric.rawValue), y = x and a ±10% band", plot)
            }
        }
        try w.write()
    }
}
