// bench-search: how fast the search evaluates candidates and how good its results are, measured side by
// side in one run on this machine.
//
//   swift run -c release --scratch-path .build-bench bench-search [options]
//
//   --evaluations N      candidates per throughput evaluation (default 20000)
//   --synflow-sample N   architectures for the synflow throughput and rank agreement (default 40)
//   --seeds N            seeds per algorithm for the search-quality comparison (default 10)
//   --hv-evaluations N   evaluations per search-quality run (default 500)
//   --search-quality Q   quality estimator of the search-quality runs: synflow (default, at 112 px) or params
//                        (seconds instead of minutes)
//   --jobs N             the most threads used (default: all cores)
//
// (a) Cost side, `params` quality, space mobile-224, latency, energy and memory predicted on every device:
//     the pure evaluation (decode → shape inference → figures → predictions, `SearchProblem.measure`) and the
//     search loop (algorithm, evaluation, scoring, candidates.jsonl) and the loop with the end-of-run outputs
//     (front, summary, architecture files), each with the predictors' memos emptied first, on one thread and
//     on all. Wall-clock and process CPU time. The seven-device rows again with a latency budget on every device
//     checked on its 90 % upper bound (`--confidence 0.9`), so the bound's cost is measured side by side.
// (b) Synflow at its default reduced resolution and at full resolution, and their rank agreement.
// (c) Hypervolume of random search, evolution and NSGA-II on quality vs pi4 latency under a 20 ms budget.
import Foundation
import NASAnalysis
import NASArchitecture
import NASPredictors
import NASSearch
import NASSupport

// MARK: Options

var evaluations = 20_000
var synflowSample = 40
var seeds = 10
var hvEvaluations = 500
var searchQuality = "synflow"
var maxJobs = ProcessInfo.processInfo.activeProcessorCount
var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func intArgument(_ name: String) -> Int {
    guard !arguments.isEmpty, let v = Int(arguments.removeFirst()), v > 0 else { fatalError("\(name) needs a positive integer") }
    return v
}
while !arguments.isEmpty {
    let a = arguments.removeFirst()
    switch a {
    case "--evaluations": evaluations = intArgument(a)
    case "--synflow-sample": synflowSample = max(3, intArgument(a))
    case "--seeds": seeds = max(2, intArgument(a))
    case "--hv-evaluations": hvEvaluations = intArgument(a)
    case "--search-quality":
        guard !arguments.isEmpty, ["params", "synflow"].contains(arguments[0]) else { fatalError("--search-quality is params or synflow") }
        searchQuality = arguments.removeFirst()
    case "--jobs": maxJobs = intArgument(a)
    default: fatalError("unknown option \(a); see the comment at the top of Benchmarks/Search/main.swift")
    }
}
let jobCounts = maxJobs > 1 ? [1, maxJobs] : [1]

// MARK: Measuring

struct Clock {
    let wall: UInt64, cpu: Double
    static func now() -> Clock {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        let cpu = Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
        return Clock(wall: DispatchTime.now().uptimeNanoseconds, cpu: cpu)
    }
    /// Wall and process CPU seconds since `self` (CPU counts every thread).
    func elapsed() -> (wall: Double, cpu: Double) {
        let n = Clock.now()
        return (Double(n.wall - wall) / 1e9, n.cpu - cpu)
    }
}

func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
}

func cpuModel() -> String {
    let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let line = text.split(separator: "\n").first { $0.hasPrefix("model name") }
    return line.map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) } ?? "unknown"
}

