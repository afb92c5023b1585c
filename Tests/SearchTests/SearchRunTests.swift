import Foundation
import NASArchitecture
import Testing
@testable import NASSearch
import NASSupport

@Suite struct SearchRunTests {
    static let algorithms: [AlgorithmSettings] = [
        .random(batch: 8), .evolution(population: 20, sampleSize: 5, batch: 4), .nsga2(population: 12),
    ]
    let estimators: [any NetworkCostEstimator] = [ProportionalEstimator(deviceID: "pi4"), ProportionalEstimator(deviceID: "xu4", msPerMegaMAC: 0.05)]

    func configuration(_ algorithm: AlgorithmSettings, evaluations: Int = 90, seed: UInt64 = 7,
                       latency: Double = 5, quality: QualitySpec = .params, space: String = "cifar-32") throws -> SearchConfiguration {
        let budgets = [Budget(device: "pi4", metric: .latency, limit: latency, given: "\(latency)ms")]
        return Fixtures.configuration(space: try Fixtures.space(space), devices: ["pi4", "xu4"], budgets: budgets,
                                      objectives: [.quality, .cost(device: "pi4", metric: .latency), .cost(device: "xu4", metric: .energy)],
                                      quality: quality, algorithm: algorithm, evaluations: evaluations, seed: seed)
    }

    func run(_ c: SearchConfiguration, jobs: Int = 2) throws -> (SearchRun, SearchResult, Data) {
        let run = try SearchRun.create(c, estimators: estimators, in: try Fixtures.temporaryDirectory())
        let result = try run.execute(estimators: estimators, jobs: jobs)
        return (run, result, try Data(contentsOf: URL(fileURLWithPath: run.log.path)))
    }

    @Test(arguments: algorithms)
    func sameSeedGivesIdenticalCandidatesLog(_ algorithm: AlgorithmSettings) throws {
        let (_, a, logA) = try run(try configuration(algorithm))
        let (_, _, logB) = try run(try configuration(algorithm))
        #expect(a.candidates.count == 90)
        #expect(logA == logB)
        let (_, _, logC) = try run(try configuration(algorithm, seed: 8))
        #expect(logA != logC)
    }

