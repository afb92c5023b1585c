import Foundation
import Testing

/// A small real search, then `nas pareto` and `nas explore` on it, as a user would run them.
@Suite(.serialized) struct ParetoCLITests {
    let runs = FileManager.default.temporaryDirectory.appendingPathComponent("nas-pareto-\(UUID().uuidString)").path

    @Test func paretoWritesReportWithReferencePoint() throws {
        let s = try NASBinary.run(["search", "--space", "cifar-32", "--device", "pi4,a100", "--latency", "pi4=8ms,a100=1ms",
                                   "--objectives", "quality,pi4.latency,a100.latency", "--quality", "params",
                                   "--evaluations", "120", "--out", runs])
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

        // The run's own front as the reference front: IGD+ of a front against itself is zero.
        let csv = run + "/front.csv"
        let objectivesOnFront = try NASBinary.run(["pareto", run, "--reference-front", run, "--no-report"])
        #expect(objectivesOnFront.stdout.contains("IGD+ against the reference front: 0 "))
        #expect(FileManager.default.fileExists(atPath: csv))
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
