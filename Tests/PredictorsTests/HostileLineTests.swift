import Foundation
import NASArchitecture
import Testing
@testable import NASPredictors

/// Dataset lines are input from elsewhere: sizes that would overflow are refused with the line named, fast, and a
/// host line is judged by the machine that measured it.
@Suite struct HostileLineTests {
    static func line(_ edit: (inout [String: Any]) -> Void) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(ProfileLineTests.ok.utf8)) as! [String: Any]
        edit(&object)
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func hugeSizesAreRefusedWithTheLineNamed() throws {
        let text = try Self.line { o in
            var w = o["workload"] as! [String: Any]
            for k in ["in_h", "in_w", "out_h", "out_w"] { w[k] = 1 << 40 }
            o["workload"] = w
        }
        #expect(throws: (any Error).self) { try Support.read(text, name: "big.jsonl") }
        do { _ = try Support.read(text, name: "big.jsonl") } catch {
            #expect("\(error)" == "big.jsonl:1: workload: in_h 1099511627776 is larger than nas supports (at most 16777216)")
        }
    }

    @Test func aWideKernelWithinTheLimitsIsCountedInOneStepPerTap() throws {
        // 2²⁰ outputs × 2²⁰ taps would be 10¹² steps of a loop over outputs; counted per tap it is immediate.
        let w = LayerWorkload(kind: .maxPool2d, batch: 1, inH: 1 << 20, inW: 1, inC: 1, outH: 1 << 20, outW: 1, outC: 1,
                              kernelH: 1 << 20, kernelW: 1, padTop: (1 << 20) - 1, padBottom: 0)
        // Output o reads inputs o − (2²⁰ − 1) … o: o + 1 of them.
        let n = Double(1 << 20)
        #expect(DatasetReader.effectiveFlops(w) == n * (n + 1) / 2)
        // Without padding every tap lands: equal to the workload's FLOPs.
        let plain = LayerWorkload(kind: .conv2d, batch: 2, inH: 9, inW: 7, inC: 4, outH: 4, outW: 3, outC: 6,
                                  kernelH: 3, kernelW: 3, strideH: 2, strideW: 2)
        #expect(DatasetReader.effectiveFlops(plain) == Double(plain.flops))
    }

    @Test func aHostLineIsJudgedByTheMachineThatMeasuredIt() throws {
        // The example line ran on 2 logical CPUs with avx512: its ceiling is 2 × 5 GHz × 64 FLOP/cycle.
        #expect(DatasetReader.hostCeiling(metadata: .object(["logical_cpus": 2, "isa": "avx512_core_bf16"])) == 6.4e11)
        #expect(DatasetReader.hostCeiling(metadata: .object(["logical_cpus": 4, "isa": "avx2"])) == 6.4e11)
        #expect(DatasetReader.hostCeiling(metadata: .object(["isa": "avx2"])) == nil)
        // 100× too fast for a 1-CPU SSE machine (a time unit slip): rejected, naming the measuring host.
        let slip = try Self.line { o in
            o["latency_ms"] = 0.00640521
            var m = o["metadata"] as! [String: Any]
            m["logical_cpus"] = 1; m["isa"] = "sse41"
            o["metadata"] = m
        }
        let d = try Support.read(slip, name: "host.jsonl")
        #expect(d.rejected.first?.reason.contains("exceeds the measuring host peak") == true)
    }
}
