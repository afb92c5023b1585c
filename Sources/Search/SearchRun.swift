import Foundation
import NASArchitecture
import NASSupport

/// A search on disk, `Runs/<UTC-timestamp>-<slug>/`: config.json, the append-only candidates.jsonl, and
/// front.json, front.csv, summary.md and the front's architecture files, rewritten atomically.
public final class SearchRun {
    public let directory: String
    public let configuration: SearchConfiguration

    /// The exclusive claim of this process on the folder, once it writes to it (`claim(for:)`).
    public private(set) var lock: FolderLock?

    public var configPath: String { directory + "/config.json" }
    public let log: CandidateLog

    init(directory: String, configuration: SearchConfiguration) {
        self.directory = directory
        self.configuration = configuration
        log = CandidateLog(path: directory + "/candidates.jsonl")
    }

    /// Creates the run folder under `runsDirectory` and writes config.json (with the estimators' and the quality
    /// estimator's identities filled in) and an empty candidates.jsonl.
    public static func create(_ configuration: SearchConfiguration, estimators: [any NetworkCostEstimator],
                              in runsDirectory: String, now: Date = Date()) throws -> SearchRun {
        var config = configuration
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stamp = f.string(from: now)
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        config.created = f.string(from: now)
        let slug = ([config.space.name] + config.devices + [config.settings.algorithm.name]).joined(separator: "-")
            .map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }
        let base = "\(runsDirectory)/\(stamp)-\(String(slug))"
        config.latencyBounds = try LatencyBounds.resolve(confidence: config.latencyBounds.confidence, estimators: estimators)
        let (directory, lock) = try claimNewFolder(base)
        config.estimatorIdentities = Dictionary(uniqueKeysWithValues: estimators.map { ($0.deviceID, $0.identity) })
        let quality = config.quality.make(space: config.space, seed: config.settings.qualitySeed, directory: directory + "/external")
        config.qualitySettings = quality.settings
        config.qualityNote = quality.note
        let run = SearchRun(directory: directory, configuration: config)
        run.lock = lock
        try AtomicFile.write(config.jsonValue.serialized() + "\n", to: run.configPath)
        guard FileManager.default.createFile(atPath: run.log.path, contents: nil) else {
            throw SearchError("cannot create \(run.log.path)")
        }
        return run
    }

    /// Makes `base` (or `base-2`, `base-3`, … when another run took the name) with mkdir(2), which fails when
    /// the folder exists, so two searches started in the same second never share one; then locks it.
    private static func claimNewFolder(_ base: String) throws -> (String, FolderLock) {
        let parent = (base as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent.isEmpty ? "." : parent, withIntermediateDirectories: true)
        } catch {
            throw SearchError("cannot create \(parent): \((error as NSError).localizedDescription)")
        }
        var directory = base
        for n in 2... {
            if mkdir(directory, 0o755) == 0 { break }
            guard errno == EEXIST else { throw SearchError("cannot create \(directory): \(String(cString: strerror(errno)))") }
            directory = "\(base)-\(n)"
        }
        return (directory, try FolderLock(directory, purpose: "nas search"))
    }

    /// Locks the run for this process's writes (resume, verify, reports), removing temporary files an
    /// interrupted write left; a run another process writes to is refused with one line naming it.
    public func claim(for purpose: String) throws {
        guard lock == nil else { return }
        do {
            lock = try FolderLock(directory, purpose: purpose, subfolders: ["architectures", "plots"])
        } catch let e as FileError {
            throw SearchError(e.description)
        }
    }

    /// Opens an existing run folder.
    public static func open(_ directory: String) throws -> SearchRun {
        let path = directory + "/config.json"
        guard FileManager.default.fileExists(atPath: path) else {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            if !names.isEmpty, names.allSatisfy({ $0 == FolderLock.fileName || AtomicFile.isTemporaryName($0) }) {
                throw SearchError("\(directory) has no config.json: a search was stopped while it created the folder; start the search again (the folder can be removed)")
            }
            throw SearchError("\(directory) is not a search run (no config.json)")
        }
        do {
            let value = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
            return SearchRun(directory: directory, configuration: try SearchConfiguration(jsonValue: value))
        } catch let e as SearchError {
            throw SearchError("\(path): \(e.message)")
        } catch {
            throw SearchError("\(path): \(error)")
        }
    }

    public var genome: Genome { Genome(configuration.space) }

    /// The problem of this run with these estimators, which must be the ones recorded in config.json.
    public func problem(estimators: [any NetworkCostEstimator]) throws -> SearchProblem {
        let c = configuration
        guard estimators.map(\.deviceID) == c.devices else {
            throw SearchError("\(directory): the run searches \(c.devices.joined(separator: ",")), estimators were given for \(estimators.map(\.deviceID).joined(separator: ","))")
        }
        for e in estimators where !c.estimatorIdentities.isEmpty && c.estimatorIdentities[e.deviceID] != e.identity {
            throw SearchError("\(directory): the predictor for \(e.deviceID) changed since the run started (\(Self.describe(c.estimatorIdentities[e.deviceID] ?? [:])) → \(Self.describe(e.identity))); start a new run")
        }
        let quality = c.quality.make(space: c.space, seed: c.settings.qualitySeed, directory: directory + "/external")
        return try SearchProblem(space: c.space, estimators: estimators, quality: quality, objectives: c.objectives, budgets: c.budgets,
                                 latencyBounds: c.latencyBounds)
    }

    private static func describe(_ identity: [String: String]) -> String {
        identity.keys.sorted().map { "\($0)=\(identity[$0]!)" }.joined(separator: " ")
    }

    /// The candidates logged so far. With `repair`, an incomplete last line is removed from the file.
    public func candidates(repair: Bool = false) throws -> [Candidate] {
        try log.read(objectives: configuration.objectives.count, budgets: configuration.budgets.count, repair: repair)
    }

    /// The result as the log stands.
    public func result() throws -> SearchResult {
        SearchResult(objectives: configuration.objectives, budgets: configuration.budgets, candidates: try candidates(), genome: genome,
                     latencyBounds: configuration.latencyBounds)
    }

    /// Runs or continues the search: replays what the log holds, evaluates the rest, appending every batch
    /// to the log, then writes the front, the summary and the architectures of the front and the `top` best.
    public func execute(estimators: [any NetworkCostEstimator], jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                        top: Int = 10, progress: (SearchProgress) -> Void = { _ in }) throws -> SearchResult {
        try claim(for: "nas search")
        let engine = try SearchEngine(problem: try problem(estimators: estimators), settings: configuration.settings, jobs: jobs)
        let logged = try candidates(repair: true)
        let log = self.log
        let result = try engine.run(replaying: logged, appendingTo: log, progress: progress)
        try writeOutputs(result, top: top, jobs: jobs)
        return result
    }

    /// Path, relative to the run folder, of the architecture file of candidate `index`.
    public static func architectureFile(_ index: Int) -> String {
        "architectures/candidate-\(String(format: "%06d", index)).json"
    }

    /// Writes front.json, front.csv, summary.md and the architecture files of the front and the top candidates
    /// (on `jobs` threads: a many-objective front can have thousands).
    public func writeOutputs(_ result: SearchResult, top: Int = 10, jobs: Int = 1) throws {
        let genome = self.genome
        let report = RunReport(configuration: configuration, result: result, genome: genome)
        try FileManager.default.createDirectory(atPath: directory + "/architectures", withIntermediateDirectories: true)
        let exported = Set(result.front + result.top(top, genome: genome).map(\.index)).sorted()
        let directory = self.directory
        _ = try parallelMap(exported.map { (index: $0, genotype: result.candidates[$0].genotype) }, jobs: jobs) { c in
            let arch = try genome.architecture(c.genotype)
            try AtomicFile.write(arch.jsonString(), to: "\(directory)/\(Self.architectureFile(c.index))", durable: false)
        }
        // After the architecture files, which they name.
        _ = try parallelMap(["front.json", "front.csv", "summary.md"], jobs: jobs) { file in
            switch file {
            case "front.json": try AtomicFile.write(report.frontJSON().serialized() + "\n", to: directory + "/front.json")
            case "front.csv": try AtomicFile.write(report.frontCSV(), to: directory + "/front.csv")
            default: try AtomicFile.write(report.summaryMarkdown(directory: directory, top: top), to: directory + "/summary.md")
            }
        }
    }

    /// Writes candidate `index`'s architecture JSON to `path` (atomically) and returns it.
    @discardableResult
    public func export(candidate index: Int, to path: String) throws -> Architecture {
        let all = try candidates()
        guard all.indices.contains(index) else {
            throw SearchError("--candidate \(index): the run has candidates 0...\(max(all.count - 1, 0))")
        }
        let arch = try genome.architecture(all[index].genotype)
        try AtomicFile.write(arch.jsonString(), to: path)
        return arch
    }
}
