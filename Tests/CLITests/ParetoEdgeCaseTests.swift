import Foundation
import Testing

/// Ordinary but awkward runs: nothing feasible, nothing evaluated, a single candidate. `nas pareto` says what
/// there is, writes the report and exits 0; it never crashes.
@Suite(.serialized) struct ParetoEdgeCaseTests {
    let runs = FileManager.default.temporaryDirectory.appendingPathComponent("nas-pareto-edge-\(UUID().uuidString)").path

    func search(_ extra: [String], into folder: String, feasible: Bool = true) throws -> String {
        let out = runs + "/" + folder
        let s = try NASBinary.run(["search", "--space", "fashion-mnist-28", "--quality", "params", "--out", out] + extra)
        // A search that finds nothing within budget says so and fails, but keeps its run.
        #expect(feasible ? s.status == 0 : s.status == 1 && s.stderr.contains("no candidate among"), "\(s.stderr)")
        return try #require(try FileManager.default.contentsOfDirectory(atPath: out).first.map { out + "/" + $0 })
    }

    @Test func runWithoutAFeasibleCandidate() throws {
        let run = try search(["--device", "pi4,a100", "--latency", "1us", "--evaluations", "8"], into: "none", feasible: false)
        let p = try NASBinary.run(["pareto", run, "--bootstrap", "100"])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stdout.contains("0 distinct feasible architectures"))
        #expect(p.stdout.contains("no front and no hypervolume: no feasible architecture has every objective known (8 evaluated architectures break a budget"))
        let md = try String(contentsOfFile: run + "/report.md", encoding: .utf8)
        #expect(md.contains("no front and no hypervolume") && !md.contains("## First front"))
    }

    @Test func runWithAnEmptyLogAndWithOneCandidate() throws {
        let run = try search(["--device", "pi4", "--evaluations", "1"], into: "one")
        let one = try NASBinary.run(["pareto", run])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.contains("1 distinct feasible architectures") && one.stdout.contains("knee"))

        try Data().write(to: URL(fileURLWithPath: run + "/candidates.jsonl"))
        let empty = try NASBinary.run(["pareto", run])
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect(empty.stdout.hasPrefix("0 evaluations: 0 distinct feasible architectures"))
        #expect(FileManager.default.fileExists(atPath: run + "/report.html"))
    }
}
