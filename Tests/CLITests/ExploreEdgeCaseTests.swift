import Foundation
import Testing

/// Runs with no feasible candidate or a single one are ordinary; the reports say so instead of crashing or
/// printing a hypervolume of 0 as if it were a result.
@Suite struct ExploreEdgeCaseTests {
    let runs = FileManager.default.temporaryDirectory.appendingPathComponent("nas-edge-\(UUID().uuidString)").path

    private func onlyRun(in folder: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        try #require(names.count == 1, "\(names)")
        return folder + "/" + names[0]
    }

    @Test func exploreWithNoFeasibleCandidateSaysSo() throws {
        let budgets = try NASBinary.temporaryFile(#"{"pi4": {"latency": "1us"}, "a100": {"latency": "1us"}}"#, name: "budgets.json")
        let out = runs + "/explore"
        let r = try NASBinary.run(["explore", "--space", "fashion-mnist-28", "--device", "pi4,a100", "--quality", "params",
                                   "--evaluations", "8", "--bootstrap", "100", "--budget-file", budgets.path, "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("pi4 ") || $0.hasPrefix("a100 ") }.filter { $0.contains("≤") }
        #expect(rows.count == 2, "\(r.stdout)")
        for row in rows { #expect(row.contains("– (no feasible candidate)"), "\(row)") }
        let run = try onlyRun(in: out)
        #expect(FileManager.default.fileExists(atPath: run + "/report.md"))
    }

    @Test func paretoOfAnInfeasibleRunAndOfASingleCandidate() throws {
        let infeasible = runs + "/infeasible"
        let s = try NASBinary.run(["search", "--space", "fashion-mnist-28", "--device", "pi4", "--latency", "1us",
                                   "--quality", "params", "--evaluations", "6", "--out", infeasible])
        #expect(s.status != 0 && s.stderr.contains("no candidate among 6 met every budget"), "\(s.stderr)")
        let p = try NASBinary.run(["pareto", try onlyRun(in: infeasible), "--bootstrap", "100"])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stdout.contains("no front and no hypervolume: no feasible architecture has every objective known"), "\(p.stdout)")

        let single = runs + "/single"
        let one = try NASBinary.run(["search", "--space", "fashion-mnist-28", "--device", "pi4", "--latency", "1s",
                                     "--quality", "params", "--evaluations", "1", "--out", single])
        #expect(one.status == 0, "\(one.stderr)")
        let run = try onlyRun(in: single)
        let q = try NASBinary.run(["pareto", run, "--bootstrap", "100"])
        #expect(q.status == 0, "\(q.stderr)")
        #expect(q.stdout.contains("1 distinct feasible"), "\(q.stdout)")
        #expect(FileManager.default.fileExists(atPath: run + "/report.md"))
    }
}
