// bench-predictors: how fast the search can query network cost estimates.
//
//   swift run -c release bench-predictors [ARCH.json] [--devices a100,k80,…] [--repeats N]
//
// For each device: bundle load time, the cold first query of the architecture on a fresh predictor (empty memo:
// every distinct layer is predicted), cold queries after clearing the memo, and memoized repeats of
// `estimate` (per-layer results), `totals` (sums only) and `estimate(...).memory` (adds the liveness analysis).
// Then the multi-threaded memoized throughput over all devices. Times are wall-clock medians.
import Foundation
import NASArchitecture
import NASPredictors

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
func median(_ v: [Double]) -> Double { let s = v.sorted(); return s[s.count / 2] }
func micro(_ ns: Double) -> String { String(format: "%.2f µs", ns / 1000) }

var path = "SearchSpaces/zoo/darknet19.json"
var devices = ["a100", "k80", "gtx980ti", "xeon", "i7", "pi4", "xu4"]
var repeats = 20_000
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--devices": devices = args.removeFirst().split(separator: ",").map(String.init)
    case "--repeats": repeats = Int(args.removeFirst())!
    default: path = a
    }
}

let network = try Architecture.load(path: path).resolved()
let costly = network.layers.compactMap { $0.workload(batch: network.batch) }
print("\(network.architecture.name): batch \(network.batch), \(network.layers.count) layers, \(costly.count) with a cost, \(Set(costly).count) distinct workloads")
#if DEBUG
print("warning: debug build; run with -c release for meaningful numbers")
#endif
print("")
print("device    load bundle  first query  cold (median)  memo estimate  memo totals  memo +memory  latency ms")

var predictors: [DevicePredictor] = []
for id in devices {
    guard let dir = PredictorCatalog.bundleDirectory(device: id) else { print("\(id): no bundle"); continue }
    let t0 = now()
    let predictor = try DevicePredictor(directory: dir)
    let load = Double(now() - t0)

    let t1 = now()
    let first = predictor.estimate(network)
    let firstQuery = Double(now() - t1)

    var cold: [Double] = []
    for _ in 0..<200 {
        predictor.clearMemo()
        let t = now()
        _ = predictor.estimate(network)
        cold.append(Double(now() - t))
    }

    var memo: [Double] = [], totals: [Double] = [], withMemory: [Double] = []
    var sink = 0.0
    for _ in 0..<repeats {
        var t = now()
        let e = predictor.estimate(network)
        memo.append(Double(now() - t))
        sink += e.latencyMs.value ?? 0
        t = now()
        let s = predictor.totals(network)
        totals.append(Double(now() - t))
        sink += s.latencyMs.value ?? 0
        t = now()
        let m = predictor.estimate(network).memory
        withMemory.append(Double(now() - t))
        sink += Double(m.livenessBytes)
    }
    precondition(sink > 0)
    predictors.append(predictor)
    func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, n - s.count))
        return left ? s + fill : fill + s
    }
    print([pad(id, 8, left: true), pad(micro(load), 11), pad(micro(firstQuery), 11), pad(micro(median(cold)), 13),
           pad(micro(median(memo)), 13), pad(micro(median(totals)), 11), pad(micro(median(withMemory)), 12),
           pad(first.latencyMs.value.map { String(format: "%.3f", $0) } ?? "n/a", 10)].joined(separator: "  "))
}

// Throughput: every thread cycles through all devices on the memoized path.
let threads = ProcessInfo.processInfo.activeProcessorCount
let perThread = 20_000
let shared = predictors
let start = now()
DispatchQueue.concurrentPerform(iterations: threads) { t in
    var sink = 0.0
    for i in 0..<perThread {
        sink += shared[(i + t) % shared.count].totals(network).latencyMs.value ?? 1
    }
    precondition(sink > 0)
}
let seconds = Double(now() - start) / 1e9
print("")
print(String(format: "memoized totals, %d threads over %d devices: %.0f network queries/s (%d queries in %.2f s)",
             threads, shared.count, Double(threads * perThread) / seconds, threads * perThread, seconds))
