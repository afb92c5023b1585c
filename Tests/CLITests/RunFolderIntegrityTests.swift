import Foundation
import Testing

/// One writer per run, and no record nas did not write (docs/robustness.md): the race suite's small tier, and
/// tampered and leftover files in a finished run.
@Suite struct RunFolderIntegrityTests {
    let runs = FileManager.default.temporaryDirectory.appendingPathComponent("nas-integrity-\(UUID().uuidString)").path

    private func search(_ out: String, evaluations: Int = 30) throws -> String {
        let r = try NASBinary.run(["search", "--space", "fashion-mnist-28", "--device", "pi4", "--latency", "5ms", "--quality", "params",
                                   "--evaluations", String(evaluations), "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        try #require(names.count == 1)
        return out + "/" + names[0]
    }

    @Test func racingWritersAreRefusedAndLoseNothing() throws {
        let (status, text) = try NASBinary.runScript("Tests/Hostile/race.sh", ["--pairs", "4", "--resumes", "2", "--verifies", "2"])
        #expect(status == 0, "\(text)")
        #expect(text.contains("race: 8 passed, 0 failed"), "\(text)")
        #expect(text.contains("search pairs: 4 started together, 0 shared a folder"), "\(text)")
    }

    @Test func aHandEditedCandidateIsRefused() throws {
        let run = try search(runs + "/edited")
        let path = run + "/candidates.jsonl"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let quality = try #require(lines[4].range(of: #""quality":[0-9.e+-]+"#, options: .regularExpression))
        lines[4].replaceSubrange(quality, with: #""quality":100000000"#)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        for arguments in [["show", run], ["search", "--resume", run], ["pareto", run, "--no-report"]] {
            let r = try NASBinary.run(arguments)
            #expect(r.status != 0, "\(arguments[0]) accepted an edited line")
            #expect(r.stderr.contains("line 5: its check does not match"), "\(arguments[0]): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
    }

    @Test func aHandEditedVerificationRecordIsRefusedInOneLine() throws {
        let out = runs + "/verify"
        let s = try NASBinary.run(["search", "--space", "fashion-mnist-28", "--device", "host", "--latency", "50ms", "--quality", "params",
                                   "--evaluations", "20", "--out", out])
        #expect(s.status == 0, "\(s.stderr)")
        let run = out + "/" + (try FileManager.default.contentsOfDirectory(atPath: out)[0])
        let verify = ["verify", run, "--top", "2", "--backend", "host", "--repeats", "3", "--warmup", "0", "--threads", "1",
                      "--bootstrap", "100", "--no-training-time"]
        let v = try NASBinary.run(verify)
        #expect(v.status == 0, "\(v.stderr)")
        let path = run + "/verify.jsonl"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let edited = text.replacingOccurrences(of: #""candidate":"#, with: #""candidate":1"#, options: [], range: text.startIndex..<text.index(text.startIndex, offsetBy: 40))
        #expect(edited != text)
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        let again = try NASBinary.run(verify)
        #expect(again.status != 0)
        #expect(again.stderr.contains("verify.jsonl:1: its check does not match"), "\(again.stderr)")
        #expect(again.stderr.split(separator: "\n").count == 1, "\(again.stderr)")
    }

    @Test func aResumeRemovesTemporaryFilesOfAnInterruptedWrite() throws {
        let run = try search(runs + "/stale")
        let stale = [run + "/.front.json.31337.42.tmp", run + "/architectures/.candidate-000003.json.31337.43.tmp"]
        for path in stale { FileManager.default.createFile(atPath: path, contents: Data("{".utf8)) }
        let r = try NASBinary.run(["search", "--resume", run])
        #expect(r.status == 0, "\(r.stderr)")
        for path in stale { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
        #expect(!FileManager.default.fileExists(atPath: run + "/.lock"), "a finished search leaves no lock file")
    }

    @Test func machineWrittenFilesAreReadStrictly() throws {
        let run = try search(runs + "/strict")
        let config = run + "/config.json"
        let original = try String(contentsOfFile: config, encoding: .utf8)
        for (edit, expected) in [
            (original.replacingOccurrences(of: #""format_version": 1"#, with: #""format_version": -1"#), "format_version -1 does not exist"),
            (original.replacingOccurrences(of: #""created":"#, with: #""colour": "red", "created":"#), "unknown key 'colour'"),
        ] {
            #expect(edit != original)
            try edit.write(toFile: config, atomically: true, encoding: .utf8)
            let r = try NASBinary.run(["show", run])
            #expect(r.status != 0 && r.stderr.contains(expected), "\(r.stderr)")
        }
        let empty = try NASBinary.temporaryFile(#"{"input": [8, 8, 3], "layers": []}"#)
        let e = try NASBinary.run(["estimate", empty.path])
        #expect(e.status != 0 && e.stderr.contains("'layers' is empty"), "\(e.stderr)")
    }

    @Test func trainingOnNoUsableSampleFailsUnlessAllowed() throws {
        let data = try NASBinary.temporaryFile("", name: "empty.jsonl")
        let out = runs + "/bundle"
        let r = try NASBinary.run(["train", "--device", "pi4", "--data", data.path, "--out", out, "--quiet"])
        #expect(r.status != 0 && r.stderr.contains("no usable sample"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let allowed = try NASBinary.run(["train", "--device", "pi4", "--data", data.path, "--out", out, "--quiet", "--allow-uncalibrated"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/manifest.json"))
    }
}