    @Test(arguments: algorithms)
    func killedAndResumedGivesTheUninterruptedResult(_ algorithm: AlgorithmSettings) throws {
        let config = try configuration(algorithm)
        let (whole, result, log) = try run(config)
        let lines = log.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 90)
        let front = try Data(contentsOf: URL(fileURLWithPath: whole.directory + "/front.json"))
        for cut in [0, 1, 13, 45, 89] {
            let interrupted = try SearchRun.create(config, estimators: estimators, in: try Fixtures.temporaryDirectory())
            // A kill leaves `cut` complete lines and part of the next one.
            var partial = Data(lines.prefix(cut).map { Data($0) + Data([0x0A]) }.joined())
            partial += Data(lines[cut].prefix(lines[cut].count / 2))
            try partial.write(to: URL(fileURLWithPath: interrupted.log.path))
            let resumed = try SearchRun.open(interrupted.directory)
            let r = try resumed.execute(estimators: estimators, jobs: 1)
            #expect(try Data(contentsOf: URL(fileURLWithPath: resumed.log.path)) == log, "cut at \(cut)")
            #expect(r.front == result.front)
            #expect(try Data(contentsOf: URL(fileURLWithPath: resumed.directory + "/front.json")) == front)
        }
    }

    @Test func threadCountDoesNotChangeTheRun() throws {
        let c = try configuration(.evolution(population: 8, sampleSize: 3, batch: 4), evaluations: 16,
                                  latency: 1, quality: .synflow(resolution: nil), space: "fashion-mnist-28")
        let (_, _, one) = try run(c, jobs: 1)
        let (_, _, two) = try run(c, jobs: 2)
        let (_, _, three) = try run(c, jobs: 3)
        #expect(one == two && two == three)
    }

    @Test func everyFrontCandidateMeetsTheBudgets() throws {
        for algorithm in Self.algorithms {
            let (run, result, _) = try run(try configuration(algorithm, latency: 3))
            #expect(!result.front.isEmpty)
            for i in result.front {
                let c = result.candidates[i]
                #expect(c.isFeasible)
                #expect(c.evaluation.costs["pi4"]!.latencyMs! <= 3)
            }
            #expect(result.top(5, genome: run.genome).allSatisfy { $0.evaluation.costs["pi4"]!.latencyMs! <= 3 })
        }
    }

    @Test func anImpossibleBudgetReportsTheCheapestValueFound() throws {
        let (_, result, _) = try run(try configuration(.evolution(population: 10, sampleSize: 3, batch: 2), evaluations: 30, latency: 0.001))
        #expect(result.feasibleCount == 0)
        #expect(result.front.isEmpty)
        let message = try #require(result.infeasibilityMessage)
        let (value, index) = try #require(result.cheapest(for: result.budgets[0]))
        #expect(message == "no candidate among 30 met every budget; pi4.latency ≤ 0.001 ms: cheapest found \(Quantity.format(value, .latency, significant: 6)) (candidate \(index))")
        #expect(value == result.candidates.compactMap { $0.evaluation.costs["pi4"]?.latencyMs }.min())
    }

    @Test func evolutionFindsFeasibleCandidatesUnderATightBudget() throws {
        // Random initial networks rarely meet 1.5 ms; constraint-domination must steer the population there.
        let (_, result, _) = try run(try configuration(.evolution(population: 16, sampleSize: 4, batch: 4), evaluations: 120, latency: 1.5))
        let early = result.candidates.prefix(16).filter(\.isFeasible).count
        let late = result.candidates.suffix(40).filter(\.isFeasible).count
        #expect(late > early)
    }

    @Test func aLogFromAnotherConfigurationIsRefused() throws {
        let (_, _, log) = try run(try configuration(.random(batch: 8), evaluations: 20, seed: 1))
        let other = try SearchRun.create(try configuration(.random(batch: 8), evaluations: 20, seed: 2), estimators: estimators,
                                         in: try Fixtures.temporaryDirectory())
        try log.write(to: URL(fileURLWithPath: other.log.path))
        let e = #expect(throws: SearchError.self) { try SearchRun.open(other.directory).execute(estimators: estimators) }
        #expect(e?.message.hasPrefix("candidates.jsonl line 1 holds genotype") == true)
    }

    @Test func changedPredictorsAreRefused() throws {
        let (run, _, _) = try run(try configuration(.random(batch: 8), evaluations: 8))
        let changed: [any NetworkCostEstimator] = [ProportionalEstimator(deviceID: "pi4", msPerMegaMAC: 0.2), estimators[1]]
        let e = #expect(throws: SearchError.self) { try SearchRun.open(run.directory).execute(estimators: changed) }
        #expect(e?.message.contains("the predictor for pi4 changed since the run started") == true)
    }

    @Test func outputsAndExport() throws {
        let (run, result, _) = try run(try configuration(.nsga2(population: 12), evaluations: 36))
        let csv = try String(contentsOfFile: run.directory + "/front.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv[0] == "candidate,quality,pi4_latency_ms,pi4_energy_mj,pi4_memory_mib,xu4_latency_ms,xu4_energy_mj,xu4_memory_mib,macs,params,peak_memory_mib,architecture_file,genotype")
        #expect(csv.count == result.front.count + 1)
        let front = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: run.directory + "/front.json")))
        #expect(front["candidates"]?.arrayValue?.count == result.front.count)
        let summary = try String(contentsOfFile: run.directory + "/summary.md", encoding: .utf8)
        #expect(summary.contains("36 evaluations"))
        let config = try SearchRun.open(run.directory).configuration
        #expect(config.settings == run.configuration.settings && config.objectives == run.configuration.objectives)
        #expect(config.estimatorIdentities["xu4"] == estimators[1].identity)
        let i = result.front[0]
        let path = run.directory + "/exported.json"
        let arch = try run.export(candidate: i, to: path)
        #expect(try Architecture.load(path: path) == arch)
        #expect(try Architecture.load(path: run.directory + "/" + SearchRun.architectureFile(i)) == arch)
        #expect(arch.name == result.candidates[i].evaluation.summary.name)
        #expect(throws: SearchError("--candidate 99: the run has candidates 0...35")) { try run.export(candidate: 99, to: path) }
        let table = RunReport(configuration: run.configuration, result: result, genome: run.genome).topTable(3).plain
        #expect(table.hasPrefix("#  candidate"))
    }

    @Test func aMetricWithoutPredictionsStopsTheSearchAfterTheFirstBatch() throws {
        let noEnergy: [any NetworkCostEstimator] = [ProportionalEstimator(deviceID: "pi4", withoutEnergy: true)]
        let space = try Fixtures.space("cifar-32")
        let budget = Fixtures.configuration(space: space, budgets: [Budget(device: "pi4", metric: .energy, limit: 100, given: "100mJ")],
                                            objectives: [.quality], algorithm: .random(batch: 4), evaluations: 8, seed: 1)
        let run = try SearchRun.create(budget, estimators: noEnergy, in: try Fixtures.temporaryDirectory())
        #expect(throws: SearchError("budget pi4.energy cannot be checked: no prediction for any of the 4 candidates of the first batch (pi4: no power measurements)")) {
            try run.execute(estimators: noEnergy)
        }
        // The batch is logged, with the reason.
        let lines = try String(contentsOfFile: run.log.path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].contains("\"unavailable\":{\"energy\":\"no power measurements\"}"))
        let objective = Fixtures.configuration(space: space, budgets: [], objectives: [.quality, .cost(device: "pi4", metric: .energy)],
                                               algorithm: .nsga2(population: 6), evaluations: 12, seed: 1)
        #expect(throws: SearchError("objective pi4.energy has no prediction for any of the 6 candidates of the first batch (pi4: no power measurements); choose another objective")) {
            try SearchRun.create(objective, estimators: noEnergy, in: try Fixtures.temporaryDirectory()).execute(estimators: noEnergy)
        }
    }

    @Test func unknownCostsMakeACandidateInfeasible() throws {
        let genome = Genome(try Fixtures.space("cifar-32"))
        var rng = SeededRandom(seed: 1)
        let c = Candidate(index: 0, genotype: genome.random(&rng), evaluation: Evaluation(
            summary: ArchitectureSummary(name: "n", layers: 1, macs: 1, params: 1, peakMemoryBytes: 1),
            quality: QualityOutcome(value: 1), costs: [:]), F: [-1], G: [nil], CV: 0)
        #expect(!c.isFeasible && c.unknowns == 1)
        #expect(c.violation > Violation(unknowns: 0, amount: 5))
        let r = SearchResult(objectives: [.quality], budgets: [Budget(device: "pi4", metric: .energy, limit: 100, given: "100mJ")],
                             candidates: [c], genome: genome)
        #expect(r.infeasibilityMessage == "no candidate among 1 met every budget; pi4.energy ≤ 100 mJ: no prediction available")
    }
}
