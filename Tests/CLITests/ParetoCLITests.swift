import Foundation
import Testing

/// A small real search, then `nas pareto` and `nas explore` on it, as a user would run them.
@Suite(.serialized) struct ParetoCLITests {
    let runs = FileManager.default.temporaryDirectory.appendingPathComponent("nas-pareto-\(UUID().uuidString)").path

    @Test func paretoWritesReportWithReferencePoint() throws {
        // On the point prediction (--confidence 0), so the IGD+ arithmetic below can lean on the front's latencies
        // being within the budgets; the bounds have their own tests.
        let s = try NASBinary.run(["search", "--space", "cifar-32", "--device", "pi4,a100", "--latency", "pi4=8ms,a100=1ms",
                                   "--objectives", "quality,pi4.latency,a100.latency", "--quality", "params",
                                   "--evaluations", "120", "--confidence", "0", "--out", runs])
        #expect(s.status == 0, "\(s.stderr)")
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: runs).first.map { runs + "/" + $0 })
        let p = try NASBinary.run(["pareto", run, "--bootstrap", "200"])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stdout.contains("reference point: normalized [1.1, 1.1, 1.1]"))
        #expect(p.stdout.contains("Cross-device rank agreement"))
        for file in ["report.md", "report.html", "plots/hypervolume.svg", "plots/quality-vs-pi4-latency.svg",
                     "plots/latency-pi4-vs-a100.svg"] {
            #expect(FileManager.default.fileExists(atPath: run + "/" + file), "\(file) missing")
        }
        let html = try String(contentsOfFile: run + "/report.html", encoding: .utf8)
        #expect(html.contains("<table>") && html.contains("<img src=\"plots/hypervolume.svg\""))

        let bad = try NASBinary.run(["pareto", run, "--reference-point", "1,2"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--reference-point has 2 values for 3 objectives"))

        // IGD+ against a hand-made reference front of two points that bracket every feasible candidate, so that
        // they alone set the normalization: an ideal I (10 × the front's best quality, 0 ms, 0 ms) and a nadir N
        // (quality 0, latencies past the 8 ms and 1 ms budgets). Normalized, I is (0, 0, 0) and N is (1, 1, 1);
        // no point is worse than N, so N adds 0, and I adds the distance of the front point nearest to it:
        // IGD+ = ½ · min over the front of √((1 − q / (10 q*))² + (t_pi4 / 10 ms)² + (t_a100 / 2 ms)²).
        let front = try Self.columns(["quality", "pi4_latency_ms", "a100_latency_ms"], ofCSV: run + "/front.csv")
        let best = try #require(front.map { $0[0] }.max())
        let ideal = [10 * best, 0, 0], nadir = [0.0, 10, 2]
        func normalized(_ p: [Double]) -> [Double] { (0..<3).map { (p[$0] - ideal[$0]) / (nadir[$0] - ideal[$0]) } }
        let nearest = try #require(front.map { normalized($0).map { $0 * $0 }.reduce(0, +).squareRoot() }.min())
        let reference = try NASBinary.temporaryFile("quality,pi4_latency_ms,a100_latency_ms\n"
            + "\(ideal[0]),0,0\n0,10,2\n", name: "reference-front.csv")
        let igd = try NASBinary.run(["pareto", run, "--reference-front", reference.path, "--no-report"])
        #expect(igd.status == 0, "\(igd.stderr)")
        let printed = try #require(igd.stdout.components(separatedBy: "IGD+ against the reference front: ").dropFirst().first?
            .split(separator: " ").first.flatMap { Double($0) }, "\(igd.stdout)")
        #expect(nearest >= 0.9)  // no quality exceeds q*, so the first term alone is at least 0.9
        #expect(abs(printed - nearest / 2) <= 1e-3 * nearest / 2, "printed \(printed), by hand \(nearest / 2)")
    }

    /// The named columns of a CSV file with a header line, as numbers, one array per row.
    static func columns(_ names: [String], ofCSV path: String) throws -> [[Double]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let indices = try names.map { name in try #require(header.firstIndex(of: name), "no column \(name) in \(path)") }
        return try lines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            return try indices.map { try #require(Double(cells[$0]), "\(path): '\(cells[$0])' is not a number") }
        }
    }

    /// Also the old spelling `--devices`, kept as a hidden alias of `--device`.
    @Test func exploreComparesDevices() throws {
        let budgets = try NASBinary.temporaryFile(#"{"pi4": {"latency": "10ms"}}"#, name: "budgets.json")
        let r = try NASBinary.run(["explore", "--space", "fashion-mnist-28", "--devices", "pi4,xu4,i7", "--quality", "params",
                                   "--evaluations", "96", "--bootstrap", "200", "--budget-file", budgets.path, "--out", runs])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Per-device fronts"))
        #expect(r.stdout.contains("uncalibrated: no measurements"))
        for pair in ["pi4       xu4", "pi4       i7", "xu4       i7"] { #expect(r.stdout.contains(pair)) }

        let badFile = try NASBinary.temporaryFile(#"{"pi4": {"latency": "10 parsecs"}}"#, name: "bad.json")
        let bad = try NASBinary.run(["explore", "--device", "pi4,xu4", "--budget-file", badFile.path, "--out", runs])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("pi4.latency: '10 parsecs'"))
    }
}
