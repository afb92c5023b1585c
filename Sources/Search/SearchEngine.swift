import Foundation

/// Runs an algorithm on a problem: asks for genotypes, measures them in parallel (each architecture once),
/// scores them, and tells the algorithm. Replaying the log of an interrupted run restores the algorithm's
/// state exactly, because its proposals depend only on its seed and on what it was told.
public final class SearchEngine {
    public let problem: SearchProblem
    public let settings: SearchSettings
    /// Threads for measuring a batch.
    public var jobs: Int
    private var cache: [Genotype: Evaluation] = [:]

    public init(problem: SearchProblem, settings: SearchSettings, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        try settings.algorithm.validate()
        guard settings.evaluations >= 1 else { throw SearchError("--evaluations must be at least 1, got \(settings.evaluations)") }
        self.problem = problem
        self.settings = settings
        self.jobs = max(1, jobs)
    }

    /// Runs to `settings.evaluations` candidates. `log` holds the candidates of an interrupted run, in order;
    /// `record` receives each batch of newly evaluated candidates before the algorithm sees them.
    public func run(replaying log: [Candidate] = [],
                    record: ([Candidate]) throws -> Void = { _ in },
                    progress: (SearchProgress) -> Void = { _ in }) throws -> SearchResult {
        try run(replaying: log, record: { candidates, _ in try record(candidates) }, progress: progress)
    }

    /// `run`, appending each batch of newly evaluated candidates to `candidateLog` before the algorithm sees
    /// them; their lines are written on the threads that measure.
    public func run(replaying log: [Candidate] = [], appendingTo candidateLog: CandidateLog,
                    progress: (SearchProgress) -> Void = { _ in }) throws -> SearchResult {
        try run(replaying: log, record: { candidates, workers in try candidateLog.append(candidates, workers: workers) },
                progress: progress)
    }

    private func run(replaying log: [Candidate], record: ([Candidate], BatchWorkers) throws -> Void,
                     progress: (SearchProgress) -> Void) throws -> SearchResult {
        guard log.count <= settings.evaluations else {
            throw SearchError("the log holds \(log.count) candidates, more than the run's \(settings.evaluations) evaluations")
        }
        var algorithm = settings.algorithm.make(problem: problem, seed: settings.algorithmSeed)
        var all: [Candidate] = []
        all.reserveCapacity(settings.evaluations)
        var archive = ParetoArchive()
        var archived = Set<Genotype>()
        var feasible = 0
        var best: Double?
        let genome = problem.genome
        let workers = BatchWorkers(jobs: jobs)
        defer { workers.stop() }
        while all.count < settings.evaluations {
            let asked = algorithm.ask(limit: settings.evaluations - all.count)
            precondition(!asked.isEmpty && asked.count <= settings.evaluations - all.count, "ask broke its contract")
            var batch: [Candidate?] = Array(repeating: nil, count: asked.count)
            for (k, g) in asked.enumerated() where all.count + k < log.count {
                let logged = log[all.count + k]
                guard logged.index == all.count + k, logged.genotype == g else {
                    throw SearchError("candidates.jsonl line \(all.count + k + 1) holds genotype \(logged.genotype), but the search proposes \(g) there: the log does not belong to this run's configuration")
                }
                batch[k] = logged
                cache[genome.canonical(g)] = logged.evaluation
            }
            let missing = asked.indices.filter { batch[$0] == nil }
            let keys = missing.map { genome.canonical(asked[$0]) }
            var toEvaluate: [Genotype] = []
            var pending = Set<Genotype>()
            for key in keys where cache[key] == nil && pending.insert(key).inserted { toEvaluate.append(key) }
            let problem = self.problem
            let evaluated = try workers.map(toEvaluate) { g, worker in try problem.evaluate(g, worker: worker) }
            for (key, e) in zip(toEvaluate, evaluated) { cache[key] = e }
            var fresh: [Candidate] = []
            for (k, key) in zip(missing, keys) {
                let c = problem.candidate(index: all.count + k, genotype: asked[k], evaluation: cache[key]!)
                batch[k] = c
                fresh.append(c)
            }
            if !fresh.isEmpty { try record(fresh, workers) }
            let told = batch.map { $0! }
            if all.isEmpty { try checkMeasurable(told) }
            for c in told where c.isFeasible {
                feasible += 1
                if let q = c.quality { best = max(best ?? q, q) }
                if archived.insert(genome.canonical(c.genotype)).inserted { archive.insert(c.knownF!) }
            }
            all += told
            algorithm.tell(told)
            progress(SearchProgress(evaluated: all.count, total: settings.evaluations, replayed: min(all.count, log.count),
                                    feasible: feasible, bestFeasibleQuality: best, frontSize: archive.count))
        }
        return SearchResult(objectives: problem.objectives, budgets: problem.budgets, candidates: all, genome: genome,
                            latencyBounds: problem.latencyBounds)
    }

    /// Stops a search whose first batch could not be scored on some objective or budget at all, which
    /// means a device's predictor lacks that metric or the quality estimator fails: no candidate could be feasible.
    private func checkMeasurable(_ batch: [Candidate]) throws {
        func reason(_ c: Candidate, _ device: String, _ metric: CostMetric) -> String {
            c.evaluation.costs[device]?.unavailable[metric.rawValue] ?? "no value"
        }
        for (k, o) in problem.objectives.enumerated() where batch.allSatisfy({ $0.F[k] == nil }) {
            switch o {
            case .quality:
                throw SearchError("quality (\(problem.quality.name)) failed for all \(batch.count) candidates of the first batch: \(batch[0].evaluation.quality.failure ?? "no value")")
            case .cost(let d, let m):
                throw SearchError("objective \(o.name) has no prediction for any of the \(batch.count) candidates of the first batch (\(d): \(reason(batch[0], d, m))); choose another objective")
            }
        }
        for (k, b) in problem.budgets.enumerated() where batch.allSatisfy({ $0.G[k] == nil }) {
            throw SearchError("budget \(b.name) cannot be checked: no prediction for any of the \(batch.count) candidates of the first batch (\(b.device): \(reason(batch[0], b.device, b.metric)))")
        }
    }
}
