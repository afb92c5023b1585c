import Foundation
import Testing

@Suite struct PredictCLITests {
    /// A dense layer in the public data's format, on the Pi (time in seconds there).
    static func piDense(_ inputs: Int, _ units: Int, seconds: Double) -> String {
        #"{"path": "dataset/rasp4b/dense/rasp4b_test_dense_\#(units).json", "sample": {"workload": "dense", "input shape": [null, \#(inputs)], "output shape": [null, \#(units)], "units": \#(units), "batch_size": 1, "time": \#(seconds), "power": 4.5}}"#
    }

    @Test func badLinesAreSkippedWithOneLineEachAndTheRestIsScored() throws {
        let lines = [
            Self.piDense(1024, 1000, seconds: 0.004),
            #"{"path": "dataset/rasp4b/dense/torn.json", "sample": {"workload": "den"#,
            Self.piDense(512, 100, seconds: 0.0002),
            #"{"path": "dataset/cuda_A100/dense/a.json", "sample": {"workload": "dense", "input shape": [null, 8], "units": 8, "batch_size": 1, "time": 0.01}}"#,
            #"{"path": "dataset/rasp4b/dense/zero.json", "sample": {"workload": "dense", "input shape": [null, 0], "units": 8, "batch_size": 1, "time": 0.01}}"#,
        ]
        let file = try NASBinary.temporaryFile(lines.joined(separator: "\n") + "\n", name: "samples.jsonl")
        let r = try NASBinary.run(["predict", "--device", "pi4", "--samples", file.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let skipped = r.stderr.split(separator: "\n")
        #expect(skipped.count == 3, "stderr: \(r.stderr)")
        #expect(skipped.allSatisfy { $0.hasPrefix("nas predict: skipped \(file.path):") })
        #expect(r.stderr.contains("\(file.path):2: "))
        #expect(r.stderr.contains("\(file.path):4: the line is from device 'a100'"))
        #expect(r.stderr.contains("\(file.path):5: 'input shape' sizes must be positive"))
        #expect(r.stdout.contains("error summary (2 samples, 3 skipped)"))
    }

    @Test func aFileWithNoUsableLineFailsWithOneLine() throws {
        let file = try NASBinary.temporaryFile("{\"path\": 3}\nnot json\n", name: "samples.jsonl")
        let r = try NASBinary.run(["predict", "--device", "pi4", "--samples", file.path])
        #expect(r.status != 0)
        #expect(r.stderr.split(separator: "\n").count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("no usable line in \(file.path): \(file.path):1: "), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("(and 1 more line)"))
    }
}
