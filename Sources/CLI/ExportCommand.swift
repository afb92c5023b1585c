import ArgumentParser
import Foundation
import NASSearch

/// `nas export`: the architecture JSON of one candidate of a run.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the architecture JSON of a run's candidate (its index in candidates.jsonl).")

    @Argument(help: "Run folder.") var runDirectory: String
    @Option(help: "Candidate index, as in the tables and candidates.jsonl.") var candidate: Int
    @Option(help: "Output file (written atomically); standard output if left out.") var out: String?

    func validate() throws {
        try OptionCheck.atLeast(0, candidate, "--candidate")
    }

    func run() throws {
        let r = try SearchRun.open(runDirectory)
        if let out {
            let a = try r.export(candidate: candidate, to: out)
            FileHandle.standardError.write(Data("wrote \(out) (\(a.name), \(a.layers.count) layers)\n".utf8))
        } else {
            let all = try r.candidates()
            guard all.indices.contains(candidate) else {
                throw SearchError("--candidate \(candidate): the run has candidates 0...\(max(all.count - 1, 0))")
            }
            print(try r.genome.architecture(all[candidate].genotype).jsonString(), terminator: "")
        }
    }
}
