import ArgumentParser
import Foundation
import NASSearch

/// `nas synflow-agreement`: is synflow at a reduced resolution a faithful stand-in for full resolution?
struct SynflowAgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synflow-agreement",
        abstract: "Rank agreement (Spearman) of synflow at a reduced input resolution with full resolution, on a random sample.")

    @Option(help: "Space name or file.") var space = SearchDefaults.space
    @Option(help: "Random architectures to score.") var sample = 40
    @Option(help: "Reduced resolution (longer side).") var resolution = QualitySpec.defaultSynflowResolution
    @Option(help: "Seed of the sample and the weights.") var seed: UInt64 = 0
    @Option(help: "Networks scored at a time (timings are per network on one thread).") var jobs = 1

    func validate() throws {
        try OptionCheck.atLeast(1, jobs, "--jobs")
        // The rule of --quality synflow:N; below it the reduced input shrinks to nothing.
        try OptionCheck.atLeast(8, resolution, "--resolution")
    }

    func run() throws {
        let (s, _) = try SearchSpace.locate(space)
        let a = try SynflowAgreement.measure(space: s, sample: sample, resolution: resolution, seed: seed, jobs: jobs)
        print("space \(a.space): \(a.sample) architectures, synflow at \(a.resolution) vs \(s.inputH)×\(s.inputW)")
        print(String(format: "Spearman rho %.3f; mean time per network %.1f ms full, %.1f ms reduced (%.1f× faster)",
                     a.spearman, a.fullSeconds * 1000, a.reducedSeconds * 1000, a.fullSeconds / a.reducedSeconds))
    }
}
