import Foundation
import Testing

/// `nas verify` and `nas validate` on this machine's CPU through oneDNN, on small networks.
@Suite(.serialized) struct VerifyCLITests {
    let runs = FileManager.default.temporaryDirectory.appendingPathComponent("nas-verify-\(UUID().uuidString)").path

    @Test func verifyMeasuresTopCandidatesAndResumes() throws {
        let s = try NASBinary.run(["search", "--space", "fashion-mnist-28", "--device", "host", "--latency", "50ms",
                                   "--quality", "params", "--evaluations", "40", "--out", runs])
        #expect(s.status == 0, "\(s.stderr)")
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: runs).first.map { runs + "/" + $0 })
        let args = ["verify", run, "--top", "2", "--infeasible", "1", "--repeats", "3", "--warmup", "1", "--no-training-time",
                    "--bootstrap", "200"]
        let v = try NASBinary.run(args)
        #expect(v.status == 0, "\(v.stderr)")
        #expect(v.stdout.contains("MAPE [95% CI]") && v.stdout.contains("speedup cold"))
        #expect(v.stdout.contains("energy") && v.stdout.contains("unavailable"))
        let lines = try String(contentsOfFile: run + "/verify.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 2)
        for file in ["verify.md", "verify.html", "plots/verify-latency.svg", "plots/verify-memory.svg"] {
            #expect(FileManager.default.fileExists(atPath: run + "/" + file), "\(file) missing")
        }
        // A second run measures nothing new.
        let again = try NASBinary.run(args)
        #expect(again.status == 0)
        #expect(!again.stderr.contains("measuring candidate"))
        #expect(try String(contentsOfFile: run + "/verify.jsonl", encoding: .utf8).split(separator: "\n").count == lines.count)
    }

    @Test func verifyRefusesToCompareAnotherDeviceWithThisMachine() throws {
        let s = try NASBinary.run(["search", "--space", "fashion-mnist-28", "--device", "pi4", "--quality", "params",
                                   "--evaluations", "16", "--out", runs + "-pi4"])
        #expect(s.status == 0, "\(s.stderr)")
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: runs + "-pi4").first.map { runs + "-pi4/" + $0 })
        let v = try NASBinary.run(["verify", run, "--backend", "host"])
        #expect(v.status != 0)
        #expect(v.stderr.contains("--backend host measures this machine"))
    }

    @Test func validatePrintsPerLayerTable() throws {
        let r = try NASBinary.run(["validate", "--networks", "SearchSpaces/zoo/lenet5.json", "--batches", "1,4", "--repeats", "2",
                                   "--warmup", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("lenet5, batch 1") && r.stdout.contains("lenet5, batch 4"))
        #expect(r.stdout.contains("predicted ms") && r.stdout.contains("measured ms"))
        #expect(r.stdout.contains("latency: MAPE"))
    }
}
