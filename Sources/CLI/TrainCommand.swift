import ArgumentParser
import Foundation
import NASPredictors

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a device's predictor bundle from measurement files.",
        discussion: """
        Reads the public Sponner et al. measurements (../shared/data/sponner/*.jsonl) or `nas profile` output,
        leaves untuned-schedule latency outliers out, cross-validates every regressor family per (layer type,
        metric) with 5 seeded folds, keeps the one with the lowest MAPE, and scores that whole procedure by nested
        cross-validation. With --pool, models fitted over the device group (with device descriptors as features)
        compete too. Writes a versioned bundle: manifest.json plus model files. Re-running on the same files
        writes byte-identical output. With no --data (xu4), the bundle is the uncalibrated roofline model.
        """)

    @Option(help: "Device id: \(DeviceSpec.allIDs.joined(separator: ", ")).", transform: DeviceID.parse) var device: DeviceID
    @Option(parsing: .upToNextOption, help: "Measurement files (JSON lines).") var data: [String] = []
    @Option(help: "A group partner's measurements, DEVICE=FILE (repeatable): pooled models may learn from them too.",
            transform: PoolData.parse) var pool: [PoolData] = []
    @Option(help: "Output directory (default: Runs/bundles/ID).") var out: String?
    @Flag(help: "Print nothing but errors.") var quiet = false
    @Flag(help: "Write the uncalibrated roofline bundle when --data holds no usable sample, instead of failing.")
    var allowUncalibrated = false

    func validate() throws {
        if let same = pool.first(where: { $0.device == device }) {
            throw ValidationError("--pool \(same.device)=…: a device cannot be pooled with itself")
        }
        let ids = pool.map(\.device.id)
        if let twice = ids.first(where: { id in ids.filter { $0 == id }.count > 1 }) {
            throw ValidationError("--pool names \(twice) twice")
        }
        if !pool.isEmpty && data.isEmpty { throw ValidationError("--pool needs --data: pooled models still score on this device's own samples") }
    }

    func run() throws {
        let spec = device.spec
        let datasets = try data.map { try DatasetReader.read(path: $0, device: spec) }
        let log: (String) -> Void = quiet ? { _ in } : { print($0) }
        for d in datasets {
            log("\(d.path): \(d.samples.count) samples, \(d.rejected.count) rejected")
            for r in d.rejected { log("  rejected \(r.source): \(r.reason)") }
        }
        // Files given but nothing usable in them is a mistake (an empty or all-failed profile), not a request for
        // the roofline model: writing it would look like a trained bundle.
        if !data.isEmpty, datasets.allSatisfy({ $0.samples.isEmpty }), !allowUncalibrated {
            let rejected = datasets.reduce(0) { $0 + $1.rejected.count }
            let why = rejected == 0 ? "they hold no sample" : "all \(rejected) samples were rejected (\(datasets.first { !$0.rejected.isEmpty }!.rejected[0].reason))"
            throw ValidationError("no usable sample in \(data.joined(separator: ", ")): \(why); nothing written (--allow-uncalibrated writes the uncalibrated roofline bundle)")
        }
        let partners = try pool.map { p in
            (spec: p.device.spec, samples: try DatasetReader.read(path: p.path, device: p.device.spec).samples)
        }
        let group = partners.isEmpty ? nil : DeviceGroupData(partners: partners)
        let bundle = try Trainer.train(device: spec, datasets: datasets, group: group, log: log)
        let directory = out ?? "Runs/bundles/\(spec.id)"
        try bundle.write(to: directory)
        log("wrote \(directory)/\(BundleManifest.fileName) (\(bundle.manifest.status))")
    }
}