func f(_ x: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", x) }
func padded(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
func row(_ cells: [String], _ widths: [Int]) -> String {
    zip(cells, widths).map { padded($0, $1) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
}

/// How much two threads get done relative to one right now, on plain arithmetic: about 2 when both cores are
/// free, about 1 when other work holds one of them. Printed beside the measurements it qualifies.
final class Sink: @unchecked Sendable { var value = 0.0 }
@Sendable func spin() -> Double {
    var x = 1.0
    for _ in 0..<30_000_000 { x = x * 1.000_000_1 + 1e-9 }
    return x
}
func parallelCapacity() -> Double {
    let sink = Sink()
    let t1 = Clock.now()
    sink.value += spin()
    let one = t1.elapsed().wall
    let done = DispatchSemaphore(value: 0)
    let other = Sink()
    let t2 = Clock.now()
    Thread { other.value = spin(); done.signal() }.start()
    sink.value += spin()
    done.wait()
    let two = t2.elapsed().wall
    sink.value += other.value
    return sink.value > 0 ? 2 * one / two : 0
}
@MainActor func conditions() -> String {
    "load average \(loadAverage()); two threads of plain arithmetic run at \(f(parallelCapacity(), 2))× one"
}

/// The paper's (Sponner et al.) cost of one prediction for one network on one device.
let paperMillisecondsPerQuery = 46.9

// MARK: Setup

#if DEBUG
print("warning: debug build; run with -c release for meaningful numbers\n")
#endif
print("bench-search \(CommandLine.arguments.dropFirst().joined(separator: " ")): \(cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores")
let allDevices = ["a100", "k80", "gtx980ti", "xeon", "i7", "pi4", "xu4"]
let (space, spacePath) = try SearchSpace.locate("mobile-224")
let genome = Genome(space)
let loadStart = Clock.now()
let estimators = try PredictorCostEstimator.load(devices: allDevices)
let loadTime = loadStart.elapsed()
print("space \(space.name) (\(spacePath)); predictor bundles of \(allDevices.joined(separator: ",")) loaded in \(f(loadTime.wall, 2)) s")
func pick(_ ids: [String]) -> [PredictorCostEstimator] { ids.map { id in estimators.first { $0.deviceID == id }! } }
func clearMemos() { for e in estimators { e.predictor.clearMemo() } }

/// `count` distinct architectures (by canonical genotype), seeded.
func distinctGenotypes(_ count: Int, seed: UInt64) -> [Genotype] {
    var rng = SeededRandom(seed: seed)
    var seen = Set<Genotype>()
    var out: [Genotype] = []
    while out.count < count {
        let g = genome.random(&rng)
        if seen.insert(genome.canonical(g)).inserted { out.append(g) }
    }
    return out
}

let scratch = NSTemporaryDirectory() + "bench-search-\(ProcessInfo.processInfo.processIdentifier)"
defer { try? FileManager.default.removeItem(atPath: scratch) }

// MARK: (a) Cost side

print("\n(a) Cost side: --quality params, \(evaluations) evaluations per row, latency/energy/memory on every device")
print("    before: \(conditions())")
print("    each row starts with empty predictor memos (a fresh search); rates are evaluations per wall-clock second")
let genotypes = distinctGenotypes(evaluations, seed: 1)
let widths = [42, 7, 4, 7, 7, 8, 9, 16]
print(row(["what", "devices", "jobs", "wall s", "CPU s", "evals/s", "µs/query", "vs 46.9 ms/query"], widths))

@MainActor func report(_ name: String, devices: Int, jobs: Int, _ time: (wall: Double, cpu: Double)) {
    let perQuery = time.wall / Double(evaluations * devices)
    print(row([name, "\(devices)", "\(jobs)", f(time.wall, 3), f(time.cpu, 3), f(Double(evaluations) / time.wall),
               f(perQuery * 1e6, 2), f(paperMillisecondsPerQuery / 1000 / perQuery) + "×"], widths))
}

// The seven-device rows run twice: on the point prediction, and with a latency budget on every device checked on
// its 90 % upper bound (layer-by-layer factors; a budget of 1 s, so the bound is computed and checked for every
// candidate without making the search infeasible), so the bound's cost shows as the ratio of the two.
for (devices, confidence) in [(["pi4"], 0.0), (allDevices, 0.0), (allDevices, 0.9)] {
    let es = pick(devices)
    let bounds = try LatencyBounds.resolve(confidence: confidence, estimators: es)
    let tag = confidence > 0 ? ", 90 % bounds" : ""
    let boundBudgets = confidence > 0 ? try Budget.parse("1s", metric: .latency, devices: devices) : []
    for jobs in jobCounts {
        clearMemos()
        let problem = try SearchProblem(space: space, estimators: es, quality: CapacityQuality(.params),
                                        objectives: SearchDefaults.objectives(devices: devices, budgets: boundBudgets),
                                        budgets: boundBudgets, latencyBounds: bounds)
        let t = Clock.now()
        let evaluated = try problem.evaluate(genotypes, jobs: jobs)
        precondition(evaluated.count == genotypes.count)
        if confidence > 0 {
            precondition(evaluated.allSatisfy { e in devices.allSatisfy { e.costs[$0]?.latencyBoundMs != nil || !bounds.isBounded($0) } })
        }
        report("evaluation" + tag, devices: devices.count, jobs: jobs, t.elapsed())
    }
    // The search `nas search` runs by default: evolution under a budget for one device, NSGA-II over quality
    // and every device's latency for several.
    let budgets = devices.count == 1 ? try Budget.parse("20ms", metric: .latency, devices: devices) : boundBudgets
    let objectives = SearchDefaults.objectives(devices: devices, budgets: budgets)
    let algorithm = SearchDefaults.algorithm(devices: devices, budgets: budgets, explicitObjectives: nil)
    for jobs in jobCounts {
        clearMemos()
        let config = SearchConfiguration(space: space, spaceSource: spacePath, devices: devices, budgets: budgets,
                                         objectives: objectives, quality: .params,
                                         settings: SearchSettings(algorithm: algorithm, evaluations: evaluations, seed: 0),
                                         latencyBounds: LatencyBounds(confidence: confidence), created: "")
        let t = Clock.now()
        let run = try SearchRun.create(config, estimators: es, in: scratch)
        let engine = try SearchEngine(problem: try run.problem(estimators: es), settings: config.settings, jobs: jobs)
        let result = try engine.run(appendingTo: run.log)
        let loop = t.elapsed()
        report("search loop (\(algorithm.name), log\(tag))", devices: devices.count, jobs: jobs, loop)
        try run.writeOutputs(result, top: 10, jobs: jobs)
        let whole = t.elapsed()
        report("search + outputs (front of \(result.front.count))", devices: devices.count, jobs: jobs, whole)
    }
}
// The rows above run once each, and the first rows of a process pay for warming caches and the allocator, so the
// bound's cost is measured again here: the same genotypes evaluated on seven devices without and with the 90 %
// bounds, alternated five times on one thread, memos emptied before each.
do {
    let es = pick(allDevices)
    let bounds = try LatencyBounds.resolve(confidence: 0.9, estimators: es)
    let budgets = try Budget.parse("1s", metric: .latency, devices: allDevices)
    func rate(_ b: LatencyBounds) throws -> Double {
        clearMemos()
        let problem = try SearchProblem(space: space, estimators: es, quality: CapacityQuality(.params),
                                        objectives: SearchDefaults.objectives(devices: allDevices, budgets: budgets),
                                        budgets: budgets, latencyBounds: b)
        let t = Clock.now()
        let evaluated = try problem.evaluate(genotypes, jobs: 1)
        let wall = t.elapsed().wall
        precondition(evaluated.count == genotypes.count)
        return Double(evaluations) / wall
    }
    var plain: [Double] = [], bounded: [Double] = []
    for _ in 0..<5 { plain.append(try rate(.none)); bounded.append(try rate(bounds)) }
    func median(_ x: [Double]) -> Double { x.sorted()[x.count / 2] }
    print("    bound cost, 5 alternating pairs on 1 thread, 7 devices: evaluations/s without \(plain.map { f($0) }.joined(separator: " ")), with \(bounded.map { f($0) }.joined(separator: " "))")
    print("    median with / without: \(f(median(bounded))) / \(f(median(plain))) = \(String(format: "%.3f", median(bounded) / median(plain)))×")
}
if let l = try LatencyBounds.resolve(confidence: 0.9, estimators: pick(allDevices)).layerwise["pi4"] {
    print("    90 % bounds: layer-by-layer factors from the bundles' nested-CV errors (pi4: \(l.summary)); budget 1 s on every device")
}
print("    µs/query: wall time per network and device; the paper's baseline is 46.9 ms per network-and-device query")
print("    \"search + outputs\" is the whole search as `nas search` runs it once the bundles are loaded: run folder, loop,")
print("    front.json/csv, summary.md and one architecture file per front member")
print("    after: \(conditions())")

// MARK: (b) Synflow

print("\n(b) Synflow (data-free, runs the network: forward and backward in float64), \(synflowSample) architectures, pi4 costs")
print("    before: \(conditions())")
let synflowGenotypes = distinctGenotypes(synflowSample, seed: 2)
let synflowWidths = [42, 4, 7, 7, 8]
print(row(["quality", "jobs", "wall s", "CPU s", "evals/s"], synflowWidths))
for (label, resolution, sample) in [("synflow at 112 px (default, reduced)", Optional(QualitySpec.defaultSynflowResolution), synflowSample),
                                    ("synflow at 224 px (full)", nil, max(3, synflowSample / 4))] {
    for jobs in jobCounts {
        let problem = try SearchProblem(space: space, estimators: pick(["pi4"]),
                                        quality: SynflowQuality(seed: 7, resolution: resolution, inputH: space.inputH, inputW: space.inputW),
                                        objectives: [.quality, .cost(device: "pi4", metric: .latency)], budgets: [])
        let t = Clock.now()
        _ = try problem.evaluate(Array(synflowGenotypes.prefix(sample)), jobs: jobs)
        let e = t.elapsed()
        print(row([label + " ×\(sample)", "\(jobs)", f(e.wall, 2), f(e.cpu, 2), f(Double(sample) / e.wall, 1)], synflowWidths))
    }
}
let agreement = try SynflowAgreement.measure(space: space, sample: synflowSample, resolution: QualitySpec.defaultSynflowResolution,
                                             seed: 0, jobs: maxJobs)
print("    reduced resolution: mobile-224's 224×224 input is scored at \(QualitySpec.defaultSynflowResolution)×\(QualitySpec.defaultSynflowResolution); Spearman ρ with full resolution over \(agreement.sample) random architectures: \(f(agreement.spearman, 3))")
print("    mean per network on one thread: \(f(agreement.fullSeconds * 1000, 1)) ms at 224 px, \(f(agreement.reducedSeconds * 1000, 1)) ms at 112 px; scores are cached per architecture, so a repeat costs nothing")
print("    after: \(conditions())")

// MARK: (c) Search quality

let hvQuality: QualitySpec = searchQuality == "synflow" ? .synflow(resolution: QualitySpec.defaultSynflowResolution) : .params
print("\n(c) Search quality: \(seeds) seeds × \(hvEvaluations) evaluations, quality (\(hvQuality.description)) vs pi4 latency, pi4 latency ≤ 20 ms")
let budget = try Budget.parse("20ms", metric: .latency, devices: ["pi4"])
let algorithms: [(String, AlgorithmSettings)] = [("random", .defaultRandom), ("evolution", .defaultEvolution), ("NSGA-II", .defaultNSGA2)]
var fronts: [String: [[[Double]]]] = [:]
var feasibleCounts: [String: [Int]] = [:]
let hvStart = Clock.now()
for (name, settings) in algorithms {
    for seed in 0..<UInt64(seeds) {
        let search = SearchSettings(algorithm: settings, evaluations: hvEvaluations, seed: seed)
        let problem = try SearchProblem(space: space, estimators: pick(["pi4"]),
                                        quality: hvQuality.make(space: space, seed: search.qualitySeed, directory: scratch),
                                        objectives: [.quality, .cost(device: "pi4", metric: .latency)], budgets: budget)
        let result = try SearchEngine(problem: problem, settings: search, jobs: maxJobs).run()
        let feasible = result.candidates.filter(\.isFeasible).map { $0.knownF! }
        fronts[name, default: []].append(feasible)
        feasibleCounts[name, default: []].append(feasible.count)
    }
}
let hvTime = hvStart.elapsed()
let everyPoint = fronts.values.flatMap { $0.flatMap { $0 } }
if everyPoint.isEmpty {
    print("    no run found a feasible candidate; no hypervolume to compare")
} else {
    let normalization = ObjectiveNormalization(points: everyPoint)
    let reference = [1.1, 1.1]
    let q0 = -normalization.nadir[0], q1 = -normalization.ideal[0]
    print("    one normalization for all \(algorithms.count * seeds) runs, min-max over every feasible point found by any run:")
    print("      quality \(f(q0, 4))…\(f(q1, 4)) (worst…best), pi4 latency \(f(normalization.ideal[1], 3))…\(f(normalization.nadir[1], 3)) ms → 0…1, both minimised (quality negated)")
    print("    reference point (1.1, 1.1) in normalised units = quality \(f(q0 - 0.1 * (q1 - q0), 4)), latency \(f(normalization.invert(reference)[1], 3)) ms")
    func meanSD(_ v: [Double]) -> (Double, Double) {
        let m = v.reduce(0, +) / Double(v.count)
        let sd = (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
        return (m, sd)
    }
    var randomMean = 0.0
    let hvWidths = [10, 18, 22, 16, 10]
    print(row(["algorithm", "feasible per run", "hypervolume mean ± sd", "min…max", "vs random"], hvWidths))
    for (name, _) in algorithms {
        let values = fronts[name]!.map { points in
            Hypervolume.compute(points.map(normalization.apply), reference: reference).value
        }
        let (m, sd) = meanSD(values)
        if name == "random" { randomMean = m }
        let counts = feasibleCounts[name]!
        print(row([name, "\(counts.min()!)…\(counts.max()!) of \(hvEvaluations)", "\(f(m, 4)) ± \(f(sd, 4))",
                   "\(f(values.min()!, 4))…\(f(values.max()!, 4))", randomMean > 0 ? f(m / randomMean, 2) + "×" : "n/a"], hvWidths))
    }
}
print("    \(algorithms.count * seeds) runs in \(f(hvTime.wall, 1)) s wall, \(f(hvTime.cpu, 1)) s CPU; after: \(conditions())")
